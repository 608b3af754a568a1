// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps on SLURM (engine/sweep/slurm.hpp): the job array list, the checks of --time and --mem,
// the sbatch script's #SBATCH lines and quoting, and the script's bash body run for real on a
// fake run folder with a stub `rmm` (started, exit_code, skip when done, SIGTERM). SLURM's own
// commands are stood in for by small scripts in PATH here; tests/slurm/test_slurm_sweep.sh runs a
// real cluster.
#include "common/errors.hpp"
#include "engine/sweep/slurm.hpp"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fstream>
#include <sstream>

using namespace rmm::sweep;
using rmmtest::errorOf;

// Note: no QCOMPARE on RunState: QTest would find rmm::sweep::toString(RunState) by ADL and
// delete[] the static string it returns.
namespace {

void writeFile(const QString& path, const std::string& text, bool executable = false)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(text.data(), static_cast<qint64>(text.size()));
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                         QFileDevice::ExeOther);
}

std::string readFile(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A sweep folder of `n` runs in runs/0000.. (only what sbatchScript reads).
SweepFolder folder(const std::string& dir, int n)
{
    SweepFolder f;
    f.dir = dir;
    for (int i = 0; i < n; ++i) {
        SweepRun r;
        r.index = i;
        char buf[32];
        std::snprintf(buf, sizeof buf, "runs/%04d", i);
        r.folder = buf;
        f.runs.push_back(r);
    }
    return f;
}

/// A stub `rmm`: records its arguments, checks that the run's old exit_code is gone and `started`
/// is written, writes result/report.json unless STUB_NO_REPORT is set, and exits with
/// $STUB_EXIT (0). With STUB_WAIT_TERM it waits for SIGTERM and then exits 7 (as rmm train, which
/// saves its model and ends when SLURM sends SIGTERM).
const char* kStub = R"(#!/bin/bash
run=$(dirname "$3")
echo "stub args: $*" >>"$run/stub_calls"
echo "stub says hello"
echo "stub complains" >&2
[ -e "$run/exit_code" ] && echo "stale exit_code still there" >>"$run/stub_calls"
[ -s "$run/started" ] || echo "started missing" >>"$run/stub_calls"
if [ -n "${STUB_WAIT_TERM:-}" ]; then
    trap 'echo "stub got TERM" >>"$run/stub_calls"; exit 7' TERM
    echo $$ >"$run/stub.pid"
    for i in $(seq 1 200); do sleep 0.05; done
    exit 9
fi
if [ -z "${STUB_NO_REPORT:-}" ]; then mkdir -p "$5" && echo '{}' >"$5/report.json"; fi
exit "${STUB_EXIT:-0}"
)";

struct Ran {
    int code = -1;
    std::string out, err;
};

/// Runs the script as array task `task` of job 77 with bash, in `env` (+ the given variables).
Ran runTask(const QString& script, int task, const QStringList& vars, QProcess* started = nullptr)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("RMM");
    env.insert("SLURM_ARRAY_TASK_ID", QString::number(task));
    env.insert("SLURM_ARRAY_JOB_ID", "77");
    env.insert("SLURM_CPUS_PER_TASK", "3");
    for (const QString& v : vars)
        env.insert(v.section('=', 0, 0), v.section('=', 1));
    QProcess local;
    QProcess& p = started ? *started : local;
    p.setProcessEnvironment(env);
    p.start("bash", {script});
    Ran r;
    if (!p.waitForStarted(10000))
        return r;
    if (started)
        return r; // the caller waits
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput().toStdString();
    r.err = p.readAllStandardError().toStdString();
    return r;
}

/// Prepends `dir` to PATH for the lifetime of this object.
class PathPrefix {
  public:
    explicit PathPrefix(const QString& dir, bool only = false) : old_(qgetenv("PATH"))
    {
        qputenv("PATH", only ? dir.toUtf8() : (dir + ":").toUtf8() + old_);
    }
    ~PathPrefix() { qputenv("PATH", old_); }

  private:
    QByteArray old_;
};

} // namespace

