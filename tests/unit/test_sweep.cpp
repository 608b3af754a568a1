// SPDX-License-Identifier: GPL-3.0-or-later
// Hyperparameter sweeps (engine/sweep): spec errors naming the key, expansion order and counts,
// reproducible random draws, unknown keys reported once with a hint, every run's problem in one
// error, refusing to mix two sweeps in one folder, recreating a deleted run folder, the run state
// of every kind of hand-made run folder, and the summary's numbers and CSV.
#include "common/fixtures.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"
#include "engine/sweep/sweep.hpp"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

using nlohmann::json;
namespace fs = std::filesystem;
namespace sw = rmm::sweep;

/// QCOMPARE cannot print nlohmann::json.
#define JSON_EQ(a, b)                                                                                        \
    QVERIFY2((a) == (b), qPrintable(QString::fromStdString(json(a).dump() + " vs " + json(b).dump())))

namespace {

json baseConfig()
{
    return json::parse(R"({"data": {"file": "rec.h5",
        "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}]},
        "training": {"method": "tf", "epochs": 3, "batches": 8, "seed": 7}})");
}

void writeText(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary);
    f << text;
}

std::string readText(const fs::path& path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// The message of the rmm::Error `f` throws, or "" when it throws none.
template <class F> QString errorOf(F f)
{
    try {
        f();
    } catch (const rmm::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

sw::SweepSpec specFrom(const std::string& text)
{
    return sw::parseSweepSpec(nlohmann::ordered_json::parse(text), "spec.json");
}

/// RFC 4180 fields of one CSV line (no line breaks inside fields in these tests).
QStringList csvFields(const std::string& line)
{
    QStringList out;
    std::string field;
    bool quoted = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
        const char c = line[k];
        if (quoted) {
            if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
                field += '"';
                ++k;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out << QString::fromStdString(field);
            field.clear();
        } else {
            field += c;
        }
    }
    out << QString::fromStdString(field);
    return out;
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// A pid that certainly does not run: a child that has ended and been reaped.
long deadPid()
{
    const pid_t p = fork();
    if (p == 0)
        _exit(0);
    int status = 0;
    waitpid(p, &status, 0);
    return p;
}

json report(const std::string& stop, double as, const json& synaptic = json::array())
{
    return {{"stop_reason", stop},          {"time_limited", false},
            {"best_validation", as},        {"best_epoch", 3},
            {"train_seconds", 12.5},        {"data", {{"neurons", 2}}},
            {"synaptic_current", synaptic}, {"free_run", {{"checked", true}, {"in_range", true}}}};
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT
  private:
    fs::path dir_;
    std::string baseDir_;

    std::vector<sw::SweepRun> expand(const std::string& specText, json base = baseConfig())
    {
        return sw::expandSweep(base, baseDir_, specFrom(specText));
    }
    /// A prepared sweep folder `name` of spec `specText`.
    std::vector<sw::SweepRun> prepare(const std::string& name, const std::string& specText,
                                      const json& base = baseConfig())
    {
        const auto spec = specFrom(specText);
        const auto runs = sw::expandSweep(base, baseDir_, spec);
        sw::prepareSweepFolder((dir_ / name).string(), base, baseDir_, json::parse(specText), spec, runs);
        return runs;
    }

  private slots:
    void initTestCase()
    {
        dir_ = rmmtest::scratchDir("sweep_unit").toStdString();
        baseDir_ = dir_.string();
        writeText(dir_ / "rec.h5", "not read by these tests, only its existence is checked");
    }

    void specErrorsNameTheKey_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty grid list") << R"({"grid": {"training.rho": []}})"
                                         << "spec.json: grid.training.rho: the list is empty";
        QTest::newRow("grid not a list") << R"({"grid": {"training.rho": 5e-9}})"
                                         << "grid.training.rho: expected a list";
        QTest::newRow("grid value twice") << R"({"grid": {"training.shot": [20, 20]}})"
                                          << "grid.training.shot: 20 is listed twice";
        QTest::newRow("count without keys") << R"({"random": {"count": 4}})"
                                            << "random.count = 4 but no random keys";
        QTest::newRow("keys without count") << R"({"random": {"training.lr": {"uniform": [1, 2]}}})"
                                            << "random.count: missing";
        QTest::newRow("log_uniform from 0")
            << R"({"random": {"count": 2, "training.lr": {"log_uniform": [0, 1]}}})"
            << "random.training.lr.log_uniform = [0,1]: a log-uniform range needs 0 < low";
        QTest::newRow("uniform reversed")
            << R"({"random": {"count": 2, "training.lr": {"uniform": [2, 1]}}})"
            << "random.training.lr.uniform = [2,1]: expected [low, high] with low < high";
        QTest::newRow("unknown distribution")
            << R"({"random": {"count": 2, "training.lr": {"normal": [0, 1]}}})"
            << "random.training.lr: unknown distribution \"normal\"";
        QTest::newRow("empty choice") << R"({"random": {"count": 2, "model.synapse": {"choice": []}}})"
                                      << "random.model.synapse.choice: the list is empty";
        QTest::newRow("count zero") << R"({"random": {"count": 0, "training.lr": {"uniform": [1, 2]}}})"
                                    << "random.count";
        QTest::newRow("seed in grid") << R"({"grid": {"training.seed": [1, 2]}})"
                                      << "grid.training.seed: the training seed is swept by \"seeds\"";
        QTest::newRow("key in two parts")
            << R"({"grid": {"training.lr": [1e-3]}, "random": {"count": 1, "training.lr": {"uniform": [1e-3, 1e-2]}}})"
            << "training.lr is in both grid and random";
        QTest::newRow("array item") << R"({"grid": {"model.synapses[0].kind": ["lumped"]}})"
                                    << "grid.model.synapses[0].kind: array items cannot be swept";
        QTest::newRow("empty part") << R"({"grid": {"training..rho": [1]}})"
                                    << "is not a dotted key";
        QTest::newRow("nothing swept") << R"({})"
                                       << "spec.json: the spec sweeps nothing";
        QTest::newRow("empty seeds") << R"({"seeds": []})"
                                     << "seeds: the list is empty";
        QTest::newRow("seed twice") << R"({"seeds": [1, 2, 1]})"
                                    << "seeds[2]: seed 1 is listed twice";
        QTest::newRow("negative seed") << R"({"seeds": [-1]})"
                                       << "seeds[0]";
        QTest::newRow("misspelt part") << R"({"grd": {"training.rho": [1]}})"
                                       << "did you mean 'grid'";
    }

    void specErrorsNameTheKey()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        const QString msg = errorOf([&] { specFrom(spec.toStdString()); });
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.startsWith("spec.json: "), qPrintable(msg));
    }

    void expansionOrderAndCounts()
    {
        // Keys in the order written (the file is read keeping it), the last varying fastest,
        // the seeds innermost.
        writeText(dir_ / "order.json", R"(// comment allowed
            {"grid": {"training.shot": [20, 30, 40], "training.batches": [4, 8]}, "seeds": [3, 5]})");
        json raw;
        const auto spec = sw::loadSweepSpec((dir_ / "order.json").string(), &raw);
        QCOMPARE(sw::sweptKeys(spec), (std::vector<std::string>{"training.shot", "training.batches"}));
        QVERIFY(raw.contains("grid"));
        const auto runs = sw::expandSweep(baseConfig(), baseDir_, spec);
        QCOMPARE(runs.size(), std::size_t(12));
        int k = 0;
        for (int shot : {20, 30, 40})
            for (int batches : {4, 8})
                for (std::uint64_t seed : {3u, 5u}) {
                    const auto& r = runs[static_cast<std::size_t>(k)];
                    QCOMPARE(r.index, k);
                    QCOMPARE(r.values["training.shot"].get<int>(), shot);
                    QCOMPARE(r.values["training.batches"].get<int>(), batches);
                    QCOMPARE(r.values.size(), std::size_t(2)); // the seed is not a swept value
                    QCOMPARE(r.seed, seed);
                    QCOMPARE(r.config["training"]["seed"].get<std::uint64_t>(), seed);
                    QCOMPARE(r.config["training"]["shot"].get<int>(), shot);
                    QCOMPARE(r.config["training"]["epochs"].get<int>(), 3); // from the base
                    // The full config: defaults filled in, the data file absolute.
                    QVERIFY(r.config["model"].contains("intrinsic_taus_ms"));
                    QCOMPARE(fs::path(r.config["data"]["file"].get<std::string>()),
                             fs::weakly_canonical(dir_ / "rec.h5"));
                    ++k;
                }
        QCOMPARE(runs[11].folder, std::string("runs/0011"));
        QCOMPARE(sw::runLabel(runs[3], sw::sweptKeys(spec)),
                 std::string("training.shot = 20, training.batches = 8, seed 5"));

        // Without seeds: the base's seed; a plain json object orders keys alphabetically.
        const auto plain = sw::parseSweepSpec(
            json::parse(R"({"grid": {"training.shot": [20], "training.batches": [4]}})"), "spec.json");
        QCOMPARE(sw::sweptKeys(plain), (std::vector<std::string>{"training.batches", "training.shot"}));
        const auto one = sw::expandSweep(baseConfig(), baseDir_, plain);
        QCOMPARE(one.size(), std::size_t(1));
        QCOMPARE(one[0].seed, std::uint64_t(7));

        // grid x random x seeds
        const auto mixed = expand(R"({"grid": {"training.shot": [20, 30]},
            "random": {"count": 3, "training.rho": {"log_uniform": [1e-9, 1e-7]}}, "seeds": [1, 2]})");
        QCOMPARE(mixed.size(), std::size_t(12));
        // The same draws for every grid point, in the same order.
        for (int d = 0; d < 3; ++d)
            JSON_EQ(mixed[static_cast<std::size_t>(2 * d)].values["training.rho"],
                    mixed[static_cast<std::size_t>(6 + 2 * d)].values["training.rho"]);
    }

    void randomDrawsAreReproducible()
    {
        const std::string text = R"({"random": {"count": 6, "seed": 11,
            "training.rho": {"log_uniform": [1e-9, 1e-6]},
            "training.batches": {"uniform": [4, 64]},
            "data.prefilter_hz": {"uniform": [500, 3000]},
            "model.synapse": {"choice": ["lumped", "conductance"]}}})";
        const auto a = expand(text);
        const auto b = expand(text);
        QCOMPARE(a.size(), std::size_t(6));
        for (std::size_t k = 0; k < a.size(); ++k) {
            JSON_EQ(a[k].values, b[k].values);
            JSON_EQ(a[k].config, b[k].config);
        }
        // The documented mapping (sweep.hpp), computed here independently: one 64-bit number per
        // value from mt19937_64 seeded with SplitMix64(seed), u = top 53 bits / 2^53.
        std::mt19937_64 rng(splitMix64(11));
        std::set<std::string> synapses;
        std::set<int> batches;
        for (const auto& r : a) {
            const double u1 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
            const double u2 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
            const double u3 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
            const double u4 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
            const double rho = std::exp(std::log(1e-9) + u1 * (std::log(1e-6) - std::log(1e-9)));
            QCOMPARE(r.values["training.rho"].get<double>(), rho);
            // batches is an integer in the base config: rounded, stored as an integer
            QVERIFY(r.values["training.batches"].is_number_integer());
            QCOMPARE(r.values["training.batches"].get<long long>(), std::llround(4 + u2 * 60));
            QCOMPARE(r.config["training"]["batches"].get<long long>(), std::llround(4 + u2 * 60));
            // prefilter_hz is a double (2000.0): not rounded
            QVERIFY(r.values["data.prefilter_hz"].is_number_float());
            QCOMPARE(r.values["data.prefilter_hz"].get<double>(), 500 + u3 * 2500);
            const std::string syn = u4 < 0.5 ? "lumped" : "conductance";
            QCOMPARE(r.values["model.synapse"].get<std::string>(), syn);
            QCOMPARE(r.config["model"]["synapse"].get<std::string>(), syn);
            synapses.insert(syn);
            batches.insert(r.values["training.batches"].get<int>());
        }
        QVERIFY(batches.size() > 1);
        // Another seed, other values.
        std::string other = text;
        other.replace(other.find("\"seed\": 11"), 10, "\"seed\": 12");
        QVERIFY(expand(other)[0].values != a[0].values);
    }

    void unknownKeyOnceWithHint()
    {
        const QString msg = errorOf([&] {
            expand(
                R"({"grid": {"training.rhoo": [1e-9, 1e-8], "training.shot": [20, 30]}, "seeds": [1, 2, 3]})");
        });
        QVERIFY2(
            msg.contains("training.rhoo is not a key of the experiment config; did you mean training.rho?"),
            qPrintable(msg));
        QCOMPARE(msg.count("training.rhoo"), 1); // once, not once per run
        QVERIFY2(!msg.contains("training.shot"), qPrintable(msg));

        // The right name in the wrong section; a section that does not exist; all at once.
        const QString two = errorOf([&] {
            expand(R"({"grid": {"model.rho": [1e-9], "trainig.epochs": [2]},
                       "random": {"count": 2, "model.bogus_knob": {"uniform": [0, 1]}}})");
        });
        QVERIFY2(two.contains("model.rho is not a key of the experiment config; did you mean training.rho?"),
                 qPrintable(two));
        QVERIFY2(two.contains(
                     "trainig.epochs is not a key of the experiment config; did you mean training.epochs?"),
                 qPrintable(two));
        QVERIFY2(two.contains("model.bogus_knob is not a key of the experiment config"), qPrintable(two));

        // A value is not a section.
        const QString deep = errorOf([&] { expand(R"({"grid": {"training.epochs.low": [1]}})"); });
        QVERIFY2(deep.contains("training.epochs.low cannot be set: training.epochs is a value"),
                 qPrintable(deep));

        // A key the filled-in config does not show but the parser knows is accepted.
        QCOMPARE(expand(R"({"grid": {"training.lr": [1e-3, 1e-2]}})").size(), std::size_t(2));
        QCOMPARE(expand(R"({"grid": {"training.time_limit_s": [60]}})").size(), std::size_t(1));
    }

    void everyRunsProblemsAtOnce()
    {
        const QString msg =
            errorOf([&] { expand(R"({"grid": {"training.batches": [-2, 8, -1]}, "seeds": [1, 2]})"); });
        QVERIFY2(msg.contains("nothing was started"), qPrintable(msg));
        for (int run : {0, 1, 4, 5})
            QVERIFY2(msg.contains(QString("run %1 (training.batches = ").arg(run)), qPrintable(msg));
        QVERIFY2(!msg.contains("run 2 ") && !msg.contains("run 3 "), qPrintable(msg));
        QVERIFY2(msg.contains("run 0 (training.batches = -2, seed 1): training.batches"), qPrintable(msg));
        QVERIFY2(msg.contains("run 5 (training.batches = -1, seed 2): training.batches"), qPrintable(msg));
        QCOMPARE(msg.count('\n'), 4); // one line per problem

        // A problem of every run is said once; a missing data file is a problem.
        json base = baseConfig();
        base["data"]["file"] = "missing.h5";
        const QString all = errorOf([&] { expand(R"({"seeds": [1, 2, 3]})", base); });
        QVERIFY2(all.contains("all 3 runs: data.file: "), qPrintable(all));
        QVERIFY2(all.contains("missing.h5 does not exist"), qPrintable(all));
        QCOMPARE(all.count("missing.h5"), 1);

        // A key that completes an incomplete base is fine (the base alone need not parse).
        json noNeurons = baseConfig();
        noNeurons["training"]["gamma"] = 0.5; // not allowed with method tf
        QCOMPARE(expand(R"({"grid": {"training.method": ["gtf", "ms"]}})", noNeurons).size(), std::size_t(2));
        const QString tf =
            errorOf([&] { expand(R"({"grid": {"training.method": ["gtf", "tf"]}})", noNeurons); });
        QVERIFY2(tf.contains("run 1 (training.method = \"tf\", seed 7): training.gamma"), qPrintable(tf));
        QVERIFY2(!tf.contains("run 0"), qPrintable(tf));
    }

    void folderLayoutAndRefusingToMix()
    {
        const std::string spec = R"({"grid": {"training.shot": [20, 30]}, "seeds": [1, 2]})";
        const auto runs = prepare("mix", spec);
        const fs::path d = dir_ / "mix";
        QVERIFY(fs::exists(d / "sweep.json"));
        for (const auto& r : runs)
            QVERIFY(fs::exists(d / r.folder / "config.json"));
        // config.json: data.file relative to the run folder, usable by `rmm train` from anywhere.
        const json file = json::parse(readText(d / "runs/0002/config.json"));
        QCOMPARE(file["data"]["file"].get<std::string>(), std::string("../../../rec.h5"));
        const rmm::ExperimentConfig loaded =
            rmm::loadExperimentConfig((d / "runs/0002/config.json").string());
        QVERIFY(fs::exists(fs::path(loaded.base_dir) / loaded.data.file));
        QCOMPARE(loaded.training.shot, 30);
        QCOMPARE(loaded.training.seed, std::uint64_t(1));

        // sweep.json reads back into the same runs.
        const sw::SweepFolder f = sw::openSweepFolder(d.string());
        QCOMPARE(f.keys, (std::vector<std::string>{"training.shot"}));
        QCOMPARE(f.runs.size(), runs.size());
        for (std::size_t k = 0; k < runs.size(); ++k) {
            JSON_EQ(f.runs[k].values, runs[k].values);
            QCOMPARE(f.runs[k].seed, runs[k].seed);
            JSON_EQ(f.runs[k].config, runs[k].config);
            QCOMPARE(f.runs[k].folder, runs[k].folder);
        }
        // The same sweep again: accepted (resume).
        QCOMPARE(errorOf([&] { prepare("mix", spec); }), QString());

        // Another value, another count, another base: refused, saying what differs.
        QString msg =
            errorOf([&] { prepare("mix", R"({"grid": {"training.shot": [20, 40]}, "seeds": [1, 2]})"); });
        QVERIFY2(msg.contains("refusing to mix"), qPrintable(msg));
        QVERIFY2(msg.contains("run 2: training.shot 30 vs 40"), qPrintable(msg));
        QVERIFY2(msg.contains("run 3: training.shot 30 vs 40"), qPrintable(msg));
        QVERIFY2(!msg.contains("run 0"), qPrintable(msg));
        msg =
            errorOf([&] { prepare("mix", R"({"grid": {"training.shot": [20, 30]}, "seeds": [1, 2, 3]})"); });
        QVERIFY2(msg.contains("the stored sweep has 4 runs, this spec gives 6"), qPrintable(msg));
        json base = baseConfig();
        base["training"]["epochs"] = 5;
        msg = errorOf([&] { prepare("mix", spec, base); });
        QVERIFY2(msg.contains("run 0: config training.epochs 3 vs 5"), qPrintable(msg));
        QVERIFY(errorOf([&] {
                    sw::checkSweepFolder(d.string(), sw::expandSweep(base, baseDir_, specFrom(spec)));
                }).contains("refusing to mix"));
        QCOMPARE(json::parse(readText(d / "runs/0000/config.json"))["training"]["epochs"].get<int>(), 3);

        // A folder holding other things and no sweep.json: refused, nothing written.
        writeText(dir_ / "other" / "notes.txt", "mine");
        msg = errorOf([&] { prepare("other", spec); });
        QVERIFY2(msg.contains("holds other files (notes.txt) and no sweep.json"), qPrintable(msg));
        QVERIFY(!fs::exists(dir_ / "other" / "sweep.json"));
        QVERIFY(!fs::exists(dir_ / "other" / "runs"));

        // A config.json edited by hand: refused, not overwritten.
        json edited = json::parse(readText(d / "runs/0001/config.json"));
        edited["training"]["epochs"] = 99;
        writeText(d / "runs/0001/config.json", edited.dump(2));
        msg = errorOf([&] { prepare("mix", spec); });
        QVERIFY2(
            msg.contains("runs/0001/config.json differs from its run in sweep.json: training.epochs 99 vs 3"),
            qPrintable(msg));
        QCOMPARE(json::parse(readText(d / "runs/0001/config.json"))["training"]["epochs"].get<int>(), 99);

        // A damaged sweep.json names the file.
        writeText(dir_ / "damaged" / "sweep.json", "{\"format\": \"rmm-sweep\", ");
        msg = errorOf([&] { sw::openSweepFolder((dir_ / "damaged").string()); });
        QVERIFY2(msg.contains("sweep.json"), qPrintable(msg));
        msg = errorOf([&] { sw::openSweepFolder((dir_ / "nowhere").string()); });
        QVERIFY2(msg.contains("not a sweep folder"), qPrintable(msg));
    }

    void lastBitOfADrawIsTolerated()
    {
        // Another platform's exp/log may give a draw that differs in its last bit: the stored
        // sweep is the same sweep, and its values are the ones used. A real difference is not.
        const std::string spec = R"({"random": {"count": 2, "training.rho": {"log_uniform": [1e-9, 1e-7]}}})";
        const auto runs = prepare("lastbit", spec);
        const fs::path file = dir_ / "lastbit" / "sweep.json";
        json j = json::parse(readText(file));
        const double rho = j["runs"][1]["values"]["training.rho"].get<double>();
        const double nudged = std::nextafter(rho, 1.0);
        j["runs"][1]["values"]["training.rho"] = nudged;
        j["runs"][1]["config"]["training"]["rho"] = nudged;
        writeText(file, j.dump(2));
        fs::remove(dir_ / "lastbit" / "runs/0001/config.json");
        QCOMPARE(errorOf([&] { prepare("lastbit", spec); }), QString());
        QCOMPARE(json::parse(readText(dir_ / "lastbit" / "runs/0001/config.json"))["training"]["rho"]
                     .get<double>(),
                 nudged);
        j["runs"][1]["values"]["training.rho"] = rho * (1 + 1e-9);
        writeText(file, j.dump(2));
        QVERIFY(errorOf([&] { prepare("lastbit", spec); }).contains("run 1: training.rho"));
        QCOMPARE(runs.size(), std::size_t(2));
    }

    void deletedRunFolderIsRecreated()
    {
        const auto runs = prepare("deleted", R"({"seeds": [1, 2, 3]})");
        const fs::path d = dir_ / "deleted";
        writeText(d / "runs/0001/exit_code", "0\n");
        writeText(d / "runs/0001/result/report.json", report("completed", 0.5).dump());
        QCOMPARE(sw::readRunStatus(d.string(), runs[1]).state, sw::RunState::Done);
        fs::remove_all(d / "runs/0001");
        fs::remove(d / "runs/0002/config.json");
        QCOMPARE(sw::readRunStatus(d.string(), runs[1]).state, sw::RunState::Pending);
        prepare("deleted", R"({"seeds": [1, 2, 3]})");
        for (int k : {1, 2}) {
            const fs::path file = d / runs[static_cast<std::size_t>(k)].folder / "config.json";
            QVERIFY(fs::exists(file));
            JSON_EQ(json::parse(readText(file)),
                    sw::runConfigFileJson(d.string(), runs[static_cast<std::size_t>(k)]));
        }
        QCOMPARE(sw::readRunStatus(d.string(), runs[1]).state, sw::RunState::Pending);

        // Restarting moves the earlier attempt aside.
        writeText(d / "runs/0000/started", "host=x pid=1 time=t\n");
        writeText(d / "runs/0000/exit_code", "130\n");
        writeText(d / "runs/0000/train.log", "old log\n");
        writeText(d / "runs/0000/result/report.json", report("cancelled", 0.1).dump());
        sw::resetRunForRestart(d.string(), runs[0]);
        QVERIFY(!fs::exists(d / "runs/0000/started"));
        QVERIFY(!fs::exists(d / "runs/0000/exit_code"));
        QVERIFY(!fs::exists(d / "runs/0000/result"));
        QVERIFY(fs::exists(d / "runs/0000/result.previous/report.json"));
        QCOMPARE(readText(d / "runs/0000/train.log.previous"), std::string("old log\n"));
        QCOMPARE(sw::readRunStatus(d.string(), runs[0]).state, sw::RunState::Pending);
    }

    void runStates()
    {
        const auto runs =
            prepare("states", R"({"random": {"count": 32, "training.lr": {"uniform": [1e-3, 1e-2]}}})");
        const std::string d = (dir_ / "states").string();
        int next = 0;
        // Writes `files` into the next run's folder and returns its status.
        auto status = [&](const std::vector<std::pair<std::string, std::string>>& files) {
            const sw::SweepRun& run = runs[static_cast<std::size_t>(next++)];
            for (const auto& [name, text] : files)
                writeText(fs::path(d) / run.folder / name, text);
            return sw::readRunStatus(d, run);
        };
        const std::string host = sw::hostName();
        const json synaptic = json::array({{{"neuron", 1}, {"pearson", 0.9}, {"amplitude_ratio", 1.1}},
                                           {{"neuron", 2}, {"pearson", 0.7}, {"amplitude_ratio", 0.5}}});

        sw::RunStatus s = status({});
        QCOMPARE(s.state, sw::RunState::Pending);

        json done = report("completed", 0.8, synaptic);
        done["free_run"]["in_range"] = false;
        s = status({{"result/report.json", done.dump()}, {"exit_code", "0\n"}});
        QCOMPARE(s.state, sw::RunState::Done);
        QCOMPARE(s.best_as, 0.8);
        QCOMPARE(s.best_epoch, 4); // 0-based 3 in the report
        QCOMPARE(s.train_seconds, 12.5);
        QCOMPARE(s.synaptic_r, (std::vector<double>{0.9, 0.7}));
        QCOMPARE(s.amplitude_ratio, (std::vector<double>{1.1, 0.5}));
        QCOMPARE(sw::worstSynapticR(s), 0.7);
        QVERIFY(!s.physiological);
        QCOMPARE(s.exit_code, 0);

        json limited = report("time limit reached after 60 s", 0.6);
        limited["time_limited"] = true;
        s = status({{"result/report.json", limited.dump()}, {"exit_code", "0"}});
        QCOMPARE(s.state, sw::RunState::Done);
        QVERIFY(s.physiological);
        QVERIFY(std::isnan(sw::worstSynapticR(s)));

        for (int code : {130, 143, 129}) {
            s = status({{"exit_code", std::to_string(code) + "\n"},
                        {"started", "host=" + host + " pid=1 time=t\n"}});
            QCOMPARE(s.state, sw::RunState::Interrupted);
            QVERIFY2(QString::fromStdString(s.reason).contains(QString("exit code %1").arg(code)),
                     s.reason.c_str());
        }
        // rmm could not be started at all (removed or rebuilt while the sweep ran): to run again.
        s = status({{"exit_code", "127\n"},
                    {"started", "host=" + host + " pid=1 time=t\n"},
                    {"train.log", "rmm: cannot start /x/rmm: No such file or directory\n"}});
        QCOMPARE(s.state, sw::RunState::Interrupted);
        QVERIFY2(s.reason.find("could not be started (cannot start /x/rmm: No such file") !=
                     std::string::npos,
                 s.reason.c_str());
        s = status({{"result/report.json", report("cancelled", 0.4).dump()}, {"exit_code", "130"}});
        QCOMPARE(s.state, sw::RunState::Interrupted);
        QCOMPARE(s.best_as, 0.4);
        s = status({{"result/report.json", report("cancelled", 0.4).dump()}});
        QCOMPARE(s.state, sw::RunState::Interrupted);

        s = status({{"result/report.json", report("diverged: loss grew", 0.1).dump()}, {"exit_code", "3"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QCOMPARE(s.reason, std::string("diverged: loss grew"));

        s = status({{"exit_code", "1\n"},
                    {"train.log",
                     "data: ...\nrmm train: error: old\nsomething else\nrmm train: error: rec.h5: no trial "
                     "'t7'\n"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QCOMPARE(s.reason, std::string("error: rec.h5: no trial 't7'"));
        s = status(
            {{"exit_code", "2\n"}, {"train.log", "rmm: unknown command 'trian' (see 'rmm --help')\n"}});
        QCOMPARE(s.reason, std::string("unknown command 'trian' (see 'rmm --help')"));
        s = status({{"exit_code", "1"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QCOMPARE(s.reason, std::string("exit code 1"));
        s = status({{"exit_code", "137"}, {"train.log", "epoch 1/5\n"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QCOMPARE(s.reason, std::string("exit code 137 (ended by SIGKILL)"));
        s = status({{"exit_code", "0"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QVERIFY2(s.reason.find("result/report.json is missing") != std::string::npos, s.reason.c_str());

        // started, no exit code
        s = status({{"started",
                     "host=" + host + " pid=" + std::to_string(getpid()) + " time=2024-01-01T00:00:00Z\n"}});
        QCOMPARE(s.state, sw::RunState::Running);
        QCOMPARE(s.pid, static_cast<long>(getpid()));
        QCOMPARE(s.host, host);
        QCOMPARE(s.started_time, std::string("2024-01-01T00:00:00Z"));
        const long dead = deadPid();
        s = status({{"started", "host=" + host + " pid=" + std::to_string(dead) + " time=t\n"}});
        QCOMPARE(s.state, sw::RunState::Interrupted);
        QVERIFY2(s.reason.find("its process ended without an exit code") != std::string::npos,
                 s.reason.c_str());
        s = status({{"started", "host=" + host + "-elsewhere pid=" + std::to_string(dead) + " time=t\n"}});
        QCOMPARE(s.state, sw::RunState::Running);
        s = status(
            {{"started", "host=" + host + " pid=" + std::to_string(dead) + " time=t slurm_job=123_4\n"}});
        QCOMPARE(s.state, sw::RunState::Running);
        QCOMPARE(s.slurm_job, std::string("123_4"));

        // Damaged files never throw.
        s = status({{"result/report.json", "{\"stop_reason\": \"compl"}, {"exit_code", "0"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QVERIFY2(s.reason.find("result/report.json: damaged") != std::string::npos, s.reason.c_str());
        s = status({{"exit_code", "abc"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QVERIFY2(s.reason.find("exit_code: damaged") != std::string::npos, s.reason.c_str());
        s = status({{"started", "\n"}});
        QCOMPARE(s.state, sw::RunState::Interrupted);
        s = status({{"result/report.json", "[1, 2]"}, {"exit_code", "1"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QVERIFY2(s.reason.find("report.json: damaged") != std::string::npos, s.reason.c_str());
        s = status(
            {{"result/report.json", R"({"stop_reason": 5, "best_validation": "x", "synaptic_current": 3})"},
             {"exit_code", "3"}});
        QCOMPARE(s.state, sw::RunState::Failed);
        QVERIFY(std::isnan(s.best_as));

        // writeStarted / writeExitCode round trip.
        const sw::SweepRun& run = runs[static_cast<std::size_t>(next++)];
        sw::writeStarted(d, run, getpid(), "77_1");
        s = sw::readRunStatus(d, run);
        QCOMPARE(s.state, sw::RunState::Running);
        QCOMPARE(s.slurm_job, std::string("77_1"));
        sw::writeExitCode(d, run, 143);
        QCOMPARE(sw::readRunStatus(d, run).state, sw::RunState::Interrupted);
        QVERIFY(next <= 32);
    }

    void summaryNumbers()
    {
        const auto runs = prepare("summary", R"({"grid": {"training.shot": [20, 30]}, "seeds": [1, 2, 3]})");
        const fs::path d = dir_ / "summary";
        auto syn = [](json r1, json r2) {
            return json::array({{{"neuron", 1}, {"pearson", r1}, {"amplitude_ratio", 1.0}},
                                {{"neuron", 2}, {"pearson", r2}, {"amplitude_ratio", 2.0}}});
        };
        auto put = [&](int run, const json& rep, int code) {
            writeText(d / runs[static_cast<std::size_t>(run)].folder / "result/report.json", rep.dump());
            writeText(d / runs[static_cast<std::size_t>(run)].folder / "exit_code", std::to_string(code));
        };
        put(0, report("completed", 0.5, syn(0.9, 0.4)), 0);
        put(1, report("completed", 0.7, syn(0.8, 0.85)), 0);
        put(2, report("completed", 0.6, syn(nullptr, 0.3)), 0);
        put(3, report("completed", 0.2), 0);
        put(4, report("diverged: loss grew, fast", 0.9, syn(0.99, 0.99)), 3); // failed: not counted
        // run 5: pending

        const sw::SweepSummary s = sw::summarizeSweep(d.string());
        QCOMPARE(s.neurons, 2);
        QCOMPARE(s.settings.size(), std::size_t(2));
        const auto& a = s.settings[0];
        JSON_EQ(a.values, json({{"training.shot", 20}}));
        QCOMPARE(a.runs, 3);
        QCOMPARE(a.done, 3);
        QVERIFY(rmmtest::near(a.mean_as, 0.6, 1e-12));
        QCOMPARE(a.min_as, 0.5);
        QVERIFY(rmmtest::near(a.sd_as, 0.1, 1e-12));  // sqrt((0.01 + 0.01 + 0) / 2)
        QVERIFY(rmmtest::near(a.mean_r, 0.5, 1e-12)); // worst r per run: 0.4, 0.8, 0.3
        QCOMPARE(a.min_r, 0.3);
        const auto& b = s.settings[1];
        QCOMPARE(b.runs, 3);
        QCOMPARE(b.done, 1);
        QCOMPARE(b.mean_as, 0.2);
        QCOMPARE(b.min_as, 0.2);
        QVERIFY(std::isnan(b.sd_as));
        QVERIFY(std::isnan(b.mean_r));
        QCOMPARE(s.status[4].state, sw::RunState::Failed);
        QCOMPARE(s.status[5].state, sw::RunState::Pending);

        sw::writeSummaryFiles(d.string(), s);
        const json j = json::parse(readText(d / "summary.json"));
        QCOMPARE(j["format"].get<std::string>(), std::string("rmm-sweep-summary"));
        QCOMPARE(j["runs"].size(), std::size_t(6));
        QCOMPARE(j["runs"][4]["status"].get<std::string>(), std::string("failed"));
        QCOMPARE(j["runs"][4]["reason"].get<std::string>(), std::string("diverged: loss grew, fast"));
        QVERIFY(j["runs"][2]["synaptic_r"][0].is_null());
        QCOMPARE(j["runs"][2]["worst_synaptic_r"].get<double>(), 0.3);
        QVERIFY(j["settings"][1]["sd_as"].is_null());
        QVERIFY(rmmtest::near(j["settings"][0]["sd_as"].get<double>(), 0.1, 1e-12));

        const auto rows = lines(readText(d / "summary.csv"));
        QCOMPARE(rows.size(), std::size_t(7));
        QCOMPARE(QString::fromStdString(rows[0]),
                 QString("index,folder,training.shot,seed,status,best_as,r_n1,r_n2,amplitude_n1,amplitude_n2,"
                         "best_epoch,train_seconds,physiological,reason"));
        QCOMPARE(csvFields(rows[1]), QStringList({"0", "runs/0000", "20", "1", "done", "0.5", "0.9", "0.4",
                                                  "1", "2", "4", "12.5", "true", ""}));
        QCOMPARE(csvFields(rows[3])[6], QString()); // NaN r: empty
        QCOMPARE(rows[5],
                 std::string(
                     "4,runs/0004,30,2,failed,0.9,0.99,0.99,1,2,4,12.5,true,\"diverged: loss grew, fast\""));
        QCOMPARE(csvFields(rows[6]), QStringList({"5", "runs/0005", "30", "3", "pending", "", "", "", "", "",
                                                  "", "", "true", ""}));
    }

    void csvQuotesAndJsonValues()
    {
        // (not a raw string: moc misreads escaped quotes inside one)
        const auto runs =
            prepare("csv", "{\"grid\": {\"data.validation_trial\": [\"a,b\", \"say \\\"hi\\\"\"], "
                           "\"model.intrinsic_hidden\": [[10, 10]], \"training.rho\": [1.234567890123e-8]}}");
        const fs::path d = dir_ / "csv";
        writeText(d / "runs/0001/exit_code", "1");
        writeText(d / "runs/0001/train.log", "rmm train: error: \"x\", then y\n");
        const auto rows = lines(sw::toCsv(sw::summarizeSweep(d.string())));
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(csvFields(rows[0]).mid(2, 3),
                 QStringList({"data.validation_trial", "model.intrinsic_hidden", "training.rho"}));
        QCOMPARE(rows[0].find("r_n"), std::string::npos); // no run reported neurons
        const QStringList r0 = csvFields(rows[1]);
        QCOMPARE(r0[2], QString("\"a,b\"")); // strings as JSON text
        QCOMPARE(r0[3], QString("[10,10]"));
        QCOMPARE(r0[4], QString("1.23456789e-08")); // %.9g
        const QStringList r1 = csvFields(rows[2]);
        QCOMPARE(r1[2], QString("\"say \\\"hi\\\"\""));
        QCOMPARE(r1.last(), QString("error: \"x\", then y"));
        QCOMPARE(r1[6], QString("failed"));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "test_sweep.moc"
