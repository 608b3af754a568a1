// SPDX-License-Identifier: GPL-3.0-or-later
// Background session saves: the session JSON is serialised on the GUI thread (cheap), the demo
// recording, the model files and the session file are written on a worker thread. One save
// runs at a time; saves asked for meanwhile wait, and of several waiting for the same file only
// the newest is written (coalescing). waitForIdle() blocks until everything asked for is on disk (used on
// quit).
#pragma once
#include "app/gui/session.hpp"

#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <vector>

template <typename T> class QFutureWatcher;

namespace rmm {

class SessionSaver : public QObject {
    Q_OBJECT
  public:
    explicit SessionSaver(QObject* parent = nullptr);
    ~SessionSaver() override;

    /// Queues a save of `state` to `path` (`autosave` is passed back in the signals).
    void save(const QString& path, const SessionState& state, bool autosave);
    /// True while a save is being written or waits.
    bool isBusy() const { return m_running || !m_pending.empty(); }
    /// Blocks until every queued save is written; the signals are emitted before it returns.
    void waitForIdle();
    /// Number of saves written so far (test hook for the coalescing).
    int writtenCount() const { return m_written; }

  signals:
    void saved(const QString& path, bool autosave);
    void failed(const QString& path, const QString& error, bool autosave);

  private:
    struct Job {
        SessionWrite write;
        bool autosave = false;
    };
    void start(Job job);
    void finish();

    QThreadPool m_pool;
    QFuture<QString> m_future; ///< the error ("" on success) of the running write
    QFutureWatcher<QString>* m_watcher = nullptr;
    bool m_running = false;
    Job m_current;
    std::vector<Job> m_pending; ///< at most one per session file, oldest first
    int m_written = 0;
};

} // namespace rmm
