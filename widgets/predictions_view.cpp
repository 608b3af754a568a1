// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/predictions_view.hpp"
#include "widgets/plot_locale.hpp"

#include <QLabel>
#include <QLocale>
#include <QSaveFile>
#include <QStackedWidget>
#include <QTextStream>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace rmm {

namespace {
/// The second run of a comparison.
const QColor kCompareColor(0x94, 0x67, 0xbd);
} // namespace

PredictionsView::PredictionsView(QWidget* parent) : QWidget(parent)
{
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setAccessibleName(tr("Predictions summary"));
    m_plot = new QCustomPlot(this);
    m_plot->setLocale(plotLocale());
    m_plot->setAccessibleName(tr("Predictions plot"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setAutoAddPlottableToLegend(false); // each panel has its own legend
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &PredictionsView::fit);
    m_placeholder = new QLabel(this);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);
    m_placeholder->setAccessibleName(tr("Predictions message"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_plot);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_stack, 1);
    setMessage(
        tr("<p style='font-size:large'>No predictions yet</p><p>Train a model (Train tab), or select a "
           "finished run there: its free run on the validation segment is shown here against the "
           "recording, with the predicted synaptic currents.</p>"));
}

void PredictionsView::setMessage(const QString& message)
{
    m_data = PredictionData{};
    rebuild();
    m_label->clear();
    m_label->hide();
    m_placeholder->setText(message);
    m_stack->setCurrentWidget(m_placeholder);
}

QString PredictionsView::message() const
{
    return m_stack->currentWidget() == m_placeholder ? m_placeholder->text() : QString();
}

bool PredictionsView::isComparison() const
{
    for (const auto& n : m_data.neurons)
        if (!n.v_compare.empty())
            return true;
    return false;
}

int PredictionsView::panelCount() const
{
    return static_cast<int>(m_rects.size());
}

void PredictionsView::setPredictions(const PredictionData& data)
{
    m_data = data;
    m_label->show();
    m_stack->setCurrentWidget(m_plot);
    QStringList parts;
    for (const auto& n : m_data.neurons)
        if (!n.isyn_true.empty() && !n.isyn_compare.empty())
            parts << tr("%1: I_syn r = %2 (%3), %4 (%5)")
                         .arg(n.name, QLocale().toString(n.pearson, 'f', 3), m_data.run_name,
                              QLocale().toString(n.compare_pearson, 'f', 3), m_data.compare_name);
        else if (!n.isyn_true.empty())
            parts << tr("%1: I_syn r = %2, NRMSE = %3")
                         .arg(n.name)
                         .arg(QLocale().toString(n.pearson, 'f', 3), QLocale().toString(n.nrmse, 'f', 3));
    m_label->setText(m_data.title + (parts.isEmpty()
                                         ? QString()
                                         : QStringLiteral("  ·  ") + parts.join(QStringLiteral("  ·  "))));
    rebuild();
}

