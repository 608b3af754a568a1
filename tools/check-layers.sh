#!/usr/bin/env bash
# The engine's folders are layers in the order data flows (issue 18): a file may include headers of
# its own folder and of the folders listed for it here, never of a layer above. Fails naming every
# include that points back up. Also: no Qt in the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
# The table lives in engine/CMakeLists.txt (one static library per layer, linking the layers it
# uses): set(RMM_LAYER_USES_<layer> <layers below it>).
declare -A allowed=()
while read -r layer uses; do
    allowed[$layer]="$uses"
done < <(sed -n 's/^set(RMM_LAYER_USES_\([a-z0-9_]*\) *\(.*\))$/\1 \2/p' engine/CMakeLists.txt | tr -d '"')
if ((${#allowed[@]} == 0)); then
    echo "check-layers.sh: no set(RMM_LAYER_USES_...) lines found in engine/CMakeLists.txt"
    exit 1
fi
bad=0
for dir in engine/*/; do
    layer=$(basename "$dir")
    if [[ -z ${allowed[$layer]+set} ]]; then
        echo "engine/$layer: a folder check-layers.sh does not know; add it to engine/CMakeLists.txt (RMM_ENGINE_LAYERS and RMM_LAYER_USES_$layer)"
        bad=1
        continue
    fi
    for f in "$dir"*.cpp "$dir"*.hpp; do
        [[ -f $f ]] || continue
        while IFS=: read -r line include; do
            used=$(sed -n 's|.*#include "engine/\([a-z0-9_]*\)/.*|\1|p' <<<"$include")
            [[ -z $used || $used == "$layer" ]] && continue
            if [[ " ${allowed[$layer]} " != *" $used "* ]]; then
                echo "$f:$line: includes engine/$used (layer $layer may use: ${allowed[$layer]:-nothing})"
                bad=1
            fi
        done < <(grep -n '#include "engine/' "$f" || true)
        if grep -qn '#include <Q' "$f"; then
            echo "$f: includes Qt; the engine has no Qt"
            bad=1
        fi
    done
done
if ((bad)); then
    echo "layering broken: see above (README, 'What is where')"
    exit 1
fi
echo "engine layers: every include points down ($(ls -d engine/*/ | wc -l) folders)"
