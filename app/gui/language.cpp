// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/language.hpp"

#include <QActionGroup>
#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTranslator>

#include <clocale>
#include <memory>

namespace rmm {

namespace {

const QString kLanguageKey = QStringLiteral("ui/language");

/// The translators currently installed (owned here so a later applyLanguage can replace them).
struct Translators {
    std::unique_ptr<QTranslator> app;
    std::unique_ptr<QTranslator> qt;
};

Translators& installed()
{
    static Translators t;
    return t;
}

/// Folders searched for rmm_workbench_<lang>.qm: the copy compiled into the program first (so the
/// workbench is translated when run from the build folder), then the installed share folder.
QStringList translationDirs()
{
    QStringList dirs{QStringLiteral(":/i18n")};
#ifdef RMM_TRANSLATIONS_RELDIR
    if (QCoreApplication::instance())
        dirs
            << QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral(RMM_TRANSLATIONS_RELDIR));
#endif
    return dirs;
}

QString languageOf(const QString& uiLanguage)
{
    // "de-DE", "de_AT", "de" -> "de"
    return uiLanguage.section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0).toLower();
}

} // namespace

QStringList translatedLanguages()
{
    return {QStringLiteral("de")};
}

QString languageSetting()
{
    return QSettings().value(kLanguageKey).toString();
}

void setLanguageSetting(const QString& language)
{
    QSettings().setValue(kLanguageKey, language);
}

QString resolveLanguage(const QString& setting, const QLocale& system)
{
    QString wanted = setting.trimmed().toLower();
    if (wanted == QLatin1String("en") || translatedLanguages().contains(wanted))
        return wanted;
    for (const QString& ui : system.uiLanguages()) {
        QString lang = languageOf(ui);
        if (lang == QLatin1String("en") || translatedLanguages().contains(lang))
            return lang;
    }
    return QStringLiteral("en");
}

bool applyLanguage(const QString& setting)
{
    const QString language = resolveLanguage(setting);
    Translators& t = installed();
    for (auto* tr : {t.app.get(), t.qt.get()})
        if (tr)
            QCoreApplication::removeTranslator(tr);
    t.app.reset();
    t.qt.reset();

    // Numbers follow the system's conventions unless the user picked another language than the system's.
    const QLocale system = QLocale::system();
    const bool systemNumbers = setting.trimmed().isEmpty() || languageOf(system.name()) == language;
    QLocale::setDefault(systemNumbers ? system : QLocale(language));

    if (language == QLatin1String("en"))
        return true; // the source language needs no translator
    const QLocale locale(language);
    bool loaded = false;
    auto app = std::make_unique<QTranslator>();
    for (const QString& dir : translationDirs()) {
        if (app->load(locale, QStringLiteral("rmm_workbench"), QStringLiteral("_"), dir)) {
            QCoreApplication::installTranslator(app.get());
            t.app = std::move(app);
            loaded = true;
            break;
        }
    }
    // Qt's own strings (standard dialog buttons, file dialogs) from Qt's translation folder.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        t.qt = std::move(qt);
    }
    return loaded;
}

void keepCNumericLocale()
{
    std::setlocale(LC_NUMERIC, "C");
}

QMenu* createLanguageMenu(QWidget* parent)
{
    auto* menu = new QMenu(QCoreApplication::translate("Language", "&Language"), parent);
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    group->setExclusive(true);
    const QString current = languageSetting();
    // Language names in their own language, so a user can find theirs whatever is shown now.
    const QList<QPair<QString, QString>> choices{
        {QString(), QCoreApplication::translate("Language", "&System default")},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("de"), QStringLiteral("Deutsch")},
    };
    for (const auto& [code, name] : choices) {
        QAction* action = menu->addAction(name);
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        group->addAction(action);
    }
    QObject::connect(group, &QActionGroup::triggered, menu, [parent](QAction* action) {
        const QString code = action->data().toString();
        if (code == languageSetting())
            return;
        setLanguageSetting(code);
        // Non-blocking, as the other messages of the workbench.
        auto* box =
            new QMessageBox(QMessageBox::Information, QCoreApplication::translate("Language", "Language"),
                            QCoreApplication::translate("Language", "The new language takes effect "
                                                                    "when RMM Workbench is restarted."),
                            QMessageBox::Ok, parent);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    return menu;
}

} // namespace rmm
