// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers for tests: where the shared fixtures live, fuzzy comparison.
#pragma once
#include <QDir>
#include <QString>
#include <QTest>

#include <cmath>
#include <string>

namespace rmmtest {

/// ../shared beside the clone (set at configure time; RMM_SHARED_DIR env overrides).
inline QString sharedDir()
{
    QByteArray env = qgetenv("RMM_SHARED_DIR");
    return env.isEmpty() ? QString::fromUtf8(RMM_SHARED_DIR) : QString::fromUtf8(env);
}

/// Path of a fixture under shared/data, e.g. dataFile("abf/File_axon_2.abf").
inline QString dataFile(const QString& rel)
{
    return QDir(sharedDir()).filePath("data/" + rel);
}

inline bool haveSharedData()
{
    return QDir(sharedDir() + "/data").exists();
}

/// A fresh writable folder for one test's outputs.
inline QString scratchDir(const QString& name)
{
    QString p = QString::fromUtf8(RMM_BINARY_DIR) + "/test-scratch/" + name;
    QDir(p).removeRecursively();
    QDir().mkpath(p);
    return p;
}

inline bool near(double a, double b, double abs, double rel = 0)
{
    return std::abs(a - b) <= abs + rel * std::abs(b);
}

} // namespace rmmtest

/// Skips the current test (with a message naming the folder) when ../shared/data is absent.
#define RMM_REQUIRE_SHARED_DATA()                                                                            \
    do {                                                                                                     \
        if (!rmmtest::haveSharedData())                                                                      \
            QSKIP(qPrintable("shared fixtures not found at " + rmmtest::sharedDir() +                        \
                             "/data (set RMM_SHARED_DIR or clone beside ../shared)"));                       \
    } while (0)
