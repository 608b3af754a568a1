// SPDX-License-Identifier: GPL-3.0-or-later
// A bit flip anywhere in a saved model is a clear error, never a model with different values:
// format version 2 stores a CRC-32 of every dataset (and of /model's attributes) and verifies it on
// load; version-1 files still load; non-finite parameters and normalisation are refused.
#include "common/damaged_hdf5.hpp"
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/store/model_file.hpp"

#include <QtTest>

#include <limits>

using namespace rmm;
using rmmtest::errorOf;

namespace {

CircuitModel smallModel()
{
    ModelConfig cfg;
    cfg.neurons = 2;
    cfg.intrinsic_taus_ms = {1, 10};
    cfg.synaptic_taus_ms = {2};
    cfg.intrinsic_hidden = {3};
    cfg.lumped_hidden = {2};
    cfg.conductance_hidden = 2;
    cfg.synapses = {{0, 1, SynapseKind::Conductance}, {1, 0, SynapseKind::Lumped}};
    cfg.synapses_default = false;
    auto m = CircuitModel::initialize(cfg, 0.1, 7);
    std::vector<InputNormalisation> qs(2);
    for (auto& q : qs) {
        q.v_lo = -70;
        q.v_hi = -30;
        q.w_lo = Eigen::VectorXd::LinSpaced(m.intrinsicBank().size(), -71, -69);
        q.w_hi = Eigen::VectorXd::LinSpaced(m.intrinsicBank().size(), -31, -29);
        q.z_lo = Eigen::VectorXd::Constant(m.synapticBank().size(), -72);
        q.z_hi = Eigen::VectorXd::Constant(m.synapticBank().size(), -28);
    }
    m.setNormalisation(qs);
    return m;
}

/// Everything a load must reproduce exactly.
std::vector<double> fingerprint(const ModelFile& mf)
{
    std::vector<double> out = mf.model.flatParameters();
    out.push_back(mf.model.dtMs());
    for (const auto& q : mf.model.normalisation()) {
        out.push_back(q.v_lo);
        out.push_back(q.v_hi);
        for (const auto* v : {&q.w_lo, &q.w_hi, &q.z_lo, &q.z_hi})
            out.insert(out.end(), v->data(), v->data() + v->size());
    }
    for (char c : mf.config_json)
        out.push_back(c);
    return out;
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// File offset and size of a contiguous dataset's data.
std::pair<std::size_t, std::size_t> dataRegion(const std::string& file, const std::string& ds)
{
    h5::File f = h5::File::openRead(file);
    std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
    h5::Handle d(H5Dopen2(f.id(), ds.c_str(), H5P_DEFAULT));
    const haddr_t off = H5Dget_offset(d.id());
    const hsize_t size = H5Dget_storage_size(d.id());
    return {off == HADDR_UNDEF ? 0 : static_cast<std::size_t>(off), static_cast<std::size_t>(size)};
}

// Removes every crc32 attribute and marks the file as version 1, as files written before.
void makeVersion1(const std::string& file)
{
    std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
    h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
    QVERIFY(f.valid());
    H5Ovisit2(
        f.id(), H5_INDEX_NAME, H5_ITER_INC,
        [](hid_t obj, const char* name, const H5O_info_t*, void*) -> herr_t {
            if (H5Aexists_by_name(obj, name, "crc32", H5P_DEFAULT) > 0)
                H5Adelete_by_name(obj, name, "crc32", H5P_DEFAULT);
            return 0;
        },
        nullptr, H5O_INFO_BASIC);
    const double one = 1;
    h5::Handle a(H5Aopen(f.id(), "format_version", H5P_DEFAULT));
    H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &one);
}

void overwriteFirstValue(const std::string& file, const std::string& ds, double value)
{
    std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
    h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
    h5::Handle d(H5Dopen2(f.id(), ds.c_str(), H5P_DEFAULT));
    h5::Handle space(H5Dget_space(d.id()));
    QVERIFY(H5Sget_simple_extent_ndims(space.id()) <= 2);
    const hsize_t start[2] = {0, 0}, count[2] = {1, 1};
    H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    const hsize_t one = 1;
    h5::Handle mem(H5Screate_simple(1, &one, nullptr));
    QVERIFY(H5Dwrite(d.id(), H5T_NATIVE_DOUBLE, mem.id(), space.id(), H5P_DEFAULT, &value) >= 0);
}

} // namespace

class TestModelFileIntegrity : public QObject {
    Q_OBJECT

    QString dir_;
    std::string original_;
    std::vector<double> expected_;
    std::vector<std::string> datasets_;

