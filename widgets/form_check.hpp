// SPDX-License-Identifier: GPL-3.0-or-later
// The forms' isValid(): whether building the config from the widgets succeeds, and if not, the
// engine's message naming the bad field; and the forms' rows by the config key they set.
#pragma once
#include "engine/core/error.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QString>
#include <QWidget>

#include <map>
#include <string>

namespace rmm {

template <typename F> bool formAccepts(F&& buildConfig, QString* why)
{
    try {
        buildConfig();
        return true;
    } catch (const Error& e) {
        if (why)
            *why = QString::fromStdString(e.what());
        return false;
    }
}

/// A form's fieldLabel: the label of the row that sets config key `key`, empty when none does.
inline QString labelOfKey(const std::map<std::string, QString>& labels, const std::string& key)
{
    const auto it = labels.find(key);
    return it == labels.end() ? QString() : it->second;
}

/// `w` when it takes the keyboard focus, else its first descendant that does (null: none).
inline QWidget* focusableIn(QWidget* w)
{
    if (!w || w->focusPolicy() != Qt::NoFocus)
        return w;
    for (auto* child : w->findChildren<QWidget*>())
        if (child->focusPolicy() != Qt::NoFocus)
            return child;
    return nullptr;
}

/// Focuses the field of the row labelled `label` in any form layout of `form`, the way a user
/// would: the row's widget, or the first focusable widget of a row that holds a layout. Returns the
/// focused widget, or null when no row has that label.
inline QWidget* focusRow(QWidget* form, const QString& label)
{
    if (label.isEmpty())
        return nullptr;
    for (auto* layout : form->findChildren<QFormLayout*>())
        for (int row = 0; row < layout->rowCount(); ++row) {
            auto* labelItem = layout->itemAt(row, QFormLayout::LabelRole);
            auto* text = labelItem ? qobject_cast<QLabel*>(labelItem->widget()) : nullptr;
            auto* fieldItem = layout->itemAt(row, QFormLayout::FieldRole);
            if (!text || text->text() != label || !fieldItem)
                continue;
            QWidget* field = focusableIn(fieldItem->widget());
            for (int k = 0; !field && fieldItem->layout() && k < fieldItem->layout()->count(); ++k)
                field = focusableIn(fieldItem->layout()->itemAt(k)->widget());
            if (field)
                field->setFocus(Qt::OtherFocusReason);
            return field;
        }
    return nullptr;
}

} // namespace rmm
