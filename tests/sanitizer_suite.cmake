# Builds the project with -DNASTAVNIK_SANITIZE=ON in BINARY and runs its test suite there.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -DNASTAVNIK_SANITIZE=ON -DNASTAVNIK_WERROR=ON
                        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "sanitizer build: configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} -j 2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "sanitizer build: build failed")
endif()
# libhyphen leaks 4 bytes inside hnj_hyphen_load itself; nothing of ours is suppressed.
set(ENV{LSAN_OPTIONS} "suppressions=${SOURCE}/tests/layout/lsan.supp")
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --output-on-failure -j 2
                WORKING_DIRECTORY ${BINARY} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "sanitizer build: tests failed")
endif()
