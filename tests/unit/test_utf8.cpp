// SPDX-License-Identifier: GPL-3.0-or-later
// validUtf8 / makeValidUtf8 (engine/core/utf8.hpp): valid UTF-8 passes unchanged, every other
// byte becomes the text \xHH, and a JSON document with such bytes in values and keys dumps.
#include "engine/core/utf8.hpp"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QTest>

using rmm::validUtf8;

class TestUtf8 : public QObject {
    Q_OBJECT
  private slots:
    void validTextUnchanged()
    {
        for (const char* s :
             {"", "plain ascii", "\xc2\xb5m (micro)", "\xe2\x88\x92 minus", "\xf0\x9f\xa7\xa0 brain",
              "\xed\x9f\xbf last before surrogates", "\xf4\x8f\xbf\xbf U+10FFFF"})
            QCOMPARE(validUtf8(s), std::string(s));
    }

    void invalidBytesEscaped_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("lone byte") << QByteArray("m\xffV") << QByteArray("m\\xffV");
        QTest::newRow("latin-1 micro") << QByteArray("\xb5m") << QByteArray("\\xb5m");
        QTest::newRow("truncated 2-byte") << QByteArray("a\xc3") << QByteArray("a\\xc3");
        QTest::newRow("truncated 3-byte") << QByteArray("\xe2\x88") << QByteArray("\\xe2\\x88");
        QTest::newRow("overlong /") << QByteArray("\xc0\xaf") << QByteArray("\\xc0\\xaf");
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << QByteArray("\\xe0\\x80\\xaf");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\\xed\\xa0\\x80");
        QTest::newRow("above U+10FFFF")
            << QByteArray("\xf4\x90\x80\x80") << QByteArray("\\xf4\\x90\\x80\\x80");
        QTest::newRow("valid after invalid") << QByteArray("\xff\xc2\xb5") << QByteArray("\\xff\xc2\xb5");
    }

    void invalidBytesEscaped()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(QByteArray::fromStdString(validUtf8(in.toStdString())), out);
    }

    void jsonDumpsAfterwards()
    {
        nlohmann::json j = {
            {"unit", "m\xffV"}, {"list", {"ok", "\xfe"}}, {"nested", {{"k\xfd", "v"}}}, {"n", 1}};
        QVERIFY_THROWS_EXCEPTION(nlohmann::json::exception, (void)j.dump());
        rmm::makeValidUtf8(j);
        const nlohmann::json back = nlohmann::json::parse(j.dump());
        QCOMPARE(back["unit"].get<std::string>(), std::string("m\\xffV"));
        QCOMPARE(back["list"][1].get<std::string>(), std::string("\\xfe"));
        QVERIFY(back["nested"].contains("k\\xfd"));
        QCOMPARE(back["nested"]["k\\xfd"].get<std::string>(), std::string("v"));
        QCOMPARE(back["n"].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestUtf8)
#include "test_utf8.moc"
