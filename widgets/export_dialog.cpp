// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/export_dialog.hpp"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace rmm {

ExportDialog::ExportDialog(const QList<QPair<QString, QCustomPlot*>>& panels,
                           const QList<QCustomPlot*>& checked, const QString& path, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export figure"));
    auto* form = new QFormLayout(this);
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Panels in the figure"));
    m_list->setToolTip(tr("Checked panels are stacked top to bottom into one figure."));
    for (const auto& p : panels) {
        auto* item = new QListWidgetItem(p.first, m_list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(p.second) ? Qt::Checked : Qt::Unchecked);
        m_plots << p.second;
    }
    m_list->setMaximumHeight(120);
    form->addRow(tr("Panels"), m_list);

    m_path = new QLineEdit(path, this);
    m_path->setAccessibleName(tr("Output file"));
    m_path->setToolTip(tr("The suffix chooses the format: .png (raster), .pdf or .svg (vector)."));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString p =
            QFileDialog::getSaveFileName(this, windowTitle(), m_path->text(),
                                         tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"));
        if (!p.isEmpty())
            m_path->setText(p);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    form->addRow(tr("File"), row);

    QSettings s;
    m_width = new QDoubleSpinBox(this);
    m_height = new QDoubleSpinBox(this);
    for (QDoubleSpinBox* b : {m_width, m_height}) {
        b->setRange(10, 2000);
        b->setDecimals(0);
        b->setSuffix(tr(" mm"));
    }
    m_width->setValue(s.value(QStringLiteral("export/widthMm"), 180).toDouble());
    m_height->setValue(s.value(QStringLiteral("export/heightMm"), 120).toDouble());
    m_width->setAccessibleName(tr("Figure width"));
    m_height->setAccessibleName(tr("Figure height"));
    m_width->setToolTip(tr("Physical width; 180 mm is a two-column journal figure."));
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(30, 2400);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setValue(s.value(QStringLiteral("export/dpi"), 300).toInt());
    m_dpi->setAccessibleName(tr("PNG resolution"));
    m_dpi->setToolTip(tr("Resolution of PNG files (PDF and SVG are vector graphics)."));
    form->addRow(tr("Resolution"), m_dpi);
    auto* size = new QLabel(this);
    auto updateSize = [this, size]() {
        size->setText(tr("PNG: %1 × %2 pixels")
                          .arg(pixelsFor(m_width->value(), m_dpi->value()))
                          .arg(pixelsFor(m_height->value(), m_dpi->value())));
    };
    connect(m_width, &QDoubleSpinBox::valueChanged, this, updateSize);
    connect(m_height, &QDoubleSpinBox::valueChanged, this, updateSize);
    connect(m_dpi, &QSpinBox::valueChanged, this, updateSize);
    updateSize();
    form->addRow(QString(), size);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        QSettings st;
        st.setValue(QStringLiteral("export/widthMm"), m_width->value());
        st.setValue(QStringLiteral("export/heightMm"), m_height->value());
        st.setValue(QStringLiteral("export/dpi"), m_dpi->value());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QList<QCustomPlot*> ExportDialog::selectedPanels() const
{
    QList<QCustomPlot*> out;
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->checkState() == Qt::Checked)
            out << m_plots[i];
    return out;
}

FigureOptions ExportDialog::options() const
{
    FigureOptions o;
    o.width_mm = m_width->value();
    o.height_mm = m_height->value();
    o.dpi = m_dpi->value();
    return o;
}

QString ExportDialog::path() const
{
    QString p = m_path->text().trimmed();
    if (QFileInfo(p).suffix().isEmpty())
        p += QStringLiteral(".png");
    return p;
}

} // namespace rmm
