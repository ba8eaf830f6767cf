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

echo "== the whole storyline analyze process over the same pages, one core"
PAGES=$(find "$BENCH/html" -name '*.html.gz' | wc -l)
for run in 1 2 3; do
    rm -rf "$OUT/data"
    start=$(date +%s.%N)
    taskset -c 0 "$STORYLINE" --data "$OUT/data" -q analyze "$BENCH/html" --format json >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$PAGES" -v r="$run" \
        'BEGIN { printf "run %d: %d pages in %.3f s = %.0f pages/s\n", r, n, e - s, n / (e - s) }'
done
