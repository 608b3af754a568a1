// SPDX-License-Identifier: GPL-3.0-or-later
// Translations: the German .ts is complete (every message finished, placeholders and accelerators kept),
// the embedded translation switches the main window to German, "ui/language" = "en" switches it back,
// numbers in the GUI follow the chosen locale, and C's numeric locale stays "C" for exported data.
#include "app/gui/data_export.hpp"
#include "app/gui/language.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/run_store.hpp"
#include "common/fixtures.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/trace_plot.hpp"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>
#include <qcustomplot.h>

#include <clocale>
#include <cstdio>
#include <memory>

using rmm::MainWindow;

namespace {

struct TsMessage {
    QString context, source, translation, type;
    QStringList numerusForms; ///< plural forms of a numerus="yes" message
    bool numerus = false;
    int line = 0;
};

std::vector<TsMessage> readTs(const QString& path, QString* error)
{
    std::vector<TsMessage> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open ") + path;
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage msg;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            msg = TsMessage{context, {}, {}, {}, {}, false, static_cast<int>(xml.lineNumber())};
            msg.numerus = xml.attributes().value(QStringLiteral("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            msg.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            msg.type = xml.attributes().value(QStringLiteral("type")).toString();
            if (msg.numerus) {
                while (xml.readNextStartElement())
                    msg.numerusForms << xml.readElementText();
                msg.translation = msg.numerusForms.join(QLatin1Char('|'));
            } else {
                msg.translation = xml.readElementText();
            }
            out.push_back(msg);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return out;
}

/// The set of %1..%99 placeholders in a string.
QSet<QString> placeholders(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("%L?\\d{1,2}"));
    QSet<QString> out;
    for (auto it = re.globalMatch(s); it.hasNext();)
        out.insert(it.next().captured().remove(QLatin1Char('L')));
    return out;
}

/// Number of keyboard accelerators: a single '&' followed by a letter (not "&&" nor an entity like "&gt;").
int accelerators(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("(?<!&)&(?!&|[a-z]+;)[^\\s&]"));
    int n = 0;
    for (auto it = re.globalMatch(s); it.hasNext(); it.next())
        ++n;
    return n;
}

QString menuTitle(const MainWindow& window, int index)
{
    const QList<QAction*> actions = window.menuBar()->actions();
    return index < actions.size() ? actions[index]->text() : QString();
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void cleanupTestCase();
    void tsFileIsComplete();
    void systemLocaleAndOverrideChooseTheLanguage();
    void germanTranslationIsEmbedded();
    void settingEnglishGivesEnglish();
    void germanNumbersInTheGui();
    void cNumericLocaleForExports();
    void exportedCsvKeepsTheDecimalPoint();
    void runStatusIsStoredAsCode();
    void messagesOfFreeFunctionsAreTranslated();
};

void TestTranslations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RMM-test"));
    QCoreApplication::setApplicationName(QStringLiteral("RMM Workbench translation test"));
}

void TestTranslations::cleanupTestCase()
{
    rmm::setLanguageSetting(QString());
    rmm::applyLanguage(QStringLiteral("en"));
}

