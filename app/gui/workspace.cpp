// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/workspace.hpp"

#include "app/gui/autosaves.hpp"
#include "app/gui/run_store.hpp"
#include "app/gui/session_saver.hpp"
#include "engine/core/error.hpp"
#include "engine/core/progress.hpp"
#include "engine/synth/hco.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QSettings>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <new>

namespace rmm {

namespace {

constexpr int kMaxRecent = 10;
const QString kRecentKey = QStringLiteral("recentFiles");

class StateProgress final : public Progress {
  public:
    explicit StateProgress(std::atomic<double>& fraction, std::atomic<bool>& cancel)
        : m_fraction(fraction), m_cancel(cancel)
    {
    }
    bool report(double fraction, const std::string&) override
    {
        m_fraction.store(fraction);
        return !m_cancel.load();
    }

  private:
    std::atomic<double>& m_fraction;
    std::atomic<bool>& m_cancel;
};

} // namespace

/// Shared between the GUI thread and the loading worker.
struct Workspace::LoadState {
    std::atomic<double> fraction{-1.0}; ///< < 0: unknown (busy indicator)
    std::atomic<bool> cancel{false};
};

struct Workspace::LoadResult {
    std::shared_ptr<const Recording> recording;
    QString error;
    bool cancelled = false;
};

Workspace::Workspace(RunStore* runs, QObject* parent) : QObject(parent), m_runs(runs)
{
    m_autosavePath = newAutosavePath(QDateTime::currentDateTime());
    m_saver = new SessionSaver(this);
    connect(m_saver, &SessionSaver::saved, this, [this](const QString& path, bool automatic) {
        m_demoFilesWritten.insert(demoFileFor(path));
        emit status(automatic ? tr("Autosaved to %1").arg(QDir::toNativeSeparators(path))
                              : tr("Saved %1").arg(QDir::toNativeSeparators(path)),
                    automatic ? 3000 : 5000);
        emit sessionSaved(path, automatic);
    });
    connect(m_saver, &SessionSaver::failed, this,
            [this](const QString&, const QString& message, bool automatic) {
                m_modified = true; // what failed to reach the disk is still unsaved
                m_unsaved = true;
                if (automatic)
                    emit status(tr("Autosave failed: %1").arg(message), 8000);
                else
                    emit error(message);
            });
    // Saves are written in the background, so autosave runs during training too (the running
    // run is saved once it has finished).
    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(60 * 1000);
    connect(m_autosaveTimer, &QTimer::timeout, this, [this]() {
        if (m_modified)
            autosave();
    });
    m_autosaveTimer->start();
}

Workspace::~Workspace()
{
    if (m_loadState)
        m_loadState->cancel = true;
    m_saver->waitForIdle(); // saves finish while the runs they copy are whole
}

// ---- the recording

void Workspace::openFile(const QString& path)
{
    m_lastLoadDemo = false;
    m_loadPath = QFileInfo(path).absoluteFilePath(); // a recent file once it has opened
    startLoad(QFileInfo(path).fileName(), false, path);
}

void Workspace::openDemo()
{
    m_lastLoadDemo = true;
    m_loadPath.clear();
    startLoad(tr("demo (synthetic HCO)"), true, QString());
}

double Workspace::loadProgress() const
{
    return m_loadState ? m_loadState->fraction.load() : -1.0;
}

bool Workspace::isOpenFile(const QString& path) const
{
    if (!m_recording)
        return false;
    const QString open = QString::fromStdString(m_recording->source);
    if (path == QLatin1String("demo") || open == QLatin1String("demo"))
        return path == open;
    return QFileInfo(path).isFile() &&
           QFileInfo(path).canonicalFilePath() == QFileInfo(open).canonicalFilePath();
}

void Workspace::startLoad(const QString& displayName, bool demo, const QString& path)
{
    if (m_loadState)
        m_loadState->cancel = true; // a newer request replaces a running one
    auto state = std::make_shared<LoadState>();
    m_loadState = state;
    const quint64 generation = ++m_loadGeneration;
    m_loading = true;
    emit loadStarted(displayName);
    emit status(tr("Loading %1…").arg(displayName), 0);

    const double seconds = m_demoSeconds;
    const std::string file = path.toStdString();
    auto work = [state, demo, seconds, file]() -> LoadResult {
        LoadResult r;
        try {
            Recording rec;
            if (demo) {
                HcoConfig config;
                config.seconds = seconds;
                StateProgress progress(state->fraction, state->cancel);
                rec = synthesizeHco(config, &progress);
            } else {
                rec = loadRecording(file);
            }
            if (rec.trials.empty() || rec.trials.front().channels.empty())
                throw Error((demo ? std::string("demo") : file) +
                            ": the recording holds no channels to show");
            r.recording = std::make_shared<const Recording>(std::move(rec));
        } catch (const Cancelled&) {
            r.cancelled = true;
        } catch (const Error& e) {
            r.error = QString::fromStdString(e.what());
        } catch (const std::bad_alloc&) {
            r.error = QCoreApplication::translate("rmm::Workspace", "Not enough memory to load %1.")
                          .arg(QString::fromStdString(file));
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(file + ": " + e.what());
        }
        return r;
    };
    auto* watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, generation, displayName]() {
        const LoadResult result = watcher->result();
        watcher->deleteLater();
        if (generation != m_loadGeneration)
            return; // superseded by a newer load
        if (result.recording)
            m_displayName = displayName;
        finishLoad(result);
    });
    watcher->setFuture(QtConcurrent::run(work));
}

