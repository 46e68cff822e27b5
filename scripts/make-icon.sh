#!/usr/bin/env bash
# Regenerates assets/icons/icon.png (needs imagemagick and fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
convert -size 256x256 xc:none -fill '#1d4ed8' -draw 'roundrectangle 8,8 248,248 40,40' \
  -fill white -font /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc -pointsize 120 \
  -gravity center -annotate +0+0 '警' PNG32:assets/icons/icon.png