void TestTranslations::tsFileIsComplete()
{
    const QString ts = QFINDTESTDATA("../../translations/rmm_workbench_de.ts");
    QVERIFY2(!ts.isEmpty(), "translations/rmm_workbench_de.ts not found beside the tests");
    QString error;
    const std::vector<TsMessage> messages = readTs(ts, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(messages.size() >= 80, qPrintable(QStringLiteral("only %1 messages").arg(messages.size())));
    QStringList problems;
    for (const TsMessage& m : messages) {
        const QString where =
            QStringLiteral("line %1 [%2] \"%3\": ").arg(m.line).arg(m.context, m.source.left(60));
        if (!m.type.isEmpty())
            problems << where + QStringLiteral("type=") + m.type;
        else if (m.translation.trimmed().isEmpty())
            problems << where + QStringLiteral("empty translation");
        else if (m.numerus && (m.numerusForms.size() != 2 || m.numerusForms.contains(QString())))
            problems << where + QStringLiteral("German needs 2 plural forms: ") + m.translation;
        else if (m.numerus && m.source.contains(QLatin1String("%n")) &&
                 m.translation.count(QLatin1String("%n")) != m.numerusForms.size())
            problems << where + QStringLiteral("%n missing in a plural form: ") + m.translation;
        else if (placeholders(m.source) != placeholders(m.numerus ? m.numerusForms.front() : m.translation))
            problems << where + QStringLiteral("placeholders differ: ") + m.translation;
        else if (accelerators(m.source) != accelerators(m.translation))
            problems << where + QStringLiteral("accelerator (&) missing or extra: ") + m.translation;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::systemLocaleAndOverrideChooseTheLanguage()
{
    QCOMPARE(rmm::resolveLanguage(QString(), QLocale(QStringLiteral("de_DE"))), QStringLiteral("de"));
    QCOMPARE(rmm::resolveLanguage(QString(), QLocale(QStringLiteral("de_AT"))), QStringLiteral("de"));
    QCOMPARE(rmm::resolveLanguage(QString(), QLocale(QStringLiteral("en_GB"))), QStringLiteral("en"));
    // No French translation: English, not an untranslated mix.
    QCOMPARE(rmm::resolveLanguage(QString(), QLocale(QStringLiteral("fr_FR"))), QStringLiteral("en"));
    QCOMPARE(rmm::resolveLanguage(QStringLiteral("en"), QLocale(QStringLiteral("de_DE"))),
             QStringLiteral("en"));
    QCOMPARE(rmm::resolveLanguage(QStringLiteral("de"), QLocale(QStringLiteral("en_US"))),
             QStringLiteral("de"));
    // An unknown stored value falls back to the system.
    QCOMPARE(rmm::resolveLanguage(QStringLiteral("xx"), QLocale(QStringLiteral("de_CH"))),
             QStringLiteral("de"));
}

void TestTranslations::germanTranslationIsEmbedded()
{
    QVERIFY(QFileInfo::exists(QStringLiteral(":/i18n/rmm_workbench_de.qm")));
    rmm::setLanguageSetting(QStringLiteral("de"));
    QVERIFY(rmm::applyLanguage(rmm::languageSetting()));
    MainWindow window;
    QCOMPARE(menuTitle(window, 0), QStringLiteral("&Datei"));
    QCOMPARE(menuTitle(window, 1), QStringLiteral("&Bearbeiten"));
    QCOMPARE(menuTitle(window, 2), QStringLiteral("&Ansicht"));
    QCOMPARE(window.statusText(), QStringLiteral("Keine Aufzeichnung geöffnet"));
    // View > Language is there, in German.
    QMenu* view = window.menuBar()->actions().at(2)->menu();
    QVERIFY(view);
    bool hasLanguage = false;
    for (QAction* a : view->actions())
        hasLanguage = hasLanguage || (a->menu() && a->text() == QStringLiteral("&Sprache"));
    QVERIFY(hasLanguage);
    // Qt's own strings come from qtbase_de when the system has it.
    if (QFileInfo::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + "/qtbase_de.qm"))
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Abbrechen"));
}

void TestTranslations::settingEnglishGivesEnglish()
{
    rmm::setLanguageSetting(QStringLiteral("en"));
    QVERIFY(rmm::applyLanguage(rmm::languageSetting()));
    MainWindow window;
    QCOMPARE(menuTitle(window, 0), QStringLiteral("&File"));
    QCOMPARE(menuTitle(window, 1), QStringLiteral("&Edit"));
    QCOMPARE(menuTitle(window, 2), QStringLiteral("&View"));
    QCOMPARE(window.statusText(), QStringLiteral("No recording open"));
    QCOMPARE(QLocale().decimalPoint(), QStringLiteral("."));
}

void TestTranslations::germanNumbersInTheGui()
{
    rmm::setLanguageSetting(QStringLiteral("de"));
    QVERIFY(rmm::applyLanguage(rmm::languageSetting()));
    QCOMPARE(QLocale().decimalPoint(), QStringLiteral(","));
    MainWindow window;
    // Axis tick labels use the plot's locale (QCustomPlot's own default is C).
    const QList<QCustomPlot*> plots = window.tracePlot()->findChildren<QCustomPlot*>();
    QVERIFY(!plots.isEmpty());
    for (QCustomPlot* p : plots) {
        QCOMPARE(p->locale().decimalPoint(), QStringLiteral(","));
        QCOMPARE(p->locale().toString(1000.5, 'f', 1), QStringLiteral("1000,5")); // no digit grouping
    }
    window.setDemoSeconds(2.5);
    QSignalSpy loaded(&window, &MainWindow::recordingLoaded);
    window.openDemo();
    QVERIFY(loaded.wait(120000));
    const QString status = window.statusText();
    // The duration (seconds with 3 decimals below 10 s) has a decimal comma.
    static const QRegularExpression germanSeconds(QStringLiteral("\\b\\d,\\d{3} s\\b"));
    QVERIFY2(status.contains(germanSeconds), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("Durchgänge")) || status.contains(QStringLiteral("1 Durchgang")),
             qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("Kanäle")), qPrintable(status));
}

