#!/bin/sh
# bench/fuzz/run.sh TARGET SECONDS: fuzzes bench/fuzz/TARGET/harness.c for SECONDS of wall time
# in a clang build with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer (configured
# in build-fuzz/ at the top of the repository, or $NASTAVNIK_FUZZ_BUILD). It starts from the
# target's corpus/ (seeds and the regression cases of earlier findings); inputs it finds go to a
# scratch folder in the build, and every crash, timeout (over 5 s) or memory blow-up is copied
# into corpus/ as a regression case (commit it with the fix). Exit status: libFuzzer's (0: no
# finding). -timeout is wall-clock time, which a busy machine stretches: NASTAVNIK_FUZZ_TIMEOUT
# widens it there (a harness may fail an input over 5 s of CPU time itself, as loader does).
set -eu
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${NASTAVNIK_FUZZ_BUILD:-$root/build-fuzz}
[ -f "$here/$target/harness.c" ] || { echo "run.sh: no target $target (bench/fuzz/$target/harness.c)" >&2; exit 2; }
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNASTAVNIK_SANITIZE=ON -DNASTAVNIK_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target "fuzz_$target" >/dev/null
work="$build/fuzz-$target"
mkdir -p "$work/found"
corpus="$here/$target/corpus"
# TARGET/seeds (optional) names files of the repository to start from as well, globs from the
# top one a line (the loader starts from every sample and broken description, not copies).
seeds="$work/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
if [ -f "$here/$target/seeds" ]; then
  (cd "$root" && grep -v '^#' "$here/$target/seeds" | while read -r pattern; do
    # shellcheck disable=SC2086
    for f in $pattern; do [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr / _)"; done
  done)
fi
# TARGET/dict (optional): words of the input's language, for libFuzzer's mutations.
dict=
[ -f "$here/$target/dict" ] && dict="-dict=$here/$target/dict"
# NASTAVNIK_FUZZ_SEED (the suite sets it): the same mutations every run, so a suite that passed
# here passes in CI on the same code; by hand, a new seed each run explores further.
seed=
[ -n "${NASTAVNIK_FUZZ_SEED:-}" ] && seed="-seed=$NASTAVNIK_FUZZ_SEED"
rm -f "$work/status"
{
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$build/bench/fuzz/fuzz_$target" $dict $seed -max_total_time="$seconds" \
    -timeout="${NASTAVNIK_FUZZ_TIMEOUT:-5}" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/found" "$corpus" "$seeds" 2>&1 || echo $? >"$work/status"
} | tee "$work/last.log"
status=$(cat "$work/status" 2>/dev/null || echo 0)
# A finding's cause is printed again last: a CI log keeps only its tail, and libFuzzer's
# thousands of progress lines come before it.
if [ "$status" != 0 ]; then
  echo "run.sh: the finding (from $work/last.log):" >&2
  grep -E 'runtime error|ERROR: |PANIC|finding: |fuzz_[a-z]*: |SUMMARY|^ *#[0-9] |^ *#1[0-2] ' "$work/last.log" \
    | grep -v 'NEW\|REDUCE\|pulse' | head -40 >&2
fi
for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do
  [ -e "$f" ] || continue
  cp "$f" "$corpus/regression-$(basename "$f")"
  echo "run.sh: finding kept as $corpus/regression-$(basename "$f")" >&2
  rm -f "$f"
done
exit $status