void Workspace::finishLoad(const LoadResult& result)
{
    m_loading = false;
    m_loadState.reset();
    emit loadEnded();
    if (result.cancelled)
        return;
    if (!result.recording) {
        if (m_pendingSession) {
            const auto pending = m_pendingSession; // the runs and settings open without their recording
            m_pendingSession.reset();
            applySession(*pending);
        }
        if (!m_loadPath.isEmpty())
            removeRecent(m_loadPath); // Open recent lists only files that open
        emit error(result.error.isEmpty() ? tr("The recording could not be loaded.") : result.error);
        return;
    }
    if (!m_loadPath.isEmpty())
        addRecent(m_loadPath);
    m_recording = result.recording;
    m_demoFilesWritten.clear();
    emit recordingChanged();
    if (m_pendingSession) {
        const auto pending = m_pendingSession;
        m_pendingSession.reset();
        applySession(*pending);
    }
    emit titleChanged(m_displayName);
    emit recordingLoaded();
}

// ---- the session

void Workspace::markModified()
{
    m_modified = true;
    m_unsaved = true;
}

bool Workspace::hasUnsavedRuns() const
{
    return m_unsaved && !m_runs->runs().empty();
}

SessionState Workspace::currentSession() const
{
    SessionState s;
    s.recording.demo = m_lastLoadDemo && m_recording;
    s.recording.demo_seconds = m_demoSeconds;
    s.recording.path = m_recording ? QString::fromStdString(m_recording->source) : QString();
    s.config = m_views.config ? m_views.config() : nlohmann::json(); // null: the runs are still saved
    for (const Run& r : m_runs->runs())
        if (r.status != QLatin1String("running"))
            s.runs.push_back(r);
    const int selected = m_views.selectedRun ? m_views.selectedRun() : 0;
    if (m_runs->find(selected) && m_runs->find(selected)->status != QLatin1String("running"))
        s.selected_run = selected;
    return s;
}

SessionState Workspace::sessionForSave(const QString& path) const
{
    SessionState s = currentSession();
    // The demo's samples are written beside the session once per recording and file.
    const QString demoFile = demoFileFor(path);
    if (s.recording.demo && !(m_demoFilesWritten.contains(demoFile) && QFileInfo::exists(demoFile)))
        s.demo_recording = m_recording;
    return s;
}

void Workspace::saveSessionTo(const QString& path)
{
    m_saver->save(path, sessionForSave(path), false);
    m_sessionPath = path;
    addRecent(QFileInfo(path).absoluteFilePath());
    emit titleChanged(QFileInfo(path).fileName());
    m_modified = false;
    m_unsaved = false;
    emit status(tr("Saving %1…").arg(QDir::toNativeSeparators(path)), 0);
}

void Workspace::save()
{
    QString path = m_sessionPath;
    if (path.isEmpty() && m_questions.saveLocation)
        path = m_questions.saveLocation();
    if (!path.isEmpty())
        saveSessionTo(path);
}

