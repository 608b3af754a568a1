// SPDX-License-Identifier: GPL-3.0-or-later
// Help > Getting started (F1): the first steps from a recording to a figure, with links to the
// README's sections, and the keyboard shortcuts.
#pragma once
#include <QDialog>

class QTextBrowser;

namespace rmm {

class GettingStartedDialog : public QDialog {
    Q_OBJECT
  public:
    explicit GettingStartedDialog(QWidget* parent = nullptr);
    /// The text shown (HTML).
    QString html() const;

  private:
    QTextBrowser* m_text = nullptr;
};

} // namespace rmm
