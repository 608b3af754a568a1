// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the built `rmm` command-line tool for end-to-end tests and reads the JSON it writes.
#pragma once
#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <fstream>

namespace rmmtest {

inline const QString kRmm = QStringLiteral(RMM_BINARY_DIR "/app/cli/rmm");

struct RmmRun {
    int code = -1; ///< exit code; -1 when it crashed or timed out
    QString out, err;
};

inline RmmRun runRmm(const QStringList& args, int timeoutMs = 300000,
                     const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(kRmm, args);
    RmmRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline nlohmann::json readJson(const QString& path)
{
    std::ifstream f(path.toStdString());
    return nlohmann::json::parse(f);
}

/// Reads a running process's standard output until it holds `text` (or it ends, or `timeoutMs`
/// passes); returns what was read.
inline QString waitForOutput(QProcess& p, const QString& text, int timeoutMs = 120000)
{
    QString seen;
    QElapsedTimer timer;
    timer.start();
    while (!seen.contains(text) && timer.elapsed() < timeoutMs && p.state() == QProcess::Running) {
        p.waitForReadyRead(1000);
        seen += QString::fromUtf8(p.readAllStandardOutput());
    }
    return seen;
}

} // namespace rmmtest
