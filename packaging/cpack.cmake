# Debian package: `cpack -G DEB` in a build configured with -DRMM_NATIVE=OFF (packaging/check-package.sh).
# Depends is computed by dpkg-shlibdeps from the installed executables, not listed by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rmm-workbench)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "The RMM Workbench developers")
set(CPACK_PACKAGE_CONTACT "The RMM Workbench developers <rmm-workbench@users.noreply.github.com>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/rmm-workbench/rmm-workbench")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "train Recurrent Mechanistic Models of small neural circuits")
set(CPACK_PACKAGE_DESCRIPTION
    "RMM Workbench trains Recurrent Mechanistic Models (RMMs) of small neural circuits,
such as half-center oscillators, from intracellular recordings (ABF, NWB, RTXI HDF5,
MATLAB, CSV). A trained model predicts membrane voltages and unmeasured synaptic
currents and can be read as frequency-dependent conductances.

This package contains the Qt 6 desktop workbench (rmm-workbench) and the
command-line tool (rmm).")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's own German strings (standard buttons, file dialogs); the workbench's are built in.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

include(CPack)
