// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace (app/gui/workspace.hpp) without any widget: the test runs under a plain
// QCoreApplication (QTEST_GUILESS_MAIN), so a widget created on the way would abort it.
#include "app/gui/run_store.hpp"
#include "app/gui/session.hpp"
#include "app/gui/workspace.hpp"
#include "common/fixtures.hpp"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace rmm;

namespace {

constexpr int kTimeoutMs = 60000;

Run finishedRun(const QString& name)
{
    Run r;
    r.name = name;
    r.status = QStringLiteral("completed");
    r.config.data.file = "rec.h5";
    r.config.data.neurons.resize(2);
    r.config.data.neurons[0].v = "v1";
    r.config.data.neurons[0].u = "u1";
    r.config.data.neurons[1].v = "v2";
    r.config.data.neurons[1].u = "u2";
    r.config.training.finalize(true);
    return r;
}

/// What error() said last ("" for nothing).
QString lastError(const QSignalSpy& spy)
{
    return spy.isEmpty() ? QString() : spy.back().front().toString();
}

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // autosaves and settings in the test location
        QCoreApplication::setOrganizationName(QStringLiteral("RMM-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_workspace"));
    }

    void demoOpensInTheBackground()
    {
        RunStore runs;
        Workspace ws(&runs);
        ws.setDemoSeconds(2);
        QSignalSpy started(&ws, &Workspace::loadStarted);
        QSignalSpy loaded(&ws, &Workspace::recordingLoaded);
        QSignalSpy title(&ws, &Workspace::titleChanged);
        ws.openDemo();
        QVERIFY(ws.isLoading());
        QCOMPARE(started.count(), 1);
        QVERIFY(loaded.wait(kTimeoutMs));
        QVERIFY(!ws.isLoading());
        QCOMPARE(ws.loadProgress(), -1.0);
        QVERIFY(ws.recording());
        QCOMPARE(ws.recording()->trials.size(), std::size_t(2)); // the demo's two trials
        QVERIFY(ws.isOpenFile(QStringLiteral("demo")));
        QVERIFY(!ws.isOpenFile(QStringLiteral("/tmp/other.abf")));
        QCOMPARE(title.count(), 1);
        QCOMPARE(title.front().front().toString(), ws.displayName());
        QVERIFY(ws.currentSession().recording.demo);
    }

    void aMissingFileSaysSoAndIsNotRecent()
    {
        RunStore runs;
        Workspace ws(&runs);
        const QString missing = rmmtest::scratchDir(QStringLiteral("workspace-missing")) + "/gone.abf";
        QSignalSpy error(&ws, &Workspace::error);
        QSignalSpy ended(&ws, &Workspace::loadEnded);
        ws.openFile(missing);
        QVERIFY(error.wait(kTimeoutMs));
        QCOMPARE(ended.count(), 1);
        QVERIFY2(error.front().front().toString().contains(QStringLiteral("gone.abf")),
                 qPrintable(error.front().front().toString()));
        QVERIFY(!ws.recording());
        QVERIFY(!ws.recentFiles().contains(QFileInfo(missing).absoluteFilePath()));
    }

    void aSavedSessionOpensInAnotherWorkspace()
    {
        const QString path = rmmtest::scratchDir(QStringLiteral("workspace-roundtrip")) + "/s.rmmsession";
        RunStore runs;
        Workspace ws(&runs);
        int selected = 0;
        Workspace::Views views;
        views.selectedRun = [&selected]() { return selected; };
        ws.setViews(views);
        runs.add(finishedRun(QStringLiteral("first")));
        selected = runs.add(finishedRun(QStringLiteral("second")));
        QVERIFY(!ws.hasUnsavedRuns()); // nothing said it changed
        ws.markModified();
        QVERIFY(ws.hasUnsavedRuns());
        QSignalSpy saved(&ws, &Workspace::sessionSaved);
        QSignalSpy title(&ws, &Workspace::titleChanged);
        ws.saveSessionTo(path);
        ws.waitForSaves();
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.front().at(1).toBool(), false); // the user's save, not an autosave
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(ws.sessionPath(), path);
        QCOMPARE(title.front().front().toString(), QStringLiteral("s.rmmsession"));
        QVERIFY(!ws.hasUnsavedRuns());
        QCOMPARE(ws.recentFiles().front(), QFileInfo(path).absoluteFilePath());

        RunStore runs2;
        Workspace ws2(&runs2);
        QList<int> applied; // the selection the views were given, once the runs were in the store
        std::size_t runsWhenApplied = 0;
        Workspace::Views views2;
        views2.apply = [&](const SessionState& s) {
            applied << s.selected_run;
            runsWhenApplied = runs2.runs().size();
        };
        ws2.setViews(views2);
        QSignalSpy error(&ws2, &Workspace::error);
        QVERIFY2(ws2.openSession(path), qPrintable(lastError(error))); // no recording: applied at once
        QCOMPARE(runs2.runs().size(), std::size_t(2));
        QCOMPARE(runs2.runs()[0].name, QStringLiteral("first"));
        QCOMPARE(runs2.runs()[1].name, QStringLiteral("second"));
        QCOMPARE(applied, QList<int>{selected});
        QCOMPARE(runsWhenApplied, std::size_t(2));
        QVERIFY(!ws2.hasUnsavedRuns()); // opened from the user's file
        QCOMPARE(ws2.sessionPath(), path);
    }

    void aSessionWaitsForItsRecording()
    {
        const QString path = rmmtest::scratchDir(QStringLiteral("workspace-demo")) + "/d.rmmsession";
        {
            RunStore runs;
            Workspace ws(&runs);
            ws.setDemoSeconds(2);
            QSignalSpy loaded(&ws, &Workspace::recordingLoaded);
            ws.openDemo();
            QVERIFY(loaded.wait(kTimeoutMs));
            runs.add(finishedRun(QStringLiteral("on the demo")));
            ws.saveSessionTo(path);
            ws.waitForSaves();
        }
        QVERIFY(QFileInfo::exists(demoFileFor(path))); // the demo's samples beside the session
        RunStore runs;
        Workspace ws(&runs);
        QStringList order;
        connect(&ws, &Workspace::recordingChanged, this, [&order]() { order << "recording"; });
        connect(&ws, &Workspace::recordingLoaded, this, [&order]() { order << "loaded"; });
        Workspace::Views views;
        views.apply = [&order, &runs](const SessionState&) {
            order << QString("apply %1").arg(runs.runs().size());
        };
        ws.setViews(views);
        QSignalSpy loaded(&ws, &Workspace::recordingLoaded);
        QSignalSpy error(&ws, &Workspace::error);
        QVERIFY2(ws.openSession(path), qPrintable(lastError(error)));
        QVERIFY(runs.runs().empty()); // not before its recording is there
        QVERIFY(loaded.wait(kTimeoutMs));
        QCOMPARE(order, (QStringList{"recording", "apply 1", "loaded"}));
        QVERIFY(ws.recording());
    }

    void unsavedRunsAreAskedAbout()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("workspace-unsaved"));
        RunStore runs;
        Workspace ws(&runs);
        runs.add(finishedRun(QStringLiteral("precious")));
        ws.markModified();
        QList<QPair<int, QString>> asked;
        Workspace::UnsavedRuns answer = Workspace::UnsavedRuns::Cancel;
        QString location; // where "Save…" puts it ("" = the user cancelled the file dialog)
        Workspace::Questions q;
        q.unsavedRuns = [&](int n, const QString& what) {
            asked << qMakePair(n, what);
            return answer;
        };
        q.saveLocation = [&location]() { return location; };
        ws.setQuestions(q);

        QVERIFY(!ws.resolveUnsavedRuns(QStringLiteral("quitting")));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.front().first, 1);
        QCOMPARE(asked.front().second, QStringLiteral("quitting"));
        QVERIFY(ws.hasUnsavedRuns());

        answer = Workspace::UnsavedRuns::Save; // ... and then cancels the file dialog
        QVERIFY(!ws.resolveUnsavedRuns(QStringLiteral("quitting")));
        QVERIFY(ws.hasUnsavedRuns());

        answer = Workspace::UnsavedRuns::Discard; // the autosave still keeps them
        QVERIFY(ws.resolveUnsavedRuns(QStringLiteral("quitting")));
        ws.waitForSaves();
        QVERIFY(QFileInfo::exists(ws.autosavePath()));
        SessionState back;
        QString message;
        QVERIFY2(loadSession(ws.autosavePath(), &back, &message), qPrintable(message));
        QCOMPARE(back.runs.size(), std::size_t(1));

        ws.markModified();
        answer = Workspace::UnsavedRuns::Save;
        location = dir + "/chosen.rmmsession";
        QVERIFY(ws.resolveUnsavedRuns(QStringLiteral("quitting")));
        QVERIFY(QFileInfo::exists(location));
        QCOMPARE(ws.sessionPath(), location);
        const int questions = static_cast<int>(asked.size());
        ws.markModified(); // a saved session is brought up to date without a question
        QVERIFY(ws.resolveUnsavedRuns(QStringLiteral("quitting")));
        QCOMPARE(asked.size(), questions);
    }

    void aDamagedSessionChangesNothing()
    {
        const QString path = rmmtest::scratchDir(QStringLiteral("workspace-damaged")) + "/bad.rmmsession";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"rmm-session\", \"version\": 2, \"runs\": [");
        f.close();
        RunStore runs;
        Workspace ws(&runs);
        runs.add(finishedRun(QStringLiteral("kept")));
        QSignalSpy error(&ws, &Workspace::error);
        QVERIFY(!ws.openSession(path));
        QCOMPARE(error.count(), 1);
        QVERIFY2(error.front().front().toString().contains(QStringLiteral("bad.rmmsession")),
                 qPrintable(error.front().front().toString()));
        QCOMPARE(runs.runs().size(), std::size_t(1));
        QVERIFY(ws.sessionPath().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
