#!/usr/bin/env bash
# Create (if missing) a Python virtualenv holding trafilatura, the reference extractor that
# `storyline eval extraction` is compared with (scripts/trafilatura/compare.sh).
# Idempotent: re-running only re-checks the pinned version. Everything comes from PyPI.
# The last line printed is the venv's python path:
#   PY=$(scripts/trafilatura/setup.sh | tail -n1)
set -euo pipefail

TRAFILATURA_VERSION="2.3.1"
VENV="${STORYLINE_TRAFILATURA_VENV:-$HOME/.cache/storyline-trafilatura}"
PY="$VENV/bin/python"

if [[ ! -x "$PY" ]]; then
    echo "creating virtualenv at $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    "${PYTHON:-python3}" -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip >&2
fi
have=$("$PY" -m pip list --format=freeze 2>/dev/null || true)
if ! grep -qix "trafilatura==$TRAFILATURA_VERSION" <<<"$have"; then
    echo "installing trafilatura==$TRAFILATURA_VERSION" >&2
    "$PY" -m pip install --quiet --prefer-binary "trafilatura==$TRAFILATURA_VERSION" >&2
fi
"$PY" -c 'import trafilatura' >&2
echo "$PY"
