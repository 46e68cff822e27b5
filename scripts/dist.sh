#!/usr/bin/env bash
# make dist: a .deb of the app, the `jiejing` CLI and the speech model, with
# Tauri's bundler from npm (nothing is downloaded at build time). Prints the
# package's path. Needs `make build model` first (the UI and the model).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
model="$PWD/models/ggml-base-q8_0.bin"
[ -f "$model" ] || { echo "dist: no speech model at $model: run \`make model\`" >&2; exit 1; }
[ -f ui/dist/index.html ] || { echo "dist: no UI build: run \`make build\`" >&2; exit 1; }
cargo build --locked --release -p jiejing
# The bundle is off in tauri.conf.json (plain cargo builds need none); here
# it is on, with the CLI and the model put where the app finds them, and the
# licence of the OpenCC tables the binaries embed (Apache-2.0 asks for it).
config=$(printf '{"bundle":{"active":true,"targets":["deb"],"linux":{"deb":{"files":{"/usr/bin/jiejing":"%s","/usr/share/jiejing/models/ggml-base-q8_0.bin":"%s","/usr/share/doc/jiejing/LICENSE.OpenCC":"%s"}}}}}' \
  "$target/release/jiejing" "$model" "$PWD/assets/speech/opencc/LICENSE")
ui/node_modules/.bin/tauri build --bundles deb --config "$config" -- --locked >&2
ls "$target"/release/bundle/deb/*.deb
