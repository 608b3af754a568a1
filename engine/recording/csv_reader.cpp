// SPDX-License-Identifier: GPL-3.0-or-later
// CSV / TSV recordings: one column per channel, one row per sample, one trial ("trial1").
//
//   # rate_hz = 10000            optional comment lines ('#'); `rate_hz` (or sampling_rate_hz) gives the rate
//   time [ms],v [mV],i [nA]      header row: "name [unit]" per column (unit optional)
//   0,-65.1,0.0
//   0.1,-65.0,0.0
//
// Delimiter: tab for .tsv or when the header row holds a tab, else ';' when the header holds ';' but
// no ',', else ','. Cells may be quoted ("...").
// Time column: a column named "t" or "time" (any case) with unit s or ms (no unit: seconds). Its
// steps must be uniform within 1 % of the mean step, else an error names the row. It gives the
// rate and is not a channel. Without a time column the rate comes from the comment line, else from
// RecordingOpenOptions::rate_hz, else an rmm::Error asks for it.
// Every data cell must be a finite number: an error names line (1-based, as an editor counts),
// column number and column name for empty cells, text, NaN and infinities.
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rmm {

namespace {

std::string trim(const std::string& s)
{
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a])))
        ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1])))
        --b;
    return s.substr(a, b - a);
}

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> splitCells(const std::string& line, char delim)
{
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                cur += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == delim && !quoted) {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trim(cur));
    return out;
}

// "v [mV]" -> {"v", "mV"}; "v" -> {"v", ""}.
std::pair<std::string, std::string> nameAndUnit(const std::string& cell)
{
    std::string s = trim(cell);
    if (!s.empty() && s.back() == ']') {
        auto open = s.rfind('[');
        if (open != std::string::npos)
            return {trim(s.substr(0, open)), trim(s.substr(open + 1, s.size() - open - 2))};
    }
    return {s, ""};
}

