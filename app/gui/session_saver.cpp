// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/session_saver.hpp"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace rmm {

SessionSaver::SessionSaver(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(QStringLiteral("rmm-session-saver"));
    m_watcher = new QFutureWatcher<QString>(this);
    connect(m_watcher, &QFutureWatcher<QString>::finished, this, &SessionSaver::finish);
}

SessionSaver::~SessionSaver()
{
    // Never lose a save, never leave a writer running on freed data; the owner is going away,
    // so nobody is told any more.
    blockSignals(true);
    m_watcher->disconnect(this);
    waitForIdle();
}

void SessionSaver::save(const QString& path, const SessionState& state, bool autosave)
{
    Job job{prepareSessionWrite(path, state), autosave};
    if (m_running) {
        for (Job& waiting : m_pending)
            if (waiting.write.path == job.write.path) {
                // The newer state replaces the waiting one (an explicit save stays explicit).
                job.autosave = job.autosave && waiting.autosave;
                waiting = std::move(job);
                return;
            }
        m_pending.push_back(std::move(job));
        return;
    }
    start(std::move(job));
}

void SessionSaver::start(Job job)
{
    m_running = true;
    m_current = std::move(job);
    const SessionWrite write = m_current.write; // shared_ptrs: a cheap copy for the worker
    m_future = QtConcurrent::run(&m_pool, [write]() {
        QString error;
        return writeSessionFiles(write, &error) ? QString() : error;
    });
    m_watcher->setFuture(m_future);
}

void SessionSaver::finish()
{
    if (!m_running || !m_future.isFinished())
        return; // a stale notification of a write handled in waitForIdle()
    m_running = false;
    const QString error = m_future.result();
    const Job done = std::move(m_current);
    m_current = Job();
    ++m_written;
    if (!m_pending.empty()) {
        Job next = std::move(m_pending.front());
        m_pending.erase(m_pending.begin());
        start(std::move(next));
    }
    if (error.isEmpty())
        emit saved(done.write.path, done.autosave);
    else
        emit failed(done.write.path, error, done.autosave);
}

void SessionSaver::waitForIdle()
{
    while (m_running) {
        m_future.waitForFinished();
        finish();
    }
}

} // namespace rmm
