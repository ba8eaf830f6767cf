#!/usr/bin/env bash
# storyline and trafilatura on the same pages, in one run, scored by one scorer:
#   scripts/trafilatura/compare.sh [BENCH_DIR]   (default ../shared/bench/article-extraction)
# Prints one line per tool and setting (F1 and pages/s), then the whole `storyline analyze` process
# timed over the same pages on one core (taskset -c 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH="${1:-../shared/bench/article-extraction}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/storyline-target}"
cargo build --release --locked --quiet
STORYLINE="$CARGO_TARGET_DIR/release/storyline"
PY=$(scripts/trafilatura/setup.sh | tail -n1)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== storyline (extract stage in process, one thread)"
"$STORYLINE" eval extraction "$BENCH"
for options in "" "--fast" "--favor-precision"; do
    echo "== trafilatura ${options:-(defaults)} (in process, one thread)"
    # shellcheck disable=SC2086
    "$PY" scripts/trafilatura/extract.py "$BENCH" "$OUT/trafilatura.json" --passes 2 $options
    "$STORYLINE" eval extraction "$BENCH" --texts-from "$OUT/trafilatura.json" | tail -n1
done

echo "== the whole storyline analyze process over the same pages, one core (8 runs; the median counts)"
PAGES=$(find "$BENCH/html" -name '*.html.gz' | wc -l)
: > "$OUT/times"
for run in 1 2 3 4 5 6 7 8; do
    rm -rf "$OUT/data"
    start=$(date +%s.%N)
    if ! taskset -c 0 "$STORYLINE" --data "$OUT/data" -q analyze "$BENCH/html" --format json >/dev/null 2>"$OUT/stderr"; then
        echo "storyline analyze failed:" >&2
        cat "$OUT/stderr" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }' >> "$OUT/times"
done
sort -n "$OUT/times" | awk -v n="$PAGES" '{ t[NR] = $1 } END {
    m = (t[4] + t[5]) / 2
    printf "runs: %s s\nmedian: %d pages in %.3f s = %.0f pages/s (fastest %.0f pages/s)\n", t[1] "…" t[NR], n, m, n / m, n / t[1]
}'
