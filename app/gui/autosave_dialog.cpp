// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/autosave_dialog.hpp"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rmm {

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
