// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export settings: which panels go into the figure (stacked top to bottom), format
// (PNG/PDF/SVG from the file name), physical size in mm and PNG resolution in dpi.
#pragma once
#include "widgets/plot_export.hpp"

#include <QDialog>

class QCustomPlot;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace rmm {

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    /// `panels`: (title, plot); those in `checked` start selected.
    ExportDialog(const QList<QPair<QString, QCustomPlot*>>& panels, const QList<QCustomPlot*>& checked,
                 const QString& path, QWidget* parent = nullptr);

    QList<QCustomPlot*> selectedPanels() const;
    FigureOptions options() const;
    QString path() const;

  private:
    QList<QCustomPlot*> m_plots;
    QListWidget* m_list = nullptr;
    QLineEdit* m_path = nullptr;
    QDoubleSpinBox* m_width = nullptr;
    QDoubleSpinBox* m_height = nullptr;
    QSpinBox* m_dpi = nullptr;
};

} // namespace rmm
