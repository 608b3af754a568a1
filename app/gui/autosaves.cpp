// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/autosaves.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace rmm {

namespace {

const QString kPattern = QStringLiteral("*.rmmsession");

/// The single autosave file of versions before per-window autosaves.
QString legacyAutosave()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("autosave.rmmsession"));
}

} // namespace

QString autosaveFolder()
{
    QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                      .filePath(QStringLiteral("autosave"));
    QDir().mkpath(dir);
    return dir;
}

QString newAutosavePath(const QDateTime& started)
{
    const QString stem = QStringLiteral("session-%1-%2")
                             .arg(started.toString(QStringLiteral("yyyyMMdd-HHmmss")))
                             .arg(QCoreApplication::applicationPid());
    const QDir dir(autosaveFolder());
    QString path = dir.filePath(stem + QStringLiteral(".rmmsession"));
    for (int i = 2; QFileInfo::exists(path); ++i) // two windows opened in the same second
        path = dir.filePath(QStringLiteral("%1-%2.rmmsession").arg(stem).arg(i));
    return path;
}

QList<SessionSummary> listAutosaves()
{
    QStringList files;
    for (const QFileInfo& fi : QDir(autosaveFolder()).entryInfoList({kPattern}, QDir::Files))
        files << fi.absoluteFilePath();
    if (QFileInfo::exists(legacyAutosave()))
        files << legacyAutosave();
    QList<SessionSummary> out;
    for (const QString& f : files) {
        SessionSummary s;
        if (summarizeSession(f, &s))
            out << s;
    }
    std::sort(out.begin(), out.end(),
              [](const SessionSummary& a, const SessionSummary& b) { return a.saved > b.saved; });
    return out;
}

void pruneAutosaves(int keep, const QString& current)
{
    QFileInfoList files =
        QDir(autosaveFolder()).entryInfoList({kPattern}, QDir::Files, QDir::Time); // newest first
    int kept = 0;
    for (const QFileInfo& fi : files) {
        if (fi.absoluteFilePath() == QFileInfo(current).absoluteFilePath() || kept < keep) {
            ++kept;
            continue;
        }
        QDir(fi.absoluteDir().filePath(fi.completeBaseName() + QStringLiteral(".models")))
            .removeRecursively();
        QFile::remove(fi.absoluteDir().filePath(fi.completeBaseName() + QStringLiteral("-demo.h5")));
        QFile::remove(fi.absoluteFilePath());
    }
}

} // namespace rmm
