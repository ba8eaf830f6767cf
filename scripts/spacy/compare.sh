#!/usr/bin/env bash
# Side by side: storyline's entity recogniser and spaCy's small English model on the same article
# bodies, scored against the same labels (docs/labels.md) by `storyline eval labels`, with each
# tool's tokens per second. Runs on the example corpus and on the held-out set.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/storyline-target}"
cargo build --release --locked --quiet
storyline="$CARGO_TARGET_DIR/release/storyline"
py="$(scripts/spacy/setup.sh | tail -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for set in "examples/corpus examples/labels" "crates/storyline/tests/heldout/corpus crates/storyline/tests/heldout/labels"; do
    read -r corpus labels <<<"$set"
    echo "=== $corpus"
    "$storyline" --data "$work/data" eval labels "$corpus" "$labels" --export-bodies "$work/bodies.jsonl" >/dev/null
    OMP_NUM_THREADS=1 "$py" scripts/spacy/entities.py <"$work/bodies.jsonl" >"$work/spacy.jsonl" 2>"$work/spacy.err"
    echo "--- storyline"
    "$storyline" --data "$work/data" eval labels "$corpus" "$labels" --speed | sed -n '1,9p'
    echo "--- spaCy en_core_web_sm 3.8.0"
    "$storyline" --data "$work/data" eval labels "$corpus" "$labels" --entities-from "$work/spacy.jsonl" | sed -n '2,8p'
    echo "spaCy speed: $(tail -n1 "$work/spacy.err")"
done
