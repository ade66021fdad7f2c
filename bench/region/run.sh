#!/usr/bin/env bash
# Region speed: a synthetic region (bench/region.py N organisations) checked and built, for
# each N and each number of workers; prints per line the wall time, files/s, MB/s, the peak
# resident memory (/usr/bin/time -v) and the time's ratio to the previous line of the same
# number of workers (linear growth: the ratio of the sizes). The processor time (user +
# system, all processes) is printed too: on a machine shared with others it is the steadier
# figure; and its system part apart, so that the generator's own part can be told from the
# kernel's making of files: on an ext4 without a journal that costs from ~24 us a file (an
# O_TMPFILE of 15 KB linked in) to over 100 us, depending on the block group the folder lands
# in (measured with a C loop of 20,000 files: most new folders 23-25 us, /tmp and some 127).
#
#   bash bench/region/run.sh [build/nastavnik] [N...]        (default N: 100 500 2000)
#   JOBS="1 2" bash bench/region/run.sh …                    (the -j values; default "1 2")
#   ARGS="--formats pdf" bash bench/region/run.sh …          (more build options)
#
# Each build writes into a folder of its own, and the trees are deleted only at the end: on a
# file system without a journal (ext4 here) the kernel skips the inodes freed in the last
# seconds to minutes when it makes a file, one by one, so a build right after an `rm -rf` of
# the previous tree paid for the benchmark's own cleanup (region-20, -j 1: 1.31 system seconds
# against 0.57 in a fresh folder). Needs the disk room of all the trees (~2.6 MB an
# organisation each).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/nastavnik}
shift || true
sizes=${*:-100 500 2000}
jobs=${JOBS:-1 2}
work=bench/region/work
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Runs a command under /usr/bin/time; sets wall, cpu (user + system, s), sys (s) and rss (MB).
measure() {
  /usr/bin/time -v -o "$out/time" "$@" >"$out/stdout" 2>"$out/stderr" || {
    echo "failed ($?): $*" >&2; tail -5 "$out/stderr" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out/time")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$out/time")
  sys=$(awk -F': ' '/System time/ { print $2 }' "$out/time")
  rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$out/time")
}

printf '%-6s %-6s %9s %9s %7s %9s %9s %8s %8s %8s %7s\n' orgs what seconds "cpu s" "sys s" files files/s MB MB/s "RSS MB" ratio
declare -A previous
for n in $sizes; do
  region=$(python3 bench/region.py "$n" "$work")
  measure "$bin" check "$region"
  printf '%-6s %-6s %9.2f %9.2f %7.2f %9s %9s %8s %8s %8s %7s\n' "$n" check "$wall" "$cpu" "$sys" - - - - "$rss" -
  for j in $jobs; do
    tree=$out/tree-$n-$j
    # (the whole help read first: grep -q ends early and pipefail would count the cut pipe)
    if [[ "$("$bin" --help)" != *"-j N"* ]]; then
      [ "$j" = 1 ] || continue                                # a build before -j: one line
      measure "$bin" build "$region" -o "$tree" ${ARGS:-}
    else
      measure "$bin" build "$region" -o "$tree" -j "$j" ${ARGS:-}
    fi
    files=$(find "$tree" -type f | wc -l)
    mb=$(du -sm "$tree" | cut -f1)
    ratio=-
    [ -n "${previous[$j]:-}" ] && ratio=$(awk -v a="$wall" -v b="${previous[$j]}" 'BEGIN { printf "%.2f", a / b }')
    previous[$j]=$wall
    printf '%-6s %-6s %9.2f %9.2f %7.2f %9s %9.0f %8s %8.1f %8s %7s\n' "$n" "-j $j" "$wall" "$cpu" "$sys" "$files" \
      "$(awk -v f="$files" -v w="$wall" 'BEGIN { print f / w }')" "$mb" \
      "$(awk -v m="$mb" -v w="$wall" 'BEGIN { print m / w }')" "$rss" "$ratio"
  done
done
