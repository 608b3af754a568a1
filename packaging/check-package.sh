#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the Debian package in build-deb/, validate the desktop integration, install the package
# with apt-get and run both installed executables. Debian 12, as root; needs the packages in
# packaging/debian-build-deps.txt. `--remove` uninstalls the package again at the end.
# RMM_JOBS sets the build's parallel jobs (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
id=io.github.rmmworkbench.RmmWorkbench
remove=0
[[ "${1:-}" == "--remove" ]] && remove=1

step() { printf '\n== %s\n' "$*"; }

step "validate the desktop file, metainfo and MIME types (sources)"
desktop-file-validate "packaging/$id.desktop"
appstreamcli validate --no-net "packaging/$id.metainfo.xml"
if command -v xmllint >/dev/null; then xmllint --noout "packaging/$id.mime.xml"; fi

# RMM_PACKAGE_NATIVE=ON builds for this machine's CPU instead of the portable baseline: CI does it so
# that ccache shares the compile with the test build (a package to ship keeps the default, OFF).
step "configure and build (Release, portable baseline unless RMM_PACKAGE_NATIVE=ON, no tests)"
cmake -S . -B build-deb -G Ninja -DCMAKE_BUILD_TYPE=Release -DRMM_NATIVE="${RMM_PACKAGE_NATIVE:-OFF}" \
      -DRMM_BUILD_TESTS=OFF \
      -DRMM_BUILD_GUI=ON -DRMM_FUZZ=OFF
cmake --build build-deb -j "${RMM_JOBS:-$(nproc)}"

step "cpack -G DEB"
rm -f build-deb/rmm-workbench_*.deb
(cd build-deb && cpack -G DEB)
debs=(build-deb/rmm-workbench_*.deb)
[[ ${#debs[@]} == 1 && -f "${debs[0]}" ]] || { echo "expected one rmm-workbench_*.deb in build-deb/" >&2; exit 1; }
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -f "$deb"
depends=$(dpkg-deb -f "$deb" Depends)
[[ -n "$depends" ]] || { echo "the package has no computed Depends (dpkg-shlibdeps did not run?)" >&2; exit 1; }

step "apt-get install ./$deb"
apt-get install -y "./$deb"

step "installed files"
for f in /usr/bin/rmm /usr/bin/rmm-workbench \
         "/usr/share/applications/$id.desktop" "/usr/share/metainfo/$id.metainfo.xml" \
         "/usr/share/mime/packages/$id.xml" "/usr/share/icons/hicolor/scalable/apps/$id.svg" \
         "/usr/share/icons/hicolor/48x48/apps/$id.png" "/usr/share/icons/hicolor/256x256/apps/$id.png"; do
    [[ -f "$f" ]] || { echo "missing after install: $f" >&2; exit 1; }
done
desktop-file-validate "/usr/share/applications/$id.desktop"
appstreamcli validate --no-net "/usr/share/metainfo/$id.metainfo.xml"
if [[ -d /usr/share/mime/application ]]; then   # shared-mime-info's trigger rebuilt the database
    for t in x-abf x-nwb; do
        [[ -f "/usr/share/mime/application/$t.xml" ]] || { echo "MIME type application/$t not registered" >&2; exit 1; }
    done
fi

step "run the installed executables (no display)"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/rmm --version)
echo "$out"
[[ "$out" == "rmm $version" ]] || { echo "expected 'rmm $version'" >&2; exit 1; }
out=$(env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/rmm-workbench --version)
echo "$out"
[[ "$out" == "rmm-workbench $version" ]] || { echo "expected 'rmm-workbench $version'" >&2; exit 1; }

if ((remove)); then
    step "apt-get remove rmm-workbench"
    apt-get remove -y rmm-workbench
fi
step "package OK: $deb (Depends: $depends)"
