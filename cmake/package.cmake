# The Debian package: `cpack -G DEB` in the build folder packs what `cmake --install` installs
# (prefix /usr). Its dependencies are the Debian runtime libraries the command links, named by
# dpkg-shlibdeps (dpkg-dev, part of build-essential), and the data it reads at run time: the
# Russian hyphenation patterns and the Liberation fonts.
set(CPACK_PACKAGE_NAME nastavnik)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "nastavnik <nastavnik@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "документы целевой модели наставничества из описания школы на Lua")
set(CPACK_PACKAGE_DESCRIPTION
  "nastavnik makes the paperwork of the Russian school mentoring programme (the roadmap, the orders, the plans of the pairs, the consents, the reports) in PDF, DOCX and ODT from one description of a school or municipality written in Lua.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "hyphen-ru, fonts-liberation2")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
