// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/openmp_wait.hpp"

#include <cstdlib>

#if defined(__linux__)
#include <climits>
#include <unistd.h>
#endif

namespace rmm {

void preferPassiveOpenMpWait(char** argv)
{
#if defined(__linux__)
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("RMM_KEEP_OMP_WAIT") || !argv || !argv[0])
        return;
    // The real path of this program (readlink also names the client program under valgrind).
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return;
    self[n] = '\0';
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0)
        return;
    execv(self, argv);
    // Not re-executed: carry on with libgomp's default, and say so to the reports.
    unsetenv("OMP_WAIT_POLICY");
#else
    (void)argv;
#endif
}

const char* openMpWaitPolicy()
{
    const char* p = std::getenv("OMP_WAIT_POLICY");
    return p && *p ? p : "default";
}

} // namespace rmm