class TestSweepSlurm : public QObject {
    Q_OBJECT
  private slots:
    void arrayListCompacted()
    {
        QCOMPARE(compactIndexList({0, 1, 2, 3, 4, 5, 8, 10, 11}), std::string("0-5,8,10-11"));
        QCOMPARE(compactIndexList({11, 10, 8, 5, 4, 3, 2, 1, 0, 8, 3}), std::string("0-5,8,10-11"));
        QCOMPARE(compactIndexList({7}), std::string("7"));
        QCOMPARE(compactIndexList({1, 3, 5}), std::string("1,3,5"));
        QCOMPARE(compactIndexList({2, 3}), std::string("2-3"));
        QCOMPARE(compactIndexList({0, 2, 3, 4, 9999}), std::string("0,2-4,9999"));
        QVERIFY(errorOf([] { compactIndexList({}); }).contains("at least one run"));
        QVERIFY(errorOf([] { compactIndexList({-1, 2}); }).contains("-1"));
    }

    void timeLimits_data()
    {
        QTest::addColumn<QString>("time");
        QTest::addColumn<bool>("valid");
        for (const char* t : {"30", "90", "5:00", "2:00:00", "48:00:00", "1-0", "1-12", "1-12:30",
                              "2-00:00:00", "0:30", "UNLIMITED", "infinite"})
            QTest::newRow(t) << QString(t) << true;
        for (const char* t : {"", "0", "00:00:00", "1h", "2:60", "1:2:3:4", "1-24", "1-2:3:60", "-5", "1-",
                              ":30", "1 2", "12:", "1.5", "a-1"})
            QTest::newRow(t[0] ? t : "empty") << QString(t) << false;
    }
    void timeLimits()
    {
        QFETCH(QString, time);
        QFETCH(bool, valid);
        QCOMPARE(isSlurmTime(time.toStdString()), valid);
    }

    void timeSecondsAndTrainBudget()
    {
        QCOMPARE(slurmTimeSeconds("30"), 1800L);
        QCOMPARE(slurmTimeSeconds("05:30"), 330L);
        QCOMPARE(slurmTimeSeconds("1:00:00"), 3600L);
        QCOMPARE(slurmTimeSeconds("2-3"), 2 * 86400L + 3 * 3600L);
        QCOMPARE(slurmTimeSeconds("1-02:03"), 86400L + 2 * 3600L + 3 * 60L);
        QCOMPARE(slurmTimeSeconds("1-02:03:04"), 86400L + 2 * 3600L + 3 * 60L + 4L);
        QCOMPARE(slurmTimeSeconds("UNLIMITED"), 0L);
        QCOMPARE(slurmTimeSeconds("bad"), 0L);
        QCOMPARE(trainTimeLimitFor(3600), 3240L);   // 10 %
        QCOMPARE(trainTimeLimitFor(300), 240L);     // at least a minute before
        QCOMPARE(trainTimeLimitFor(86400), 85800L); // at most ten minutes before
        QCOMPARE(trainTimeLimitFor(100), 0L);       // too short for a margin: none
        QCOMPARE(trainTimeLimitFor(0), 0L);
        // The job array passes the budget to rmm train.
        SlurmOptions o;
        o.time = "1:00:00";
        const std::string script = sbatchScript(folder("/tmp/s", 1), o, {0}, "/usr/bin/rmm");
        QVERIFY2(script.find("--threads \"${SLURM_CPUS_PER_TASK:-1}\" \\\n    --time-budget 3240s >") !=
                     std::string::npos,
                 script.c_str());
        QVERIFY(
            sbatchScript(folder("/tmp/s", 1), SlurmOptions{}, {0}, "/usr/bin/rmm").find("--time-budget") ==
            std::string::npos);
    }

    void memorySizes()
    {
        for (const char* m : {"4G", "500M", "500", "1T", "64g", "1024K"})
            QVERIFY2(isSlurmMemory(m), m);
        for (const char* m : {"", "0", "4GB", "G", "1.5G", "-4G", "4 G", "4X"})
            QVERIFY2(!isSlurmMemory(m), m);
    }

