// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm sweep slurm` through the built binary, with sbatch and squeue stood in for by small
// scripts first in PATH (tests/slurm/test_slurm_sweep.sh runs a real cluster): the script is
// written and the command printed, --submit records the job id, runs SLURM holds are not
// submitted twice, `rmm sweep status` shows what squeue says (queued, ended without an exit
// code) and says so when squeue is missing, bad options are refused before anything is created,
// a refused submission exits 1 with sbatch's message, and a local `rmm sweep run` holding the
// folder is respected.
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QProcessEnvironment>
#include <QTest>

#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace {

using rmmtest::runRmm;
using Run = rmmtest::RmmRun;

void writeText(const QString& path, const std::string& text, bool executable = false)
{
    {
        std::ofstream f(path.toStdString(), std::ios::binary);
        f << text;
    }
    if (executable)
        QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                   QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

std::string readText(const QString& path)
{
    std::ifstream f(path.toStdString(), std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

} // namespace

class TestCliSweepSlurm : public QObject {
    Q_OBJECT
  private:
    QString dir_, bin_;

    /// The environment of `rmm`: PATH holds the stand-ins only (a real SLURM here is not asked).
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert("PATH", bin_);
        e.insert("RMM_WORKBENCH", "/nonexistent/rmm-workbench");
        return e;
    }
    Run slurm(const QString& out, const QStringList& more = {})
    {
        return runRmm(QStringList{"sweep", "slurm", "--config", dir_ + "/base.json", "--spec",
                                  dir_ + "/spec.json", "--out", out} +
                          more,
                      120000, env());
    }
    /// squeue prints `lines` (one "JOB_TASK STATE" each).
    void squeueSays(const std::string& lines)
    {
        writeText(bin_ + "/squeue.out", lines);
        writeText(bin_ + "/squeue", "#!/bin/sh\nexec /bin/cat '" + bin_.toStdString() + "/squeue.out'\n",
                  true);
    }

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(rmmtest::kRmm), qPrintable("build the rmm binary first: " + rmmtest::kRmm));
        dir_ = rmmtest::scratchDir("cli_sweep_slurm");
        bin_ = dir_ + "/bin";
        QDir().mkpath(bin_);
        const Run synth =
            runRmm({"synth", "--seconds", "4", "--trials", "2", "--out", dir_ + "/rec.h5", "--quiet"});
        QVERIFY2(synth.code == 0, qPrintable(synth.err));
        writeText(dir_ + "/base.json", R"({"data": {"file": "rec.h5", "trials": ["trial1", "trial2"],
            "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
            "validation_trial": "trial1"},
            "model": {"synapse": "lumped"},
            "training": {"method": "tf", "epochs": 2, "batches": 4, "seed": 1, "threads": 1}})");
        writeText(dir_ + "/spec.json", R"({"grid": {"training.rho": [5e-9, 5e-8]}, "seeds": [1, 2]})");
        // sbatch: records its arguments, answers as `sbatch --parsable` does.
        writeText(bin_ + "/sbatch",
                  "#!/bin/sh\necho \"$*\" >>'" + bin_.toStdString() + "/sbatch.args'\necho '777;cluster'\n",
                  true);
        squeueSays("");
    }

    void writesTheScriptAndPrintsTheCommand()
    {
        const QString out = dir_ + "/plain sweep";
        const Run r = slurm(out, {"--partition", "debug", "--time", "2:00:00", "--cpus", "2", "--mem", "4G",
                                  "--max-parallel", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("4 run(s), 0 done, 4 to submit"), qPrintable(r.out));
        QVERIFY2(r.out.contains("sbatch '" + out + "/sweep.sbatch'"), qPrintable(r.out));
        const std::string script = readText(out + "/sweep.sbatch");
        for (const char* line :
             {"#SBATCH --array=0-3%2\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=2:00:00\n",
              "#SBATCH --mem=4G\n", "#SBATCH --partition=debug\n"})
            QVERIFY2(script.find(line) != std::string::npos, line);
        // The tasks run this rmm.
        QVERIFY(script.find("RMM='" + QFileInfo(rmmtest::kRmm).canonicalFilePath().toStdString() + "'") !=
                std::string::npos);
        for (int i = 0; i < 4; ++i)
            QVERIFY(QFileInfo::exists(out + QString("/runs/%1/config.json").arg(i, 4, 10, QChar('0'))));
        QVERIFY(!QFileInfo::exists(out + "/slurm_jobs.txt"));
        QVERIFY(!QFileInfo::exists(bin_ + "/sbatch.args")); // not submitted
    }

    void submitsAndDoesNotSubmitTwice()
    {
        const QString out = dir_ + "/submitted";
        Run r = slurm(out, {"--submit"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("submitted: SLURM job 777 (array 0-3)"), qPrintable(r.out));
        QCOMPARE(readText(bin_ + "/sbatch.args"), "--parsable " + out.toStdString() + "/sweep.sbatch\n");
        QVERIFY(readText(out + "/slurm_jobs.txt").rfind("777 submitted=", 0) == 0);

        // While SLURM holds the tasks, submitting again submits nothing, and status says so.
        squeueSays("777_0 RUNNING\n777_1 PENDING\n777_2 PENDING\n777_3 PENDING\n");
        r = slurm(out, {"--submit"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("4 queued in SLURM, 0 to submit"), qPrintable(r.out));
        QVERIFY(r.out.contains("nothing to submit"));
        QCOMPARE(readText(bin_ + "/sbatch.args").size(),
                 ("--parsable " + out.toStdString() + "/sweep.sbatch\n").size());
        r = runRmm({"sweep", "status", out}, 60000, env());
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("queued in SLURM as job 777_1"), qPrintable(r.out));

        // Task 0 started, then SLURM ended it (time limit) before rmm train wrote an exit code.
        writeText(out + "/runs/0000/started",
                  "host=elsewhere pid=12 time=2024-05-01T12:00:00Z slurm_job=777_0\n");
        squeueSays("777_0 TIMEOUT\n777_1 CANCELLED\n777_2 CANCELLED\n777_3 CANCELLED\n");
        r = runRmm({"sweep", "status", out}, 60000, env());
        QVERIFY2(r.out.contains("SLURM job 777_0 ended (TIMEOUT) without an exit code"), qPrintable(r.out));
        QVERIFY2(r.out.contains("1 interrupted, 3 pending"), qPrintable(r.out));

        // All ended: submitted again, the second job recorded too.
        r = slurm(out, {"--submit"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("4 to submit"), qPrintable(r.out));
        QCOMPARE(QString::fromStdString(readText(out + "/slurm_jobs.txt")).count('\n'), 2);

        // Without squeue, status says so and goes by the folders.
        QFile::remove(bin_ + "/squeue");
        r = runRmm({"sweep", "status", out}, 60000, env());
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("squeue is not installed"), qPrintable(r.out));
        squeueSays("");
    }

    void badOptionsCreateNothing()
    {
        const QString out = dir_ + "/never";
        for (const QStringList& bad : {QStringList{"--time", "soon"}, QStringList{"--mem", "4GB"},
                                       QStringList{"--cpus", "0"}, QStringList{"--max-parallel", "0"},
                                       QStringList{"--partition", "a b"}, QStringList{"--jobs", "2"}}) {
            const Run r = slurm(out, bad);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(bad.front()), qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(out));
        }
    }

    void refusedSubmissionExits1()
    {
        writeText(bin_ + "/sbatch",
                  "#!/bin/sh\necho 'sbatch: error: Batch job submission failed: Invalid partition name "
                  "specified' >&2\n"
                  "exit 1\n",
                  true);
        const QString out = dir_ + "/refused";
        const Run r = slurm(out, {"--submit", "--partition", "nope"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("Invalid partition name specified"), qPrintable(r.err));
        QVERIFY(r.err.contains("submit it by hand"));
        QVERIFY(QFileInfo::exists(out + "/sweep.sbatch"));
        QVERIFY(!QFileInfo::exists(out + "/slurm_jobs.txt"));
    }

    void respectsALocalRun()
    {
        const QString out = dir_ + "/local";
        QDir().mkpath(out);
        // What `rmm sweep run` holds while it runs.
        const int fd = ::open((out + "/sweep.lock").toUtf8().constData(), O_RDWR | O_CREAT, 0644);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0);
        const Run r = slurm(out, {"--submit"});
        ::close(fd);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("in use by another `rmm sweep run`"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out + "/sweep.sbatch"));
    }
};

QTEST_GUILESS_MAIN(TestCliSweepSlurm)
#include "test_cli_sweep_slurm.moc"