class CsvReader final : public RecordingReader {
  public:
    CsvReader(const std::string& path, const RecordingOpenOptions& options)
    {
        header_.format = "csv";
        header_.path = path;
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw Error(path + ": cannot open file");
        const bool tsvExt = lower(std::filesystem::path(path).extension().string()) == ".tsv";
        std::string line;
        std::size_t lineNo = 0;
        double commentRate = 0;
        std::vector<std::string> names, units;
        char delim = ',';
        int timeCol = -1;
        double timeScale = 1.0; // to seconds
        std::vector<double> times;
        while (std::getline(in, line)) {
            ++lineNo;
            if (lineNo == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0)
                line.erase(0, 3); // UTF-8 byte-order mark
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            const std::string t = trim(line);
            if (t.empty())
                continue;
            if (t[0] == '#') {
                parseComment(t, lineNo, commentRate);
                continue;
            }
            if (names.empty()) {
                delim = tsvExt || t.find('\t') != std::string::npos                              ? '\t'
                        : (t.find(';') != std::string::npos && t.find(',') == std::string::npos) ? ';'
                                                                                                 : ',';
                for (const auto& cell : splitCells(line, delim)) {
                    auto [n, u] = nameAndUnit(cell);
                    if (n.empty())
                        throw Error(path + ": line " + std::to_string(lineNo) + ": column " +
                                    std::to_string(names.size() + 1) + " of the header row has no name");
                    if (std::find(names.begin(), names.end(), n) != names.end())
                        throw Error(path + ": line " + std::to_string(lineNo) + ": column name '" + n +
                                    "' appears twice in the header row");
                    const std::string ln = lower(n);
                    if (timeCol < 0 && (ln == "t" || ln == "time")) {
                        const std::string lu = lower(u);
                        if (lu == "ms" || lu == "msec")
                            timeScale = 1e-3;
                        else if (lu == "s" || lu == "sec" || lu.empty())
                            timeScale = 1.0;
                        else
                            throw Error(path + ": line " + std::to_string(lineNo) + ": time column unit '" +
                                        u + "' is not s or ms");
                        timeCol = static_cast<int>(names.size());
                    }
                    names.push_back(n);
                    units.push_back(u);
                }
                if (names.size() - (timeCol >= 0 ? 1 : 0) == 0)
                    throw Error(path + ": line " + std::to_string(lineNo) +
                                ": the header row names no data column");
                columns_.resize(names.size());
                continue;
            }
            auto cells = splitCells(line, delim);
            if (cells.size() != names.size())
                throw Error(path + ": line " + std::to_string(lineNo) + " has " +
                            std::to_string(cells.size()) + " fields but the header row has " +
                            std::to_string(names.size()));
            for (std::size_t c = 0; c < cells.size(); ++c)
                columns_[c].push_back(number(path, lineNo, c, names[c], cells[c]));
            if (timeCol >= 0)
                checkTimeStep(path, lineNo, columns_[static_cast<std::size_t>(timeCol)], timeScale);
        }
        if (names.empty())
            throw Error(path + ": no header row found (expected e.g. \"time [ms],v [mV]\")");
        const std::size_t n = columns_.front().size();
        if (n == 0)
            throw Error(path + ": the file has a header row but no data rows");
        double rate = 0;
        if (timeCol >= 0) {
            if (n < 2)
                throw Error(path +
                            ": one row is not enough to derive the sampling rate from the time column");
            const auto& tc = columns_[static_cast<std::size_t>(timeCol)];
            const double dt = (tc.back() - tc.front()) * timeScale / static_cast<double>(n - 1);
            rate = 1.0 / dt;
        } else if (commentRate > 0) {
            rate = commentRate;
        } else if (options.rate_hz > 0 && std::isfinite(options.rate_hz)) {
            rate = options.rate_hz;
        } else {
            throw Error(path + ": no sampling rate: add a time column (\"time [ms]\"), a comment line "
                               "\"# rate_hz = 10000\", or give the rate when opening (CLI: --rate HZ)");
        }
        TrialInfo trial;
        trial.name = "trial1";
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (static_cast<int>(c) == timeCol)
                continue;
            trial.channels.push_back({names[c], units[c], rate, n});
            index_.push_back(c);
        }
        if (timeCol >= 0)
            trial.start_s = columns_[static_cast<std::size_t>(timeCol)].front() * timeScale;
        header_.trials.push_back(std::move(trial));
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial != 0 || channel >= index_.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        return columns_[index_[channel]];
    }

  private:
    static void parseComment(const std::string& t, std::size_t lineNo, double& rate)
    {
        std::string body = trim(t.substr(1));
        auto eq = body.find_first_of("=:");
        if (eq == std::string::npos)
            return;
        const std::string key = lower(trim(body.substr(0, eq)));
        if (key != "rate_hz" && key != "sampling_rate_hz" && key != "sample_rate_hz")
            return;
        const std::string value = trim(body.substr(eq + 1));
        double v = 0;
        auto res = std::from_chars(value.data(), value.data() + value.size(), v);
        if (res.ec != std::errc() || res.ptr != value.data() + value.size() || !(v > 0) || !std::isfinite(v))
            throw Error("line " + std::to_string(lineNo) + ": '" + value + "' is not a positive rate in Hz");
        rate = v;
    }

    static double number(const std::string& path, std::size_t lineNo, std::size_t col,
                         const std::string& name, std::string cell)
    {
        const std::string where = path + ": line " + std::to_string(lineNo) + ", column " +
                                  std::to_string(col + 1) + " ('" + name + "'): ";
        if (cell.empty())
            throw Error(where + "empty cell where a number was expected");
        const char* first = cell.data();
        if (*first == '+')
            ++first;
        double v = 0;
        auto res = std::from_chars(first, cell.data() + cell.size(), v);
        if (res.ec != std::errc() || res.ptr != cell.data() + cell.size())
            throw Error(where + "'" + cell + "' is not a number");
        if (!std::isfinite(v))
            throw Error(where + "'" + cell + "' is not a finite number (NaN and infinity are not allowed)");
        return v;
    }

    static void checkTimeStep(const std::string& path, std::size_t lineNo, const std::vector<double>& t,
                              double scale)
    {
        const std::size_t n = t.size();
        if (n < 2)
            return;
        const double first = (t[1] - t[0]) * scale;
        if (!(first > 0))
            throw Error(path + ": line " + std::to_string(lineNo) + ": time does not increase (step " +
                        std::to_string(first) + " s)");
        if (n < 3)
            return;
        const double step = (t[n - 1] - t[n - 2]) * scale;
        if (std::abs(step - first) > 0.01 * first)
            throw Error(path + ": line " + std::to_string(lineNo) + ": time step " + std::to_string(step) +
                        " s differs from the first step " + std::to_string(first) +
                        " s; samples must be uniformly spaced");
    }

    RecordingHeader header_;
    std::vector<std::vector<double>> columns_;
    std::vector<std::size_t> index_;
};

} // namespace

bool looksLikeCsv(const FileProbe& probe)
{
    if (probe.hdf5)
        return false;
    if (probe.extension != "csv" && probe.extension != "tsv" && probe.extension != "txt")
        return false;
    for (unsigned char c : probe.head)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false; // binary
    return true;
}

std::unique_ptr<RecordingReader> openCsv(const std::string& path, const RecordingOpenOptions& options)
{
    try {
        return std::make_unique<CsvReader>(path, options);
    } catch (const Error& e) {
        const std::string msg = e.what();
        if (msg.rfind("line ", 0) == 0)
            throw Error(path + ": " + msg);
        throw;
    }
}

} // namespace rmm
