#include "views/token_heatmap.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

#include "views/heat_scale.h"

namespace dynamax::views {

namespace {

constexpr int kCellW = TokenHeatmap::kCellWidth, kCellH = TokenHeatmap::kCellHeight;
constexpr int kLeft = 76;             // row labels ("depth 12", "full 16")
constexpr int kTitleH = 20, kHeaderH = 22;
constexpr int kTop = kTitleH + kHeaderH;
constexpr int kBoundaryPen = 3;

// Pieces are shown as a reader sees them: "▁" is a space; newlines and tabs stay visible.
QString shown(const QString& piece) {
  QString s = piece;
  s.replace(QChar(0x2581), ' ');
  s.replace('\n', QStringLiteral("⏎"));
  s.replace(QStringLiteral("<0x0A>"), QStringLiteral("⏎"));
  s.replace('\t', QStringLiteral("⇥"));
  return s;
}

QString quoted_html(const QString& piece) { return "‘" + shown(piece).toHtmlEscaped() + "’"; }

QString number(float value) { return QString::number(value, 'f', 3); }

}  // namespace

TokenHeatmap::TokenHeatmap(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  QFont f = font();
  f.setPointSizeF(8);
  setFont(f);
}

void TokenHeatmap::set_data(const TokenHeatmapData& data) {
  const bool consistent = data.depths >= 0 && data.cells.size() == qsizetype(data.tokens()) * data.depths;
  data_ = consistent ? data : TokenHeatmapData{};
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
  if (data_.tokens() == 0) return {460, 80};  // room for the placeholder line
  return {kLeft + data_.tokens() * kCellW + 8, kTop + data_.depths * kCellH + 8};
}

QRect TokenHeatmap::cell_rect(int token, int depth) const {
  return {kLeft + token * kCellW, kTop + (depth - 1) * kCellH, kCellW, kCellH};
}

int TokenHeatmap::boundary_y(int depth) const { return kTop + depth * kCellH; }

QString TokenHeatmap::hover_text(int token, int depth) const {
  if (token < 0 || token >= data_.tokens() || depth < 1 || depth > data_.depths) return {};
  const HeatmapCell& c = data_.cell(token, depth);
  const int exit = token < data_.exit_depths.size() ? data_.exit_depths[token] : data_.depths;
  QString html = QString("<b>depth %1 of %2</b>%3 · position %4 · input %5")
                     .arg(depth)
                     .arg(data_.depths)
                     .arg(depth == exit ? " (exits here)" : "")
                     .arg(token)
                     .arg(quoted_html(data_.inputs[token]));
  if (!data_.measure.isEmpty()) html += QString("<br>%1 <b>%2</b>").arg(data_.measure.toHtmlEscaped(), number(c.value));
  const QString agrees = c.agrees ? " <i>= full model</i>" : "";
  if (c.top_k.isEmpty()) {
    html += QString("<br>top-1 %1 p %2%3<br><i>top-k was not recorded for this run</i>")
                .arg(quoted_html(c.piece), number(c.prob), agrees);
  } else {
    html += "<table cellspacing=0 cellpadding=1>";
    for (int rank = 0; rank < c.top_k.size(); ++rank)
      html += QString("<tr><td align=right>%1.</td><td>%2%3</td><td align=right>&nbsp;&nbsp;%4</td></tr>")
                  .arg(rank + 1)
                  .arg(quoted_html(c.top_k[rank].piece), rank == 0 ? agrees : QString(), number(c.top_k[rank].prob));
    html += "</table>";
  }
  html += QString("<small>max-prob %1 · margin %2 · entropy %3 · saturation %4</small>")
              .arg(number(c.prob), number(c.margin), number(c.entropy), number(c.saturation));
  return html;
}

// The part of the widget its scroll area shows (all of it when it is painted on its own, as by grab()).
QRect TokenHeatmap::visible_area() const {
  const QRect visible = visibleRegion().boundingRect();
  return visible.isEmpty() ? rect() : visible;
}

void TokenHeatmap::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.setClipRect(event->rect());
  const QRect visible = visible_area();
  p.fillRect(event->rect(), dark_ ? QColor(32, 33, 36) : QColor(255, 255, 255));
  if (data_.tokens() == 0 || data_.depths == 0) {
    p.setPen(dark_ ? QColor(170, 170, 170) : QColor(110, 110, 110));
    p.drawText(visible.adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap,
               "Double-click a run in the Runs list to inspect its tokens");
    return;
  }
  paint_cells(p, event->rect());
  paint_boundary(p);
  paint_labels(p, visible);
}

