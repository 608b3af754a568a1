// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/run/curves_file.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace rmm {
namespace {

std::vector<std::string> splitCells(const std::string& line)
{
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        std::string c = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto b = c.find_first_not_of(" \t\r");
        const auto e = c.find_last_not_of(" \t\r");
        cells.push_back(b == std::string::npos ? std::string() : c.substr(b, e - b + 1));
        if (comma == std::string::npos)
            return cells;
        start = comma + 1;
    }
}

/// A cell as a number: empty = NaN; false when it is not a number.
bool parseCell(const std::string& cell, double& out)
{
    if (cell.empty()) {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    const char* end = cell.data() + cell.size();
    const auto r = std::from_chars(cell.data(), end, out);
    return r.ec == std::errc() && r.ptr == end;
}

} // namespace

std::string curvesCsv(const std::vector<EpochRecord>& curves)
{
    std::ostringstream csv;
    csv << "epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric\n";
    for (const auto& r : curves)
        csv << r.epoch << "," << fileNumber(r.seconds) << "," << fileNumber(r.elapsed) << ","
            << fileNumber(r.lr) << "," << fileNumber(r.train_loss) << "," << fileNumber(r.validation_metric)
            << "\n";
    return csv.str();
}

std::vector<EpochRecord> parseCurvesCsv(const std::string& text, const std::string& source)
{
    std::istringstream in(text);
    std::string line;
    std::map<std::string, std::size_t> col;
    long lineNo = 0;
    std::vector<EpochRecord> out;
    bool header = true;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const std::vector<std::string> cells = splitCells(line);
        if (header) {
            for (std::size_t k = 0; k < cells.size(); ++k)
                col[cells[k]] = k;
            for (const char* need : {"epoch", "train_loss", "validation_metric"})
                if (!col.count(need))
                    throw Error(
                        source + ": no column '" + need + "' in the header line (a curves.csv of rmm " +
                        "train starts with epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric)");
            header = false;
            continue;
        }
        bool ok = true;
        auto cell = [&](const char* name) {
            double v = std::numeric_limits<double>::quiet_NaN();
            const auto it = col.find(name);
            if (it != col.end() && it->second < cells.size())
                ok = parseCell(cells[it->second], v) && ok;
            return v;
        };
        EpochRecord e;
        const double epoch = cell("epoch");
        e.seconds = cell("seconds");
        e.elapsed = cell("elapsed_seconds");
        e.lr = cell("lr");
        e.train_loss = cell("train_loss");
        e.validation_metric = cell("validation_metric");
        if (!ok || !std::isfinite(epoch) || epoch < 0 || epoch > 1e8 || epoch != std::floor(epoch))
            throw Error(source + ", line " + std::to_string(lineNo) +
                        ": not a row of numbers: " + line.substr(0, 80));
        e.epoch = static_cast<int>(epoch);
        appendReadEpoch(out, e);
    }
    if (header)
        throw Error(source + ": empty file (no header line)");
    return out;
}

std::vector<EpochRecord> readCurvesCsv(const std::string& path)
{
    return parseCurvesCsv(readTextFile(path, "the learning curves"), path);
}

void appendReadEpoch(std::vector<EpochRecord>& curves, EpochRecord e)
{
    if (!std::isfinite(e.elapsed))
        e.elapsed =
            (curves.empty() ? 0.0 : curves.back().elapsed) + (std::isfinite(e.seconds) ? e.seconds : 0.0);
    curves.push_back(e);
}

} // namespace rmm
