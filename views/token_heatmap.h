#pragma once
// The token inspector's heatmap: one column per token, one row per exit depth (depth 1 at the top, the full model
// in the last row), each cell coloured by the chosen measure and labelled with the exit's top-1 token; a line
// marks where each token exits at the current threshold. Hover shows the cell's measures and the exit's top-k.
// Cells keep a readable size however long the sample or deep the model: the widget grows and lives in a scroll
// area, where the depth labels and the input row stay pinned to the visible edges.
#include <QWidget>

#include "views/token_heatmap_data.h"

namespace dynamax::views {

class TokenHeatmap : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kCellWidth = 58, kCellHeight = 16;  // the smallest size a cell's token stays legible at

  explicit TokenHeatmap(QWidget* parent = nullptr);

  // Data whose cells do not match tokens × depths is refused (shown as empty).
  void set_data(const TokenHeatmapData& data);
  // Moves the exit boundary only (the slider): one entry per token.
  void set_exit_depths(const QVector<int>& exit_depths);
  void set_dark(bool dark);

  const TokenHeatmapData& data() const { return data_; }
  // Geometry, for hover and tests: the cell of (token, depth) and the y of the line under a depth's row.
  QRect cell_rect(int token, int depth) const;
  int boundary_y(int depth) const;
  // Rich text: depth, position, the measure's value, the top-k (or the top-1 and a note that top-k is missing).
  QString hover_text(int token, int depth) const;
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void moveEvent(QMoveEvent* event) override;

 private:
  QRect visible_area() const;
  void paint_cells(QPainter& p, const QRect& exposed) const;
  void paint_boundary(QPainter& p) const;
  void paint_labels(QPainter& p, const QRect& visible) const;

  TokenHeatmapData data_;
  bool dark_ = false;
};

}  // namespace dynamax::views
