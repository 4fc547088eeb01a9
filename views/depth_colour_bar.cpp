#include "views/depth_colour_bar.h"

#include <QPainter>

#include "views/heat_scale.h"

namespace dynamax::views {

namespace {
constexpr int kCaptionW = 84, kBarH = 12, kLabelH = 14;
}

DepthColourBar::DepthColourBar(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void DepthColourBar::set_depths(int depths) {
  depths_ = std::max(0, depths);
  update();
}

void DepthColourBar::set_dark(bool dark) {
  dark_ = dark;
  update();
}

QSize DepthColourBar::sizeHint() const { return {360, kBarH + kLabelH + 6}; }

void DepthColourBar::paintEvent(QPaintEvent*) {
  if (depths_ < 1) return;
  QPainter p(this);
  const QColor text = palette().color(QPalette::WindowText);
  p.setPen(text);
  p.drawText(QRect(0, 2, kCaptionW - 6, kBarH), Qt::AlignRight | Qt::AlignVCenter, "exit depth");
  const int width = std::min(this->width() - kCaptionW - 8, 520);
  if (width <= 0) return;
  auto x_of = [&](int depth) { return kCaptionW + (depth - 1) * width / depths_; };
  for (int d = 1; d <= depths_; ++d)
    p.fillRect(QRect(x_of(d), 2, x_of(d + 1) - x_of(d), kBarH), heat_colour(depth_on_scale(d, depths_), dark_));
  p.setPen(dark_ ? QColor(90, 92, 98) : QColor(190, 190, 195));
  p.drawRect(QRect(kCaptionW, 2, x_of(depths_ + 1) - kCaptionW - 1, kBarH - 1));
  p.setPen(text);
  QFont small = p.font();
  small.setPointSizeF(small.pointSizeF() * 0.9);
  p.setFont(small);
  for (int d : {1, (depths_ + 1) / 2, depths_}) {
    const QRect cell(x_of(d), 2 + kBarH, x_of(d + 1) - x_of(d), kLabelH);
    const QString label = d == depths_ ? QString("%1 (full)").arg(d) : QString::number(d);
    p.drawText(cell.adjusted(-40, 0, 40, 0), Qt::AlignHCenter | Qt::AlignTop, label);
  }
}

}  // namespace dynamax::views
