#!/usr/bin/env bash
# Load test of `storyline serve` over a data folder: 64 concurrent clients read story pages, then
# search, for DURATION each (after a WARMUP, 5s by default, that is not reported), while a writer posts new articles one request at a time. Prints wrk's
# throughput and latency percentiles, then checks that no request failed and no posted article
# was lost (the store's count afterwards against the count before plus what was posted).
#
#   scripts/load/run.sh DATA [DURATION]      e.g. scripts/load/run.sh /tmp/f100k 30s
#
# Needs wrk (Debian: apt-get install wrk) and curl. A store of N generated articles is made with
#   storyline --data DATA bench --link --fill --articles N
set -euo pipefail
data="${1:?usage: run.sh DATA [DURATION]}"
duration="${2:-30s}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="${STORYLINE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/storyline-target}/release/storyline}"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"

"$bin" --data "$data" serve --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do grep -q "serving" "$work/serve.log" 2>/dev/null && break; sleep 0.5; done
grep "serving" "$work/serve.log"

before=$(curl -sf "$base/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
curl -sf "$base/api/stories?limit=500" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["stories"]:
    print("/stories/" + s["id"])' > "$work/stories.txt"
curl -sf "$base/api/articles?limit=500" | python3 -c '
import json, sys, urllib.parse
for a in json.load(sys.stdin)["articles"]:
    words = (a.get("title") or "").split()
    if len(words) >= 2:
        print("/api/search?q=" + urllib.parse.quote(words[0] + " " + words[1]))' > "$work/search.txt"
echo "store: $before articles; $(wc -l < "$work/stories.txt") story pages and $(wc -l < "$work/search.txt") searches in rotation"

# The writer: new articles of our own making, one POST each, until the readers are done.
(
    posted=0; failed=0; n=0; run=$(date +%s%N)
    while [ ! -e "$work/done" ]; do
        n=$((n + 1))
        body="{\"title\":\"Load test dispatch $n from the harbour desk\",\"text\":\"The harbour desk filed dispatch $n of run $run on Monday. Officials said berth $n reopened after repairs, and about $((n * 10)) containers were moved.\",\"outlet\":\"Load Desk\",\"published\":\"2024-06-01\"}"
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-ndjson' --data-binary "$body" "$base/api/articles" || echo 000)
        if [ "$code" = 201 ]; then posted=$((posted + 1)); else failed=$((failed + 1)); fi
    done
    echo "$posted $failed" > "$work/posted"
) &
writer=$!

for kind in stories search; do
    # A short warm-up first (not reported): the first visit of each story makes its dossier, the
    # first searches fault the index's pages in. WARMUP=0s measures the cold server instead.
    if [ "${WARMUP:-5s}" != 0s ]; then
        PATHS="$work/$kind.txt" wrk -t2 -c64 -d"${WARMUP:-5s}" -s "$here/paths.lua" "$base" > "$work/$kind.warmup"
    fi
    echo "== $kind, 64 connections, $duration, while articles are posted"
    PATHS="$work/$kind.txt" wrk -t2 -c64 -d"$duration" --latency -s "$here/paths.lua" "$base" | tee "$work/$kind.wrk"
done
touch "$work/done"
wait $writer
read -r posted post_failed < "$work/posted"
after=$(curl -sf "$base/api/health" | python3 -c 'import json,sys; h=json.load(sys.stdin); print(h["articles"], h["indexed"])')
echo "posted: $posted new articles ($post_failed failed); store before $before, after (stored indexed): $after"
bad=$(cat "$work"/*.wrk "$work"/*.warmup 2>/dev/null | grep -E "Non-2xx|Socket errors" || true)
[ -z "$bad" ] || { echo "FAILED requests: $bad"; exit 1; }
[ "$post_failed" = 0 ] || { echo "FAILED posts: $post_failed"; exit 1; }
[ "$after" = "$((before + posted)) $((before + posted))" ] || { echo "LOST articles"; exit 1; }
echo "no failed request, no lost article"
