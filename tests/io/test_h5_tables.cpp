// SPDX-License-Identifier: GPL-3.0-or-later
// h5::File additions used by the NWB, RTXI and MAT v7.3 readers: string-array attributes, numeric
// tables (ARRAY / COMPOUND packet tables, matrices) and matrix rows.
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"

#include <QtTest>

#include <cstring>

using namespace rmm;

class TestH5Tables : public QObject {
    Q_OBJECT

    std::string path_;

  private slots:
    void initTestCase()
    {
        path_ = (rmmtest::scratchDir("h5_tables") + "/t.h5").toStdString();
        auto f = h5::File::create(path_);
        std::vector<double> m(4 * 3);
        for (std::size_t i = 0; i < m.size(); ++i)
            m[i] = static_cast<double>(i);
        f.writeMatrix("/matrix", m.data(), 4, 3);
        f.writeString("/text", "x");
        std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
        // ARRAY packet table: 5 rows of int32[2]
        {
            hsize_t adim = 2, n = 5;
            hid_t at = H5Tarray_create2(H5T_STD_I32LE, 1, &adim);
            hid_t sp = H5Screate_simple(1, &n, nullptr);
            hid_t ds = H5Dcreate2(f.id(), "/array", at, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            int32_t v[10] = {0, -1, 2, -3, 4, -5, 6, -7, 8, -9};
            hid_t mt = H5Tarray_create2(H5T_NATIVE_INT32, 1, &adim);
            H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
            H5Tclose(mt);
            H5Dclose(ds);
            H5Sclose(sp);
            H5Tclose(at);
        }
        // COMPOUND with a string member (ignored), a scalar and an array member
        {
            struct Row {
                char name[4];
                float x;
                double y[2];
            };
            Row rows[3] = {{"a", 1.5f, {10, 11}}, {"b", 2.5f, {20, 21}}, {"c", 3.5f, {30, 31}}};
            hid_t st = H5Tcopy(H5T_C_S1);
            H5Tset_size(st, 4);
            hsize_t two = 2, n = 3;
            hid_t yt = H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &two);
            hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(Row));
            H5Tinsert(t, "name", HOFFSET(Row, name), st);
            H5Tinsert(t, "x", HOFFSET(Row, x), H5T_NATIVE_FLOAT);
            H5Tinsert(t, "y", HOFFSET(Row, y), yt);
            hid_t sp = H5Screate_simple(1, &n, nullptr);
            hid_t ds = H5Dcreate2(f.id(), "/compound", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
            H5Dclose(ds);
            H5Sclose(sp);
            H5Tclose(t);
            H5Tclose(yt);
            H5Tclose(st);
        }
        // String-array attributes: variable length (NWB 1 ancestry) and fixed length
        {
            hsize_t n = 3;
            hid_t sp = H5Screate_simple(1, &n, nullptr);
            hid_t vt = H5Tcopy(H5T_C_S1);
            H5Tset_size(vt, H5T_VARIABLE);
            const char* names[3] = {"TimeSeries", "PatchClampSeries", "VoltageClampSeries"};
            hid_t a = H5Acreate2(f.id(), "ancestry", vt, sp, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite(a, vt, names);
            H5Aclose(a);
            hid_t ft = H5Tcopy(H5T_C_S1);
            H5Tset_size(ft, 5);
            const char fixed[15] = {'a', 'b', 0, 0, 0, 'c', 'd', 'e', 'f', 'g', 'h', 0, 0, 0, 0};
            a = H5Acreate2(f.id(), "fixed", ft, sp, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite(a, ft, fixed);
            H5Aclose(a);
            H5Tclose(ft);
            H5Tclose(vt);
            H5Sclose(sp);
        }
    }

    void attrStrings()
    {
        auto f = h5::File::openRead(path_);
        auto a = f.attrStrings("/", "ancestry");
        QCOMPARE(a.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(a[2]), QString("VoltageClampSeries"));
        auto b = f.attrStrings("/", "fixed");
        QCOMPARE(b.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(b[0]), QString("ab"));
        QCOMPARE(QString::fromStdString(b[1]), QString("cdefg"));
        QCOMPARE(QString::fromStdString(b[2]), QString("h"));
        QVERIFY(f.attrStrings("/", "missing").empty());
    }

    void matrixTableAndRows()
    {
        auto f = h5::File::openRead(path_);
        auto t = f.readTable("/matrix");
        QCOMPARE(t.rows, std::size_t(4));
        QCOMPARE(t.cols, std::size_t(3));
        QCOMPARE(t.at(2, 1), 7.0);
        auto r = f.readRow("/matrix", 3);
        QCOMPARE(r, (std::vector<double>{9, 10, 11}));
        QCOMPARE(f.typeClass("/matrix"), H5T_FLOAT);
        QCOMPARE(f.typeClass("/nothing"), H5T_NO_CLASS);
    }

    void arrayTable()
    {
        auto f = h5::File::openRead(path_);
        QCOMPARE(f.tableColumns("/array").size(), std::size_t(2));
        auto t = f.readTable("/array");
        QCOMPARE(t.rows, std::size_t(5));
        QCOMPARE(t.cols, std::size_t(2));
        QCOMPARE(t.at(4, 0), 8.0);
        QCOMPARE(t.at(4, 1), -9.0);
    }

    void compoundTable()
    {
        auto f = h5::File::openRead(path_);
        auto cols = f.tableColumns("/compound");
        QCOMPARE(cols, (std::vector<std::string>{"x", "y[0]", "y[1]"}));
        auto t = f.readTable("/compound");
        QCOMPARE(t.rows, std::size_t(3));
        QCOMPARE(t.at(1, 0), 2.5);
        QCOMPARE(t.at(2, 2), 31.0);
    }

    void notATable()
    {
        auto f = h5::File::openRead(path_);
        try {
            f.readTable("/text");
            QFAIL("a string dataset is not a table");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("/text"));
        }
    }
};

QTEST_GUILESS_MAIN(TestH5Tables)
#include "test_h5_tables.moc"