void Workspace::autosave()
{
    m_modified = false;
    if (!m_sessionPath.isEmpty()) { // a session the user saved is kept current in its own file
        m_saver->save(m_sessionPath, sessionForSave(m_sessionPath), true);
        m_unsaved = false; // a failure (the saver's signal) sets it again
        return;
    }
    SessionState state = currentSession();
    if (state.runs.empty())
        return;                   // nothing worth restoring; an earlier window's autosave is never touched
    state.demo_recording.reset(); // restoring regenerates the demo; quitting stays quick
    m_saver->save(m_autosavePath, state, true);
    pruneAutosaves(kAutosavesKept, m_autosavePath);
}

void Workspace::waitForSaves()
{
    m_saver->waitForIdle();
}

bool Workspace::resolveUnsavedRuns(const QString& what)
{
    if (m_unsaved && !m_sessionPath.isEmpty()) { // a saved session: brought up to date, no question
        autosave();
        waitForSaves();
    }
    if (!hasUnsavedRuns())
        return true;
    UnsavedRuns answer = m_unsavedAnswer;
    if (answer == UnsavedRuns::Ask)
        answer = m_questions.unsavedRuns
                     ? m_questions.unsavedRuns(static_cast<int>(m_runs->runs().size()), what)
                     : UnsavedRuns::Cancel;
    switch (answer) {
    case UnsavedRuns::Discard:
        autosave(); // "don't save" still leaves the autosave to restore from
        return true;
    case UnsavedRuns::Save:
        save();
        waitForSaves();
        return !m_unsaved; // false when the user cancelled choosing a file or the save failed
    default:
        return false;
    }
}

bool Workspace::openSession(const QString& path)
{
    if (!resolveUnsavedRuns(tr("opening another session")))
        return false;
    auto state = std::make_shared<SessionState>();
    QString message;
    if (!loadSession(path, state.get(), &message)) {
        emit error(message);
        return false;
    }
    // An autosave opens as an untitled session: Save asks where its runs go.
    const bool isAutosave =
        QFileInfo(path).absolutePath() == QFileInfo(autosaveFolder()).absoluteFilePath() ||
        QFileInfo(path).fileName() == QLatin1String("autosave.rmmsession");
    m_sessionPath = isAutosave ? QString() : path;
    if (!isAutosave)
        addRecent(QFileInfo(path).absoluteFilePath());
    m_pendingSession = state;
    // loadSession resolved the recording (beside the session first, then where it was saved). A
    // demo session opens the samples written beside it, or regenerates the demo without them.
    const QString rec = state->recording.path;
    const bool haveFile = !rec.isEmpty() && rec != QLatin1String("demo") && QFileInfo(rec).isFile();
    if (state->recording.demo)
        setDemoSeconds(state->recording.demo_seconds);
    if (!haveFile && state->recording.demo) {
        openDemo(); // a file beats the demo, the demo beats a missing file
    } else if (!rec.isEmpty()) {
        openFile(rec); // a missing file fails with a message naming it; the runs still open
    } else {
        m_pendingSession.reset();
        applySession(*state);
    }
    return true;
}

void Workspace::applySession(const SessionState& state)
{
    m_runs->clear();
    for (const Run& r : state.runs)
        m_runs->add(r);
    if (m_views.apply)
        m_views.apply(state);
    m_modified = false;
    m_unsaved = m_sessionPath.isEmpty(); // restored from an autosave: not yet in a file of the user's
    emit status(tr("Session restored: %n run(s)", nullptr, static_cast<int>(state.runs.size())), 5000);
}

void Workspace::close()
{
    if (m_modified)
        autosave();
    waitForSaves(); // quitting never loses a save in flight
    if (m_loadState)
        m_loadState->cancel = true;
}

// ---- recent files

QStringList Workspace::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void Workspace::openRecent(const QString& path)
{
    if (path.endsWith(QStringLiteral(".rmmsession")))
        openSession(path);
    else
        openFile(path);
}

void Workspace::addRecent(const QString& path)
{
    QSettings s;
    QStringList list = s.value(kRecentKey).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent)
        list.removeLast();
    s.setValue(kRecentKey, list);
    emit recentFilesChanged();
}

void Workspace::removeRecent(const QString& path)
{
    QSettings s;
    QStringList list = s.value(kRecentKey).toStringList();
    if (list.removeAll(path) > 0) {
        s.setValue(kRecentKey, list);
        emit recentFilesChanged();
    }
}

} // namespace rmm
