// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/getting_started.hpp"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace rmm {

namespace {

/// The README online (the installed package has the same text in /usr/share/doc/rmm-workbench).
const QString kReadme = QStringLiteral("https://github.com/rmm-workbench/rmm-workbench#");

QString link(const QString& anchor, const QString& text)
{
    return QStringLiteral("<a href='%1%2'>%3</a>").arg(kReadme, anchor, text);
}

} // namespace

GettingStartedDialog::GettingStartedDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Getting started"));
    m_text = new QTextBrowser(this);
    m_text->setOpenExternalLinks(true);
    m_text->setAccessibleName(tr("Getting started"));
    const QString steps =
        tr("<h3>From a recording to a figure</h3><ol>"
           "<li><b>Open a recording</b>: File &gt; Open… (Ctrl+O) reads ABF, NWB, RTXI HDF5, MATLAB and CSV "
           "files; File &gt; Open demo recording generates a half-center oscillator. Drop a file on the "
           "window to open it.</li>"
           "<li><b>Map the channels</b>: Train &gt; Channel map… (Ctrl+M): per neuron the measured voltage, "
           "the "
           "injected current and, when you have it, the ground-truth synaptic current (%1).</li>"
           "<li><b>Train</b>: the Train tab's Model and Trainer forms start at the paper's settings; Start "
           "(F5) "
           "trains in the background with live learning curves; Stop (Shift+F5) keeps the best snapshot "
           "(%2).</li>"
           "<li><b>Predictions</b>: the selected run's free run on the validation segment against the "
           "recording, and its predicted synaptic currents (%3).</li>"
           "<li><b>Analysis</b>: the model read as frequency-dependent conductances, with candidate fold and "
           "Neimark-Sacker points.</li>"
           "<li><b>Export</b>: File &gt; Export figure… (Ctrl+E) writes any plots as PDF, SVG or PNG at a "
           "size "
           "in millimetres; File &gt; Export data… the numbers. Save the session (Ctrl+S) to keep runs and "
           "settings; the same training runs from scripts with <code>rmm train</code> (%4).</li></ol>")
            .arg(link(QStringLiteral("data-the-recording-and-its-channel-map"), tr("config reference")),
                 link(QStringLiteral("training-method-md-section-3"), tr("training settings")),
                 link(QStringLiteral("the-workbench-rmm-workbench"), tr("the workbench")),
                 link(QStringLiteral("the-rmm-command-line-tool"), tr("the rmm tool")));
    const QList<QPair<QString, QString>> keys{
        {QStringLiteral("Ctrl+O"), tr("open a recording")},
        {QStringLiteral("Ctrl+Shift+O"), tr("open a session")},
        {QStringLiteral("Ctrl+S / Ctrl+Shift+S"), tr("save the session / save it as")},
        {QStringLiteral("Ctrl+E / Ctrl+Shift+E"), tr("export a figure / export data")},
        {QStringLiteral("Ctrl+M"), tr("channel map")},
        {QStringLiteral("F5 / F6 / Shift+F5"), tr("start / pause / stop training")},
        {QStringLiteral("Delete / Ctrl+Z"), tr("remove the selected runs / put them back")},
        {QStringLiteral("Ctrl+0, double-click"), tr("fit the traces")},
        {QStringLiteral("wheel, drag, Ctrl+drag"),
         tr("zoom time (over a y axis: that axis), pan, zoom to a rectangle")},
        {QStringLiteral("Alt+Left / Alt+Right"), tr("previous / next zoom")},
        {QStringLiteral("Left, PgUp / Right, PgDn"), tr("previous / next sweep")},
        {QStringLiteral("C"), tr("measurement cursors on the traces")},
        {QStringLiteral("right click"), tr("plot menu: fit, cursors, sweeps, copy values, export")},
        {QStringLiteral("F1"), tr("this help")},
    };
    QString table = tr("<h3>Keyboard and mouse</h3>") + QStringLiteral("<table cellspacing='4'>");
    for (const auto& [key, what] : keys)
        table += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(key.toHtmlEscaped(), what);
    table += QStringLiteral("</table>");
    m_text->setHtml(steps + table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(buttons);
    resize(640, 620);
}

QString GettingStartedDialog::html() const
{
    return m_text->toHtml();
}

} // namespace rmm
