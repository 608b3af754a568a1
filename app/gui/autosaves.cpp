// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/autosaves.hpp"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

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
    const QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
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

AutosaveDialog::AutosaveDialog(const QList<SessionSummary>& autosaves, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Restore autosaved session"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Each workbench window saves its runs automatically every minute and on "
                                    "quit. Choose the session to open (newest first):")));
    m_list = new QTreeWidget;
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Saved"), tr("Runs"), tr("Recording")});
    m_list->setAccessibleName(tr("Autosaved sessions"));
    const QLocale locale;
    for (const SessionSummary& s : autosaves) {
        auto* item =
            new QTreeWidgetItem(m_list, {locale.toString(s.saved.toLocalTime(), QLocale::ShortFormat),
                                         locale.toString(s.runs), s.recording});
        item->setData(0, Qt::UserRole, s.path);
        item->setToolTip(0, QDir::toNativeSeparators(s.path));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    layout->addWidget(m_list);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &QDialog::accept);
    layout->addWidget(buttons);
    resize(560, 320);
}

QString AutosaveDialog::selectedPath() const
{
    const QTreeWidgetItem* item = m_list->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

} // namespace rmm
