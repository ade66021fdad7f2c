#!/bin/sh
# Runs a libFuzzer target of bench/fuzz/ for a while, under AddressSanitizer and
# UndefinedBehaviorSanitizer:
#
#   sh bench/fuzz/run.sh TARGET SECONDS     build the fuzzing tree, run fuzz_TARGET
#   sh bench/fuzz/run.sh --build-only       only build the fuzzing tree (every target)
#
# The tree is built with clang in $NASTAVNIK_FUZZ_BUILD (default build/fuzz);
# NASTAVNIK_FUZZ_NO_BUILD=1 uses it as it is. The run starts from a copy of the target's seed
# corpus (bench/fuzz/TARGET/corpus/, and the files of the repository TARGET/seeds names, with
# TARGET/dict when there is one), and fails on any crash, sanitizer report or input over 5 s
# of CPU time (the harness measures it; a hang is stopped at 30 s); what it found is
# kept in build/fuzz/artifacts/ (add it to the corpus as a regression case once fixed). The
# last lines say how many runs and executions there were.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NASTAVNIK_FUZZ_BUILD:-$top/build/fuzz}

if [ "${NASTAVNIK_FUZZ_NO_BUILD:-}" != 1 ]; then
  cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNASTAVNIK_SANITIZE=ON -DNASTAVNIK_FUZZ=ON >/dev/null
  if [ "${1:-}" = --build-only ]; then
    targets=$(cd "$top/bench/fuzz" && for h in */harness.c; do printf 'fuzz_%s ' "${h%/harness.c}"; done)
    # shellcheck disable=SC2086
    exec cmake --build "$build" -j2 --target $targets
  fi
  cmake --build "$build" -j2 --target "fuzz_$1"
fi
[ "${1:-}" = --build-only ] && exit 0

target=$1
seconds=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The corpus grows in the build tree from run to run ($build/corpus/TARGET), seeded anew each
# time from the repository.
corpus=$build/corpus/$target
mkdir -p "$corpus" "$build/artifacts"
cp -R "$top/bench/fuzz/$target/corpus/." "$corpus/"
# TARGET/seeds names files of the repository to start from as well (globs, one a line).
if [ -f "$top/bench/fuzz/$target/seeds" ]; then
  (cd "$top" && grep -v '^#' "bench/fuzz/$target/seeds" | while read -r pattern; do
    # shellcheck disable=SC2086
    for f in $pattern; do [ -f "$f" ] && cp "$f" "$corpus/$(echo "$f" | tr / _)"; done
  done)
fi
dict=
[ -f "$top/bench/fuzz/$target/dict" ] && dict="-dict=$top/bench/fuzz/$target/dict"
# (the harness's own scratch files go to $TMPDIR, here a folder removed at the end)
status=0
# shellcheck disable=SC2086
# (-timeout is wall-clock time, which a busy machine stretches: the harnesses fail an input
# over 5 s of CPU time themselves; -timeout catches a hang)
TMPDIR=$work "$build/bench/fuzz/fuzz_$target" $dict -max_total_time="$seconds" -timeout=30 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
  "$corpus" >"$work/log" 2>&1 || status=$?
grep -E '^(stat::|Done [0-9]+ runs|==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/log" || true
if [ "$status" != 0 ]; then
  tail -n 60 "$work/log"
  echo "fuzz_$target: failed (exit $status); the input is in $build/artifacts/"
  exit 1
fi
echo "fuzz_$target: $seconds s without a crash, a sanitizer report or an input over 5 s of CPU time"
