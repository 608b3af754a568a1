// SPDX-License-Identifier: GPL-3.0-or-later
// Comparison metrics for predicted synaptic currents (docs/method.md section 5).
#include "engine/core/error.hpp"
#include "engine/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace rmm {
namespace {

void checkPair(const std::vector<double>& a, const std::vector<double>& b, const char* what)
{
    if (a.size() != b.size())
        throw Error(std::string(what) + " needs signals of equal length, got " + std::to_string(a.size()) +
                    " and " + std::to_string(b.size()) + " samples");
    if (a.empty())
        throw Error(std::string(what) + " of empty signals is undefined");
}

bool isConstant(const std::vector<double>& x)
{
    for (double v : x)
        if (v != x.front())
            return false;
    return true;
}

long double mean(const std::vector<double>& x)
{
    long double s = 0;
    for (double v : x)
        s += v;
    return s / static_cast<long double>(x.size());
}

} // namespace

double pearson(const std::vector<double>& a, const std::vector<double>& b)
{
    checkPair(a, b, "Pearson correlation");
    if (isConstant(a) || isConstant(b))
        return 0.0;
    const long double ma = mean(a), mb = mean(b);
    long double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const long double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (saa <= 0 || sbb <= 0)
        return 0.0;
    const long double r = sab / std::sqrt(saa * sbb);
    return static_cast<double>(std::max(-1.0L, std::min(1.0L, r)));
}

double nrmse(const std::vector<double>& truth, const std::vector<double>& pred)
{
    checkPair(truth, pred, "normalised RMSE");
    if (isConstant(truth))
        return std::numeric_limits<double>::quiet_NaN();
    const long double mt = mean(truth);
    long double se = 0, sv = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const long double e = static_cast<long double>(pred[i]) - truth[i];
        const long double d = truth[i] - mt;
        se += e * e;
        sv += d * d;
    }
    if (sv <= 0)
        return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>(std::sqrt(se / sv));
}

double robustSpread(std::vector<double> x)
{
    if (x.empty())
        return 0;
    std::sort(x.begin(), x.end());
    auto at = [&x](double q) {
        const double pos = q * static_cast<double>(x.size() - 1);
        const auto k = static_cast<std::size_t>(pos);
        const double f = pos - static_cast<double>(k);
        return k + 1 < x.size() ? x[k] + f * (x[k + 1] - x[k]) : x[k];
    };
    return at(0.99) - at(0.01);
}

SynapticCurrentMetrics synapticCurrentMetrics(const std::vector<double>& recordedIsyn,
                                              const std::vector<std::vector<double>>& modelIsyn,
                                              std::vector<double>* predicted)
{
    if (modelIsyn.empty())
        throw Error("synaptic current metrics: the model has no synaptic current into this neuron");
    std::vector<double> pred(recordedIsyn.size(), 0.0);
    for (std::size_t j = 0; j < modelIsyn.size(); ++j) {
        if (modelIsyn[j].size() != recordedIsyn.size())
            throw Error("synaptic current metrics: model synapse " + std::to_string(j) + " has " +
                        std::to_string(modelIsyn[j].size()) + " samples, the recorded current " +
                        std::to_string(recordedIsyn.size()));
        for (std::size_t i = 0; i < pred.size(); ++i)
            pred[i] -= modelIsyn[j][i];
    }
    SynapticCurrentMetrics m;
    m.pearson = pearson(recordedIsyn, pred);
    m.nrmse = nrmse(recordedIsyn, pred);
    const double spread = robustSpread(recordedIsyn);
    m.amplitude_ratio = spread > 0 ? robustSpread(pred) / spread : std::numeric_limits<double>::quiet_NaN();
    if (predicted)
        *predicted = std::move(pred);
    return m;
}

} // namespace rmm