void PredictionsView::rebuild()
{
    m_plot->clearGraphs();
    m_plot->plotLayout()->clear();
    m_rects.clear();
    auto* group = new QCPMarginGroup(m_plot);
    auto addRect = [&](const QString& ylabel) {
        auto* r = new QCPAxisRect(m_plot);
        r->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        r->setRangeZoom(Qt::Horizontal);
        r->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        r->axis(QCPAxis::atLeft)->setLabel(ylabel);
        m_plot->plotLayout()->addElement(static_cast<int>(m_rects.size()), 0, r);
        m_rects.push_back(r);
        return r;
    };
    auto addLine = [&](QCPAxisRect* r, const std::vector<double>& y, const QColor& c, const QString& name,
                       Qt::PenStyle style = Qt::SolidLine) {
        QCPGraph* g = m_plot->addGraph(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        QVector<double> x(static_cast<qsizetype>(y.size())), v(static_cast<qsizetype>(y.size()));
        for (std::size_t k = 0; k < y.size(); ++k) {
            x[static_cast<qsizetype>(k)] = m_data.t0_s + static_cast<double>(k) * m_data.dt_ms / 1000.0;
            v[static_cast<qsizetype>(k)] = y[k];
        }
        g->setData(x, v, true);
        g->setPen(QPen(c, 1.2, style));
        g->setName(name);
        g->setAdaptiveSampling(true);
        return g;
    };
    auto legendFor = [&](QCPAxisRect* r) {
        auto* legend = new QCPLegend;
        r->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
        legend->setLayer(QStringLiteral("legend"));
        for (QCPGraph* g : r->graphs())
            g->addToLegend(legend);
        legend->setBrush(QColor(255, 255, 255, 200));
    };
    const bool comparing = isComparison();
    const QString simulatedName = comparing && !m_data.run_name.isEmpty() ? m_data.run_name : tr("simulated");
    const QString compareName = m_data.compare_name.isEmpty() ? tr("second run") : m_data.compare_name;
    for (const auto& n : m_data.neurons) {
        QCPAxisRect* r = addRect(tr("%1 v [mV]").arg(n.name));
        addLine(r, n.v_measured, Qt::black, tr("measured"));
        addLine(r, n.v_predicted, QColor(0xd6, 0x27, 0x28), simulatedName);
        if (!n.v_compare.empty())
            addLine(r, n.v_compare, kCompareColor, compareName);
        if (!n.v_observer.empty())
            addLine(r, n.v_observer, QColor(0x1f, 0x77, 0xb4), tr("observer γ = %1").arg(m_data.gamma),
                    Qt::DashLine);
        legendFor(r);
    }
    for (const auto& n : m_data.neurons) {
        if (n.isyn_true.empty())
            continue;
        QCPAxisRect* r = addRect(tr("%1 I_syn [nA]").arg(n.name));
        addLine(r, n.isyn_true, Qt::black, tr("ground truth"));
        addLine(r, n.isyn_predicted, QColor(0x2c, 0xa0, 0x2c),
                comparing
                    ? tr("%1 (r %2)").arg(simulatedName, QLocale().toString(n.pearson, 'f', 3))
                    : tr("predicted (r %1, NRMSE %2)")
                          .arg(QLocale().toString(n.pearson, 'f', 3), QLocale().toString(n.nrmse, 'f', 3)));
        if (!n.isyn_compare.empty())
            addLine(r, n.isyn_compare, kCompareColor,
                    tr("%1 (r %2)").arg(compareName, QLocale().toString(n.compare_pearson, 'f', 3)));
        legendFor(r);
    }
    if (!m_rects.empty())
        m_rects.back()->axis(QCPAxis::atBottom)->setLabel(tr("time in trial [s]"));
    // Linked zoom: every panel follows the others' time range.
    for (QCPAxisRect* a : m_rects)
        for (QCPAxisRect* b : m_rects)
            if (a != b)
                connect(a->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
                        b->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    fit();
}

void PredictionsView::fit()
{
    for (QCPAxisRect* r : m_rects) {
        bool first = true;
        for (QCPGraph* g : r->graphs()) {
            g->rescaleAxes(!first);
            first = false;
        }
        r->axis(QCPAxis::atLeft)->scaleRange(1.1);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool PredictionsView::exportCsv(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = tr("Could not write '%1': %2").arg(path, file.errorString());
        return false;
    }
    QTextStream out(&file);
    out << "time_s";
    std::size_t T = 0;
    for (std::size_t i = 0; i < m_data.neurons.size(); ++i) {
        const auto& n = m_data.neurons[i];
        const QString k = QString::number(i + 1);
        T = std::max(T, n.v_measured.size());
        out << ",v_measured" << k << ",v_simulated" << k;
        if (!n.v_compare.empty())
            out << ",v_compare" << k;
        if (!n.v_observer.empty())
            out << ",v_observer" << k;
        if (!n.isyn_true.empty())
            out << ",isyn_true" << k << ",isyn_predicted" << k;
        if (!n.isyn_true.empty() && !n.isyn_compare.empty())
            out << ",isyn_compare" << k;
    }
    out << "\n";
    auto put = [&](const std::vector<double>& v, std::size_t k) {
        out << ',';
        if (k < v.size() && std::isfinite(v[k]))
            out << QString::number(v[k], 'g', 9);
    };
    for (std::size_t k = 0; k < T; ++k) {
        out << QString::number(m_data.t0_s + static_cast<double>(k) * m_data.dt_ms / 1000.0, 'g', 12);
        for (const auto& n : m_data.neurons) {
            put(n.v_measured, k);
            put(n.v_predicted, k);
            if (!n.v_compare.empty())
                put(n.v_compare, k);
            if (!n.v_observer.empty())
                put(n.v_observer, k);
            if (!n.isyn_true.empty()) {
                put(n.isyn_true, k);
                put(n.isyn_predicted, k);
                if (!n.isyn_compare.empty())
                    put(n.isyn_compare, k);
            }
        }
        out << "\n";
    }
    out.flush();
    if (!file.commit()) {
        if (error)
            *error = tr("Could not write '%1': %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace rmm
