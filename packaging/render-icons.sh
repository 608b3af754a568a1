#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Re-render the committed PNG icons from the SVG (needs rsvg-convert: apt-get install librsvg2-bin).
# Run after editing io.github.rmmworkbench.RmmWorkbench.svg and commit the PNGs.
set -euo pipefail
cd "$(dirname "$0")"
id=io.github.rmmworkbench.RmmWorkbench
for size in 16 24 32 48 64 128 256; do
    mkdir -p "icons/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" "$id.svg" -o "icons/${size}x${size}/$id.png"
done