  private slots:
    void initTestCase()
    {
        dir_ = rmmtest::scratchDir("model_file_integrity");
        original_ = (dir_ + "/model.h5").toStdString();
        const CircuitModel m = smallModel();
        saveModel(original_, m, "{\"model\": {\"neurons\": 2}}", {{"best_epoch", "4"}});
        const ModelFile mf = loadModel(original_);
        QCOMPARE(mf.format_version, 2);
        expected_ = fingerprint(mf);
        QVERIFY(sameBits(mf.model.flatParameters(), m.flatParameters()));
        for (const auto& b : m.blocks())
            datasets_.push_back("/parameters/" + b.name);
        for (int i = 0; i < 2; ++i)
            for (const char* n : {"v_range", "w_lo", "w_hi", "z_lo", "z_hi"})
                datasets_.push_back("/normalisation/neuron" + std::to_string(i) + "/" + n);
    }

    void everyByteOfParametersAndNormalisation()
    {
        // One bit flipped in every byte of every parameter and normalisation dataset: every load
        // fails, naming the file and the dataset.
        const auto clean = rmmtest::readBytes(original_);
        const std::string path = (dir_ + "/flipped.h5").toStdString();
        int loads = 0;
        for (const auto& ds : datasets_) {
            const auto [off, size] = dataRegion(original_, ds);
            QVERIFY2(off > 0 && size > 0, ds.c_str());
            for (std::size_t k = off; k < off + size; ++k) {
                auto bytes = clean;
                bytes[k] ^= static_cast<unsigned char>(1u << (k % 8));
                rmmtest::writeBytes(path, bytes);
                const QString msg = errorOf([&] { loadModel(path); });
                QVERIFY2(msg.startsWith(QString::fromStdString(path + ":" + ds + ": checksum mismatch")),
                         qPrintable(QString::fromStdString(ds) + " byte " + QString::number(k) + ": " + msg));
                ++loads;
            }
        }
        QVERIFY(loads > 500);
    }

    void anyByteOfTheFile()
    {
        // Flips across the whole file (metadata, heap, attributes, data): a load either fails with
        // a message naming the file or gives exactly the saved model (the byte was unused).
        qputenv("RMM_ISOLATION_STALL_S", "5"); // flips in a heap object's size can hang libhdf5
        const auto clean = rmmtest::readBytes(original_);
        const std::string path = (dir_ + "/flipped_any.h5").toStdString();
        int failed = 0, same = 0;
        for (std::size_t k = 0; k < clean.size(); k += 13) {
            auto bytes = clean;
            bytes[k] ^= static_cast<unsigned char>(1u << ((k / 13) % 8));
            rmmtest::writeBytes(path, bytes);
            try {
                const ModelFile mf = loadModel(path);
                QVERIFY2(sameBits(fingerprint(mf), expected_),
                         qPrintable("byte " + QString::number(k) + " loads with different values"));
                ++same;
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path)),
                         qPrintable("byte " + QString::number(k) + ": " + e.what()));
                ++failed;
            }
        }
        qunsetenv("RMM_ISOLATION_STALL_S");
        qInfo("%d flips rejected, %d harmless", failed, same);
        QVERIFY(failed > 0);
    }

    void version1FilesStillLoad()
    {
        const std::string path = (dir_ + "/v1.h5").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(original_), QString::fromStdString(path)));
        makeVersion1(path);
        const ModelFile mf = loadModel(path);
        QCOMPARE(mf.format_version, 1);
        QVERIFY(sameBits(fingerprint(mf), expected_));
    }

    void missingChecksumIsAnError()
    {
        const std::string path = (dir_ + "/nocrc.h5").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(original_), QString::fromStdString(path)));
        {
            std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
            h5::Handle f(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
            QVERIFY(H5Adelete_by_name(f.id(), datasets_.front().c_str(), "crc32", H5P_DEFAULT) >= 0);
        }
        const QString msg = errorOf([&] { loadModel(path); });
        QVERIFY2(msg.startsWith(QString::fromStdString(path + ":" + datasets_.front() +
                                                       ": checksum attribute 'crc32' is missing")),
                 qPrintable(msg));
    }

    void nonFiniteValuesAreRefused_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<double>("value");
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("parameter NaN")
            << QString::fromStdString(datasets_.front()) << std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("parameter inf") << QString::fromStdString(datasets_[3]) << inf;
        QTest::newRow("normalisation -inf") << "/normalisation/neuron1/w_hi" << -inf;
    }

    void nonFiniteValuesAreRefused()
    {
        // A version-1 file (no checksums) with a non-finite value: refused, naming the dataset.
        QFETCH(QString, dataset);
        QFETCH(double, value);
        const std::string path = (dir_ + "/nonfinite.h5").toStdString();
        QFile::remove(QString::fromStdString(path));
        QVERIFY(QFile::copy(QString::fromStdString(original_), QString::fromStdString(path)));
        makeVersion1(path);
        overwriteFirstValue(path, dataset.toStdString(), value);
        const QString msg = errorOf([&] { loadModel(path); });
        QVERIFY2(msg.startsWith(QString::fromStdString(path) + ":" + dataset + ": value 0 is ") &&
                     msg.contains("not a finite number"),
                 qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestModelFileIntegrity)
#include "test_model_file_integrity.moc"