// Only the exposed cells: inside a scroll area most of a long sample is off screen, and this runs while a
// recording streams in. Text is clipped to its cell rather than elided (eliding every cell costs tens of ms).
void TokenHeatmap::paint_cells(QPainter& p, const QRect& exposed) const {
  const QColor grid = dark_ ? QColor(60, 62, 66) : QColor(225, 225, 228);
  QFont normal = p.font(), bold = p.font();
  bold.setBold(true);  // the exits that already say what the full model says
  const int first = std::max(0, (exposed.left() - kLeft) / kCellW);
  const int last = std::min(data_.tokens() - 1, (exposed.right() - kLeft) / kCellW);
  const int top = std::max(1, (exposed.top() - kTop) / kCellH + 1);
  const int bottom = std::min(data_.depths, (exposed.bottom() - kTop) / kCellH + 1);
  for (int t = first; t <= last; ++t)
    for (int d = top; d <= bottom; ++d) {
      const HeatmapCell& c = data_.cell(t, d);
      const QRect r = cell_rect(t, d);
      const QColor fill = heat_colour(c.shade, dark_);
      p.fillRect(r, fill);
      p.setPen(grid);
      p.drawRect(r.adjusted(0, 0, -1, -1));
      p.setPen(ink_on(fill));
      p.setFont(c.agrees ? bold : normal);
      p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, shown(c.piece));
    }
  p.setFont(normal);
}

// The title and the input row stick to the top of the visible area, the depth labels to its left edge, each on
// an opaque band so that cells scrolled under them do not show through.
void TokenHeatmap::paint_labels(QPainter& p, const QRect& visible) const {
  const QColor background = dark_ ? QColor(32, 33, 36) : QColor(255, 255, 255);
  const QColor text = dark_ ? QColor(220, 220, 220) : QColor(30, 30, 30);
  const QColor muted = dark_ ? QColor(150, 150, 150) : QColor(110, 110, 110);
  const int x0 = visible.left(), y0 = visible.top();
  QFont normal = p.font(), bold = p.font();
  bold.setBold(true);

  p.fillRect(QRect(x0, visible.top(), kLeft, visible.height()), background);
  p.setPen(muted);
  for (int d = 1; d <= data_.depths; ++d) {
    const QString label = d == data_.depths ? QString("full %1").arg(d) : QString("depth %1").arg(d);
    p.drawText(QRect(x0 + 4, cell_rect(0, d).top(), kLeft - 8, kCellH), Qt::AlignVCenter | Qt::AlignRight, label);
  }

  p.fillRect(QRect(visible.left(), y0, visible.width(), kTop), background);
  p.setPen(text);
  for (int t = 0; t < data_.tokens(); ++t) {
    const QRect r(kLeft + t * kCellW, y0 + kTitleH, kCellW, kHeaderH);
    if (r.right() < x0 + kLeft || r.left() > visible.right()) continue;
    const bool answer = t < data_.answer.size() && data_.answer[t];
    if (answer) {  // the reference answer: bold, underlined in green (Okabe–Ito bluish green)
      p.setFont(bold);
      p.fillRect(QRect(r.left() + 1, r.bottom() - 1, r.width() - 2, 2), QColor("#009E73"));
    }
    p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, shown(data_.inputs[t]));
    if (answer) p.setFont(normal);
  }
  p.fillRect(QRect(x0, y0, kLeft, kTop), background);  // the corner stays clear of scrolled inputs
  p.setPen(muted);
  p.drawText(QRect(x0 + 4, y0 + kTitleH, kLeft - 8, kHeaderH), Qt::AlignVCenter | Qt::AlignRight, "input →");
  p.setPen(text);
  p.setFont(bold);
  p.drawText(QRect(x0 + 4, y0, visible.width() - 8, kTitleH), Qt::AlignVCenter | Qt::AlignLeft, data_.title);
  p.setFont(normal);
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
  const QRect visible = visible_area();
  const bool on_cells = at.x() >= visible.left() + kLeft && at.y() >= visible.top() + kTop;
  const QString text = on_cells ? hover_text((at.x() - kLeft) / kCellW, (at.y() - kTop) / kCellH + 1) : QString();
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

// The scroll area moves this widget to scroll it and copies what was on screen: the pinned labels must be
// painted again where the visible area now is.
void TokenHeatmap::moveEvent(QMoveEvent* event) {
  QWidget::moveEvent(event);
  update();
}

}  // namespace dynamax::views