void TestTranslations::cNumericLocaleForExports()
{
    // QApplication applied the environment's locale to every C category; the workbench puts
    // LC_NUMERIC back to "C" so the engine's printf/strtod keep the decimal point.
    const char* german = std::setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (!german)
        german = std::setlocale(LC_NUMERIC, "de_DE");
    rmm::keepCNumericLocale();
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", 0.5);
    QCOMPARE(QString::fromLatin1(buffer), QStringLiteral("0.5"));
    if (!german)
        QSKIP("no German C locale installed: only the reset to \"C\" was checked");
}

void TestTranslations::exportedCsvKeepsTheDecimalPoint()
{
    QVERIFY(rmm::applyLanguage(QStringLiteral("de")));
    QCOMPARE(QLocale().toString(0.25), QStringLiteral("0,25")); // the GUI's numbers are German ...
    rmm::Run run;
    rmm::EpochRecord rec;
    rec.epoch = 3;
    rec.seconds = 1.5;
    rec.elapsed = 2.25;
    rec.lr = 0.001;
    rec.train_loss = 0.25;
    rec.validation_metric = 0.875;
    run.curves.push_back(rec);
    const QString path = rmmtest::scratchDir(QStringLiteral("translations")) + "/curves.csv";
    QString error;
    QVERIFY2(rmm::writeCurvesCsv(run, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.size() >= 2);
    QCOMPARE(lines[1], QByteArray("3,1.5,2.25,0.001,0.25,0.875")); // ... the exported data is not
}

void TestTranslations::runStatusIsStoredAsCode()
{
    QVERIFY(rmm::applyLanguage(QStringLiteral("de")));
    QCOMPARE(rmm::displayStatus(QStringLiteral("cancelled")), QStringLiteral("abgebrochen"));
    QCOMPARE(rmm::displayStatus(QStringLiteral("completed")), QStringLiteral("abgeschlossen"));
    QCOMPARE(rmm::displayStatus(QStringLiteral("time-limited")), QStringLiteral("am Zeitlimit beendet"));
    // An engine message (not a code) is shown as it is.
    QCOMPARE(rmm::displayStatus(QStringLiteral("training diverged at epoch 3")),
             QStringLiteral("training diverged at epoch 3"));
    rmm::Run run;
    run.status = QStringLiteral("cancelled");
    run.best_epoch = 6;
    rmm::RunStore store;
    store.add(run);
    // A stop keeps its best snapshot, and the list says so, in German.
    QCOMPARE(store.data(store.index(0, rmm::RunStore::Status), Qt::DisplayRole).toString(),
             QStringLiteral("gestoppt (bester Stand aus Epoche 7 behalten)"));
    // A default name follows the language of the day.
    QCOMPARE(store.data(store.index(0, rmm::RunStore::Name), Qt::DisplayRole).toString(),
             QStringLiteral("Lauf 1"));
}

void TestTranslations::messagesOfFreeFunctionsAreTranslated()
{
    // Code outside QObject classes must use the context lupdate records (here PlotExport::tr).
    QVERIFY(rmm::applyLanguage(QStringLiteral("de")));
    QString error;
    QVERIFY(!rmm::exportFigure({}, QStringLiteral("unused.png"), rmm::FigureOptions{}, &error));
    QCOMPARE(error, QStringLiteral("Nichts zu exportieren: Die Ansicht enthält keine Grafiken."));
}

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
