#include "views/token_heatmap.h"

#include <QMouseEvent>
#include <algorithm>
#include <QPainter>
#include <QToolTip>

namespace dynamax::views {

namespace {

constexpr int kCellW = 58, kCellH = 16;
constexpr int kLeft = 76;             // row labels ("depth 12", "full 16")
constexpr int kTitleH = 20, kHeaderH = 22;
constexpr int kTop = kTitleH + kHeaderH;
constexpr int kBoundaryPen = 3;

QColor mix(QColor a, QColor b, double t) {
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                          float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Pieces are shown as a reader sees them: "▁" is a space; newlines and tabs stay visible.
QString shown(const QString& piece) {
  QString s = piece;
  s.replace(QChar(0x2581), ' ');
  s.replace('\n', QStringLiteral("⏎"));
  s.replace(QStringLiteral("<0x0A>"), QStringLiteral("⏎"));
  s.replace('\t', QStringLiteral("⇥"));
  return s;
}

}  // namespace

TokenHeatmap::TokenHeatmap(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  QFont f = font();
  f.setPointSizeF(8);
  setFont(f);
}

void TokenHeatmap::set_data(const TokenHeatmapData& data) {
  data_ = data;
  updateGeometry();
  resize(sizeHint());
  update();
}

void TokenHeatmap::set_exit_depths(const QVector<int>& exit_depths) {
  data_.exit_depths = exit_depths;
  update();
}

void TokenHeatmap::set_dark(bool dark) {
  dark_ = dark;
  update();
}

QSize TokenHeatmap::sizeHint() const {
  return {kLeft + data_.tokens() * kCellW + 8, kTop + data_.depths * kCellH + 8};
}

QRect TokenHeatmap::cell_rect(int token, int depth) const {
  return {kLeft + token * kCellW, kTop + (depth - 1) * kCellH, kCellW, kCellH};
}

int TokenHeatmap::boundary_y(int depth) const { return kTop + depth * kCellH; }

QColor TokenHeatmap::shade_color(float shade, bool dark) {
  const double t = std::clamp(double(shade), 0.0, 1.0);
  return dark ? mix(QColor(38, 40, 46), QColor(64, 160, 220), t) : mix(QColor(250, 250, 252), QColor(20, 90, 170), t);
}

QString TokenHeatmap::hover_text(int token, int depth) const {
  if (token < 0 || token >= data_.tokens() || depth < 1 || depth > data_.depths) return {};
  const HeatmapCell& c = data_.cell(token, depth);
  const int exit = token < data_.exit_depths.size() ? data_.exit_depths[token] : data_.depths;
  return QString("position %1, input '%2'\ndepth %3 of %4%5\ntop-1 '%6'%7\nmax-prob %8  margin %9\nentropy %10  "
                 "saturation %11")
      .arg(token)
      .arg(shown(data_.inputs[token]))
      .arg(depth)
      .arg(data_.depths)
      .arg(depth == exit ? "  (exits here)" : "")
      .arg(shown(c.piece))
      .arg(c.agrees ? "  = full model" : "")
      .arg(c.prob, 0, 'f', 3)
      .arg(c.margin, 0, 'f', 3)
      .arg(c.entropy, 0, 'f', 3)
      .arg(c.saturation, 0, 'f', 3);
}

void TokenHeatmap::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.setClipRect(event->rect());
  p.fillRect(rect(), dark_ ? QColor(32, 33, 36) : QColor(255, 255, 255));
  if (data_.tokens() == 0 || data_.depths == 0) {
    p.setPen(dark_ ? QColor(170, 170, 170) : QColor(110, 110, 110));
    p.drawText(rect(), Qt::AlignCenter, "Select a run (double-click it) to inspect its tokens");
    return;
  }
  paint_cells(p, event->rect());
  paint_labels(p);
  paint_boundary(p);
}

// Only the exposed cells: inside a scroll area most of a long sample is off screen, and this runs while a
// recording streams in. Text is clipped to its cell rather than elided (eliding every cell costs tens of ms).
void TokenHeatmap::paint_cells(QPainter& p, const QRect& exposed) const {
  const QColor grid = dark_ ? QColor(60, 62, 66) : QColor(225, 225, 228);
  QFont normal = p.font(), bold = p.font();
  bold.setBold(true);  // the exits that already say what the full model says
  const int first = std::max(0, (exposed.left() - kLeft) / kCellW);
  const int last = std::min(data_.tokens() - 1, (exposed.right() - kLeft) / kCellW);
  for (int t = first; t <= last; ++t)
    for (int d = 1; d <= data_.depths; ++d) {
      const HeatmapCell& c = data_.cell(t, d);
      const QRect r = cell_rect(t, d);
      const QColor fill = shade_color(c.shade, dark_);
      p.fillRect(r, fill);
      p.setPen(grid);
      p.drawRect(r.adjusted(0, 0, -1, -1));
      p.setPen(fill.lightnessF() < 0.55 ? QColor(250, 250, 250) : QColor(25, 25, 25));
      p.setFont(c.agrees ? bold : normal);
      p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, shown(c.piece));
    }
  p.setFont(normal);
}

void TokenHeatmap::paint_labels(QPainter& p) const {
  const QColor text = dark_ ? QColor(220, 220, 220) : QColor(30, 30, 30);
  const QColor muted = dark_ ? QColor(150, 150, 150) : QColor(110, 110, 110);
  p.setPen(text);
  QFont bold = p.font();
  bold.setBold(true);
  p.setFont(bold);
  p.drawText(QRect(4, 0, width() - 8, kTitleH), Qt::AlignVCenter | Qt::AlignLeft, data_.title);
  QFont normal = bold;
  normal.setBold(false);
  p.setFont(normal);
  p.setPen(muted);
  p.drawText(QRect(4, kTitleH, kLeft - 8, kHeaderH), Qt::AlignVCenter | Qt::AlignRight, "input →");
  for (int d = 1; d <= data_.depths; ++d) {
    const QString label = d == data_.depths ? QString("full %1").arg(d) : QString("depth %1").arg(d);
    p.drawText(QRect(4, cell_rect(0, d).top(), kLeft - 8, kCellH), Qt::AlignVCenter | Qt::AlignRight, label);
  }
  p.setPen(text);
  for (int t = 0; t < data_.tokens(); ++t) {
    const QRect r(kLeft + t * kCellW, kTitleH, kCellW, kHeaderH);
    p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, shown(data_.inputs[t]));
  }
}

// A staircase under each token's exit row: the blocks above it run, the ones below are skipped.
void TokenHeatmap::paint_boundary(QPainter& p) const {
  p.setPen(QPen(QColor(230, 60, 40), kBoundaryPen, Qt::SolidLine, Qt::FlatCap));
  int previous_y = -1;
  for (int t = 0; t < data_.tokens() && t < data_.exit_depths.size(); ++t) {
    const int y = boundary_y(data_.exit_depths[t]);
    const int x0 = kLeft + t * kCellW, x1 = x0 + kCellW;
    p.drawLine(x0, y, x1, y);
    if (previous_y >= 0 && previous_y != y) p.drawLine(x0, previous_y, x0, y);
    previous_y = y;
  }
}

void TokenHeatmap::mouseMoveEvent(QMouseEvent* event) {
  const QPoint at = event->position().toPoint();
  const int token = (at.x() - kLeft) / kCellW, depth = (at.y() - kTop) / kCellH + 1;
  const QString text = at.x() >= kLeft && at.y() >= kTop ? hover_text(token, depth) : QString();
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

}  // namespace dynamax::views
