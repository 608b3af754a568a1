// SPDX-License-Identifier: GPL-3.0-or-later
// File > Restore autosaved session: the autosaves (autosaves.hpp), newest first, with their dates
// and run counts.
#pragma once
#include "app/gui/session.hpp"

#include <QDialog>
#include <QList>

class QTreeWidget;

namespace rmm {

/// Lets the user pick one autosave (newest first: time, runs, recording).
class AutosaveDialog : public QDialog {
    Q_OBJECT
  public:
    explicit AutosaveDialog(const QList<SessionSummary>& autosaves, QWidget* parent = nullptr);
    /// The chosen session file ("" when none).
    QString selectedPath() const;
    QTreeWidget* list() const { return m_list; }

  private:
    QTreeWidget* m_list = nullptr;
};

} // namespace rmm
