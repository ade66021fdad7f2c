#!/usr/bin/env bash
# PDF speed: nastavnik renders the 40-row roadmap and an order N times in one process
# (documents per second), and LibreOffice converts the equivalent DOCX (the same view filled
# into the stock template) to PDF, one file and ten files per soffice run, in the same run.
#
#   bash bench/pdf/run.sh [build/nastavnik] [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/nastavnik}
n=${2:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

roadmap=$("$bin" bench bench/roadmap-40.lua roadmap -n "$n")
order=$("$bin" bench samples/boguchany-school-4.lua order-curator -n "$n")
echo "$roadmap"
echo "$order"
rate=$(echo "$roadmap" | sed -E 's/.*, ([0-9.]+) documents\/s/\1/')

"$bin" docx bench/roadmap-40.lua roadmap -o "$work/roadmap.docx"
for i in $(seq 1 10); do cp "$work/roadmap.docx" "$work/roadmap-$i.docx"; done
profile="-env:UserInstallation=file://$work/lo-profile"
soffice --headless "$profile" --convert-to pdf --outdir "$work/warm" "$work/roadmap.docx" >/dev/null 2>&1 # first start creates the profile
start=$(date +%s.%N)
soffice --headless "$profile" --convert-to pdf --outdir "$work/one" "$work/roadmap.docx" >/dev/null 2>&1
one=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
start=$(date +%s.%N)
soffice --headless "$profile" --convert-to pdf --outdir "$work/ten" "$work"/roadmap-*.docx >/dev/null 2>&1
ten=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
lo_rate=$(awk -v t="$ten" 'BEGIN { print 10 / t }')
printf 'LibreOffice: 1 roadmap in %.2f s, 10 roadmaps in %.2f s (%.2f documents/s)\n' "$one" "$ten" "$lo_rate"
printf 'nastavnik / LibreOffice: %.0fx (10-document batch), %.0fx (one document)\n' \
  "$(awk -v r="$rate" -v l="$lo_rate" 'BEGIN { print r / l }')" "$(awk -v r="$rate" -v o="$one" 'BEGIN { print r * o }')"
