// SPDX-License-Identifier: GPL-3.0-or-later
// User-interface language: the system locale by default, overridden by the setting "ui/language".
#pragma once
#include <QLocale>
#include <QString>
#include <QStringList>

class QMenu;
class QWidget;

namespace rmm {

/// Languages the workbench ships a translation for (besides the source language "en").
QStringList translatedLanguages();
/// The stored preference: "" (follow the system), "en" or "de".
QString languageSetting();
void setLanguageSetting(const QString& language);
/// The language to show: `setting` if it is a known language, otherwise the first of the system's UI
/// languages that has a translation, otherwise "en".
QString resolveLanguage(const QString& setting, const QLocale& system = QLocale::system());
/// Installs the workbench's and Qt's own translators for resolveLanguage(setting) (replacing earlier
/// ones) and sets QLocale's default, used for every number the GUI shows: the system locale when
/// `setting` is "" or the system's language, else the chosen language's. Needs a QCoreApplication.
/// Returns false when the workbench translation could not be loaded.
bool applyLanguage(const QString& setting);
/// Keeps C's LC_NUMERIC at "C" so printf/strtod in the engine (exported CSV, JSON, settings) never
/// write or expect a decimal comma; QApplication sets every category from the environment.
void keepCNumericLocale();
/// View > Language: System default / English / Deutsch; a change is stored and applies after a restart.
QMenu* createLanguageMenu(QWidget* parent);

} // namespace rmm