    void optionsValidatedNamingTheOption()
    {
        SlurmOptions o;
        validateSlurmOptions(o); // the defaults are valid
        o.time = "1:2:3:4";
        QVERIFY(errorOf([&] { validateSlurmOptions(o); }).contains("--time '1:2:3:4'"));
        o = {};
        o.mem = "4GB";
        const QString mem = errorOf([&] { validateSlurmOptions(o); });
        QVERIFY(mem.contains("--mem '4GB'"));
        QVERIFY(mem.contains("\"4G\""));
        o = {};
        o.cpus = 0;
        QVERIFY(errorOf([&] { validateSlurmOptions(o); }).contains("--cpus 0"));
        o = {};
        o.max_parallel = -2;
        QVERIFY(errorOf([&] { validateSlurmOptions(o); }).contains("--max-parallel -2"));
        o = {};
        o.partition = "debug; rm -rf /";
        QVERIFY(errorOf([&] { validateSlurmOptions(o); }).contains("--partition"));
        o.partition = "gpu,cpu_long";
        validateSlurmOptions(o);
    }

    void shellQuoteRoundTrips()
    {
        for (const std::string s : {"plain", "with space", "it's", "'", "$HOME `x` \"q\" \\ *", "", "a\nb"}) {
            QProcess p;
            p.start("bash", {"-c", QString::fromStdString("printf %s " + shellQuote(s))});
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.readAllStandardOutput().toStdString(), s);
        }
    }

    void scriptHeader()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/my sweep 50%";
        SlurmOptions o;
        o.partition = "debug";
        o.time = "1-12:00:00";
        o.cpus = 4;
        o.mem = "4G";
        o.max_parallel = 2;
        const std::string s =
            sbatchScript(folder(dir + "/", 12), o, {11, 0, 1, 2, 3, 4, 5, 8, 10}, "/opt/rmm dir/rmm");
        QVERIFY(s.rfind("#!/bin/bash\n", 0) == 0);
        QVERIFY(s.find("\n#SBATCH --job-name=\"rmm-sweep-my sweep 50%\"\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --array=0-5,8,10-11%2\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --cpus-per-task=4\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --time=1-12:00:00\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --mem=4G\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --partition=debug\n") != std::string::npos);
        QVERIFY(s.find("\n#SBATCH --chdir=\"" + dir + "\"\n") != std::string::npos);
        // '%' of the folder's name doubled: it would start a file name pattern.
        QVERIFY(s.find("\n#SBATCH --output=\"" + tmp.path().toStdString() +
                       "/my sweep 50%%/runs/slurm-%A_%a.log\"\n") != std::string::npos);
        QVERIFY(s.find("RMM='/opt/rmm dir/rmm'") != std::string::npos);
        QVERIFY(s.find("SWEEP='" + dir + "'") != std::string::npos);
        // All #SBATCH lines come before the first command (sbatch stops reading them there).
        const auto firstCommand = s.find("\nset -u\n");
        QVERIFY(firstCommand != std::string::npos);
        QVERIFY(s.rfind("#SBATCH", firstCommand) < firstCommand);
        QVERIFY(s.find("#SBATCH", firstCommand) == std::string::npos);

        // Without options: no throttle, partition, time or memory lines.
        const std::string plain = sbatchScript(folder(dir, 3), SlurmOptions{}, {1}, "rmm");
        QVERIFY(plain.find("\n#SBATCH --array=1\n") != std::string::npos);
        QVERIFY(plain.find("--partition") == std::string::npos);
        QVERIFY(plain.find("--time") == std::string::npos);
        QVERIFY(plain.find("--mem") == std::string::npos);
        QVERIFY(plain.find("#SBATCH --cpus-per-task=1\n") != std::string::npos);

        // A folder whose name looks like a placeholder of the script's text stays as it is.
        const std::string odd = sbatchScript(folder("/tmp/@RMM@ x", 1), SlurmOptions{}, {0}, "/bin/rmm");
        QVERIFY(odd.find("\nSWEEP='/tmp/@RMM@ x'\n") != std::string::npos);
        QVERIFY(odd.find("\n    RMM='/bin/rmm'\n") != std::string::npos);

        // bash accepts it.
        writeFile(tmp.path() + "/check.sbatch", s);
        QProcess p;
        p.start("bash", {"-n", tmp.path() + "/check.sbatch"});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
    }

    void scriptRefusesWhatItCannotRun()
    {
        SlurmOptions o;
        QVERIFY(errorOf([&] {
                    sbatchScript(folder("/tmp/s", 3), o, {1, 5}, "rmm");
                }).contains("has no run 5"));
        QVERIFY(
            errorOf([&] { sbatchScript(folder("/tmp/s", 3), o, {}, "rmm"); }).contains("at least one run"));
        SweepFolder odd = folder("/tmp/s", 3);
        odd.runs[2].folder = "runs/2";
        QVERIFY(errorOf([&] { sbatchScript(odd, o, {2}, "rmm"); }).contains("'runs/0002'"));
        QVERIFY(errorOf([&] {
                    sbatchScript(folder("/tmp/say \"hi\"", 3), o, {0}, "rmm");
                }).contains("cannot have"));
        o.time = "soon";
        QVERIFY(errorOf([&] { sbatchScript(folder("/tmp/s", 3), o, {0}, "rmm"); }).contains("--time 'soon'"));
    }

    /// The body, run with bash as SLURM would, on a folder whose path has a space and a quote.
    void scriptBodyRunsATask()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/it's a sweep";
        const QString stub = tmp.path() + "/bin dir/rmm";
        writeFile(stub, kStub, true);
        for (int i = 0; i < 4; ++i)
            writeFile(dir + QString("/runs/%1/config.json").arg(i, 4, 10, QChar('0')), "{}");
        const QString script = dir + "/sweep.sbatch";
        writeFile(script, sbatchScript(folder(dir.toStdString(), 4), SlurmOptions{}, {0, 1, 2, 3},
                                       stub.toStdString()));

        // Task 1: trains (with the rmm the script was written for, as RMM is not set).
        const QString run1 = dir + "/runs/0001";
        writeFile(run1 + "/exit_code", "1\n"); // stale, from an earlier attempt
        Ran r = runTask(script, 1, {});
        QCOMPARE(r.code, 0);
        const std::string calls = readFile(run1 + "/stub_calls");
        QCOMPARE(calls, "stub args: train --config " + run1.toStdString() + "/config.json --out " +
                            run1.toStdString() + "/result --threads 3\n");
        QCOMPARE(readFile(run1 + "/exit_code"), std::string("0\n"));
        const std::string started = readFile(run1 + "/started");
        QVERIFY2(started.rfind("host=", 0) == 0, started.c_str());
        QVERIFY(started.find(" pid=") != std::string::npos);
        QVERIFY2(QRegularExpression(" time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ")
                     .match(QString::fromStdString(started))
                     .hasMatch(),
                 started.c_str());
        QVERIFY2(started.find(" slurm_job=77_1\n") != std::string::npos, started.c_str());
        QCOMPARE(std::count(started.begin(), started.end(), '\n'), 1L);
        const std::string log = readFile(run1 + "/train.log");
        QVERIFY(log.find("stub says hello") != std::string::npos);
        QVERIFY(log.find("stub complains") != std::string::npos);
        QVERIFY(QDir(run1).entryList(QStringList{".exit_code*"}, QDir::Files | QDir::Hidden).isEmpty());

        // Again: done, so skipped without calling rmm.
        r = runTask(script, 1, {});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.find("done already") != std::string::npos);
        QCOMPARE(readFile(run1 + "/stub_calls"), calls);

        // Task 2 fails: its exit code is recorded and returned; RMM from the environment is used.
        const QString run2 = dir + "/runs/0002";
        QFile::copy(stub, tmp.path() + "/other-rmm");
        r = runTask(script, 2, {"RMM=" + tmp.path() + "/other-rmm", "STUB_EXIT=3", "STUB_NO_REPORT=1"});
        QCOMPARE(r.code, 3);
        QCOMPARE(readFile(run2 + "/exit_code"), std::string("3\n"));
        QVERIFY(readFile(run2 + "/stub_calls").find("--threads 3") != std::string::npos);
        // A failed run is tried again (only done runs are skipped).
        r = runTask(script, 2, {});
        QCOMPARE(r.code, 0);
        QCOMPARE(readFile(run2 + "/exit_code"), std::string("0\n"));
        // ... with the failed attempt's log set aside, as `rmm sweep run` does.
        QVERIFY(readFile(run2 + "/train.log.previous").find("stub says hello") != std::string::npos);

        // A report with a non-zero exit code (e.g. cancelled) is not done: trained again.
        const QString run3 = dir + "/runs/0003";
        writeFile(run3 + "/result/report.json", "{}");
        writeFile(run3 + "/exit_code", "130\n");
        r = runTask(script, 3, {});
        QCOMPARE(r.code, 0);
        QVERIFY(!readFile(run3 + "/stub_calls").empty());
        QVERIFY(QFileInfo::exists(run3 + "/result.previous/report.json")); // the earlier attempt's
        QVERIFY(QFileInfo::exists(run3 + "/result/report.json"));          // this one's

        // rmm that cannot be run: exit code 127 recorded.
        const QString run0 = dir + "/runs/0000";
        r = runTask(script, 0, {"RMM=" + tmp.path() + "/no such rmm"});
        QCOMPARE(r.code, 127);
        QCOMPARE(readFile(run0 + "/exit_code"), std::string("127\n"));

        // A run folder without config.json: exit 2, nothing written.
        r = runTask(script, 3, {"SLURM_ARRAY_TASK_ID=7"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.find("runs/0007/config.json is missing") != std::string::npos);
        QVERIFY(!QFileInfo::exists(dir + "/runs/0007"));
    }

    /// SLURM's SIGTERM (time limit, scancel) goes to every process of the task: rmm train ends on
    /// its own terms and the script records its exit code instead of dying first.
    void scriptRecordsExitCodeOnSigterm()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/sweep";
        const QString stub = tmp.path() + "/rmm";
        writeFile(stub, kStub, true);
        writeFile(dir + "/runs/0000/config.json", "{}");
        const QString script = dir + "/sweep.sbatch";
        writeFile(script,
                  sbatchScript(folder(dir.toStdString(), 1), SlurmOptions{}, {0}, stub.toStdString()));
        QProcess p;
        runTask(script, 0, {"STUB_WAIT_TERM=1"}, &p);
        const QString pidFile = dir + "/runs/0000/stub.pid";
        for (int i = 0; i < 200 && QFileInfo(pidFile).size() == 0; ++i)
            QTest::qWait(25);
        const long stubPid = std::stol(readFile(pidFile));
        QVERIFY(stubPid > 0);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        ::kill(static_cast<pid_t>(stubPid), SIGTERM);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 7);
        QCOMPARE(readFile(dir + "/runs/0000/exit_code"), std::string("7\n"));
        QVERIFY(readFile(dir + "/runs/0000/stub_calls").find("stub got TERM") != std::string::npos);
    }

    void programsRunWithoutShell()
    {
        ProgramResult r = runProgram({"sh", "-c", "echo out; echo err >&2; exit 3"});
        QVERIFY(r.started);
        QCOMPARE(r.exit_code, 3);
        QCOMPARE(r.out, std::string("out\n"));
        QCOMPARE(r.err, std::string("err\n"));
        // Arguments are passed as they are, not through a shell.
        r = runProgram({"printf", "%s|", "a b", "$(id)", "';"});
        QCOMPARE(r.out, std::string("a b|$(id)|';|"));
        r = runProgram({"rmm-no-such-program-here"});
        QVERIFY(!r.started);
        QVERIFY(QString::fromStdString(r.error).contains("not installed"));
        r = runProgram({"sleep", "5"}, 0.3);
        QCOMPARE(r.exit_code, -1);
        QVERIFY(QString::fromStdString(r.error).contains("did not finish"));
    }

    void queryWithoutSqueue()
    {
        QTemporaryDir empty;
        PathPrefix only(empty.path(), true);
        const SlurmQuery q = querySlurm({"12_3"});
        QVERIFY(q.states.empty());
        QVERIFY2(QString::fromStdString(q.note).contains("squeue"), q.note.c_str());
        QVERIFY(QString::fromStdString(q.note).contains("not installed"));
    }

    /// squeue and sacct stood in for by scripts that print what the real ones print.
    void queryMapsJobsToStates()
    {
        QTemporaryDir bin;
        writeFile(
            bin.path() + "/squeue",
            "#!/bin/sh\necho \"$*\" >\"" + bin.path().toStdString() +
                "/squeue.args\"\nprintf '12_0 COMPLETED\\n12_1 RUNNING\\n12_2 PENDING\\n13 FAILED\\n'\n",
            true);
        writeFile(bin.path() + "/sacct",
                  "#!/bin/sh\necho \"$*\" >\"" + bin.path().toStdString() +
                      "/sacct.args\"\nprintf '9_4|CANCELLED by 0\\n9_5|TIMEOUT\\n'\n",
                  true);
        PathPrefix prefix(bin.path());
        const SlurmQuery q =
            querySlurm({"12_1", "12_2", "12_0", "13", "9_4", "9_5", "9_6", "bad id", "12_1"});
        QVERIFY(q.note.empty());
        QCOMPARE(readFile(bin.path() + "/squeue.args"), std::string("-h -r -t all -o %i %T -j 12,13,9\n"));
        QCOMPARE(readFile(bin.path() + "/sacct.args"),
                 std::string("-n -P -X -o JobID,State -j 9_4,9_5,9_6\n"));
        const std::map<std::string, std::string> expected = {
            {"12_0", "COMPLETED"}, {"12_1", "RUNNING"}, {"12_2", "PENDING"}, {"13", "FAILED"},
            {"9_4", "CANCELLED"},  {"9_5", "TIMEOUT"},  {"9_6", "ENDED"}};
        QCOMPARE(q.states, expected);
        QVERIFY(slurmStateActive("RUNNING"));
        QVERIFY(slurmStateActive("PENDING"));
        QVERIFY(!slurmStateActive("COMPLETED"));
        QVERIFY(!slurmStateActive("ENDED"));
    }

    void querySqueueFailures()
    {
        QTemporaryDir bin;
        // No job known any more: squeue exits 1 with this message; all ended (sacct disabled).
        writeFile(bin.path() + "/squeue",
                  "#!/bin/sh\necho 'slurm_load_jobs error: Invalid job id specified' >&2\nexit 1\n", true);
        writeFile(bin.path() + "/sacct",
                  "#!/bin/sh\necho 'Slurm accounting storage is disabled' >&2\nexit 1\n", true);
        {
            PathPrefix prefix(bin.path());
            const SlurmQuery q = querySlurm({"5_0", "5_1"});
            QVERIFY(q.note.empty());
            QCOMPARE(q.states.at("5_0"), std::string("ENDED"));
            QCOMPARE(q.states.at("5_1"), std::string("ENDED"));
        }
        // The controller cannot be reached: nothing known, and the note says why.
        writeFile(bin.path() + "/squeue",
                  "#!/bin/sh\necho 'slurm_load_jobs error: Unable to contact slurm controller (connect "
                  "failure)' >&2\n"
                  "exit 1\n",
                  true);
        PathPrefix prefix(bin.path());
        const SlurmQuery q = querySlurm({"5_0"});
        QVERIFY(q.states.empty());
        QVERIFY2(QString::fromStdString(q.note).contains("Unable to contact slurm controller"),
                 q.note.c_str());
    }

    void submittedJobsRecorded()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        QVERIFY(submittedJobs(dir).empty());
        recordSubmittedJob(dir, "41", "0-3%2");
        recordSubmittedJob(dir, "45", "2");
        QCOMPARE(submittedJobs(dir), (std::vector<std::string>{"41", "45"}));
        const std::string text = readFile(tmp.path() + "/slurm_jobs.txt");
        QVERIFY(text.rfind("41 submitted=", 0) == 0);
        QVERIFY(text.find(" array=0-3%2\n45 submitted=") != std::string::npos);
    }

    void refineRunStates()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const SweepFolder f = folder(dir, 9);
        std::vector<RunStatus> status(9);
        for (int i = 0; i < 9; ++i)
            status[i].index = i;
        // Nothing from SLURM here: SLURM is not asked (no squeue needed).
        {
            QTemporaryDir empty;
            PathPrefix only(empty.path(), true);
            auto copy = status;
            const SlurmRefinement r = refineWithSlurm(f, copy);
            QVERIFY(!r.asked);
            QVERIFY(r.note.empty());
        }
        const auto set = [&](int k, RunState st, const char* job, const char* reason = "") {
            status[k].state = st;
            status[k].slurm_job = job;
            status[k].reason = reason;
        };
        set(0, RunState::Running, "20_0"); // its task ended without an exit code: interrupted
        set(1, RunState::Running, "20_1"); // still running
        set(2, RunState::Running, "20_2"); // ended, and its exit code is there by now: unchanged
        writeFile(tmp.path() + "/runs/0002/exit_code", "0\n");
        set(3, RunState::Pending, "");                     // its task queued in job 21
        set(4, RunState::Pending, "");                     // its task cancelled before it started: pending
        set(5, RunState::Running, "20_5");                 // killed at its memory limit, no exit code: failed
        set(6, RunState::Failed, "20_6", "exit code 137"); // SLURM says why; queued again in job 21
        set(7, RunState::Failed, "20_7", "diverged");      // FAILED says nothing more
        set(8, RunState::Done, "20_8");
        recordSubmittedJob(dir, "21", "3-4,6");
        QTemporaryDir bin;
        writeFile(bin.path() + "/squeue",
                  "#!/bin/sh\nprintf '20_0 TIMEOUT\\n20_1 RUNNING\\n20_2 COMPLETED\\n20_5 OUT_OF_MEMORY\\n"
                  "20_6 OUT_OF_MEMORY\\n20_7 FAILED\\n20_8 COMPLETED\\n21_3 PENDING\\n21_4 CANCELLED\\n"
                  "21_6 PENDING\\n'\n",
                  true);
        PathPrefix prefix(bin.path());
        const SlurmRefinement r = refineWithSlurm(f, status);
        QVERIFY(r.asked);
        QVERIFY(r.note.empty());
        QVERIFY(status[0].state == RunState::Interrupted);
        QCOMPARE(status[0].reason, std::string("SLURM job 20_0 ended (TIMEOUT) without an exit code"));
        QVERIFY(status[1].state == RunState::Running);
        QVERIFY(status[1].reason.empty());
        QVERIFY(status[2].state == RunState::Running);
        QVERIFY(status[3].state == RunState::Pending);
        QCOMPARE(status[3].reason, std::string("queued in SLURM as job 21_3"));
        QVERIFY(status[4].state == RunState::Pending);
        QVERIFY(status[4].reason.empty());
        QVERIFY(status[5].state == RunState::Failed);
        QCOMPARE(status[5].reason, std::string("SLURM job 20_5 ended (OUT_OF_MEMORY) without an exit code"));
        QVERIFY(status[6].state == RunState::Failed);
        QCOMPARE(status[6].reason,
                 std::string("exit code 137; SLURM: OUT_OF_MEMORY; again queued in SLURM as job 21_6"));
        QCOMPARE(status[7].reason, std::string("diverged"));
        QVERIFY(status[8].state == RunState::Done);
        QCOMPARE(r.active, (std::vector<int>{1, 3, 6}));

        // squeue missing: nothing changes, and the note says why.
        QTemporaryDir empty;
        PathPrefix only(empty.path(), true);
        std::vector<RunStatus> again(9);
        for (int i = 0; i < 9; ++i)
            again[i].index = i;
        again[0].state = RunState::Running;
        again[0].slurm_job = "20_0";
        const SlurmRefinement none = refineWithSlurm(f, again);
        QVERIFY(none.asked);
        QVERIFY(again[0].state == RunState::Running);
        QVERIFY2(QString::fromStdString(none.note).contains("squeue is not installed"), none.note.c_str());
    }

    void submitReadsTheJobId()
    {
        QTemporaryDir bin;
        writeFile(bin.path() + "/sbatch",
                  "#!/bin/sh\n[ \"$1\" = --parsable ] || exit 9\necho '4242;cluster'\n", true);
        {
            PathPrefix prefix(bin.path());
            QCOMPARE(submitSbatch("/some/sweep.sbatch"), std::string("4242"));
        }
        writeFile(bin.path() + "/sbatch",
                  "#!/bin/sh\necho 'sbatch: error: invalid partition specified: gpu' >&2\nexit 1\n", true);
        {
            PathPrefix prefix(bin.path());
            const QString e = errorOf([] { submitSbatch("/some/sweep.sbatch"); });
            QVERIFY2(e.contains("invalid partition specified: gpu"), qPrintable(e));
            QVERIFY(e.contains("/some/sweep.sbatch"));
        }
        QTemporaryDir empty;
        PathPrefix only(empty.path(), true);
        QVERIFY(errorOf([] { submitSbatch("/some/sweep.sbatch"); }).contains("sbatch is not installed"));
    }
};

QTEST_GUILESS_MAIN(TestSweepSlurm)
#include "test_sweep_slurm.moc"
