// SPDX-License-Identifier: GPL-3.0-or-later
// Automatic saves, one file per workbench window: a window's runs are written every minute and on
// quit to its own "autosave/session-<start time>-<pid>.rmmsession", so opening another file (or a
// second window) never overwrites the runs of an earlier one. The newest kAutosavesKept are kept;
// File > Restore autosaved session lists them (autosave_dialog.hpp).
#pragma once
#include "app/gui/session.hpp"

#include <QList>
#include <QString>

namespace rmm {

constexpr int kAutosavesKept = 10;

/// Folder of the automatic saves (created when missing).
QString autosaveFolder();
/// A new, unique autosave file for a window opened at `started` (the file is not created).
QString newAutosavePath(const QDateTime& started);
/// The readable autosaves, newest first (including the single autosave of earlier versions).
QList<SessionSummary> listAutosaves();
/// Deletes all but the `keep` newest autosaves with their model folders; `current` (the calling
/// window's file) is always kept.
void pruneAutosaves(int keep, const QString& current);

} // namespace rmm
