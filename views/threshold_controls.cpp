#include "views/threshold_controls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <algorithm>
#include <cmath>
#include <iterator>

namespace dynamax::views {

namespace {
constexpr int kSliderSteps = 1000;
}

QStringList ThresholdControls::measures() { return {"max-prob", "margin", "entropy", "saturation"}; }

namespace {

struct MeasureName {
  const char* key;
  const char* text;
  const char* tooltip;
};

const MeasureName kMeasureNames[] = {
    {"max-prob", "max-prob", "The exit head's top-1 softmax probability"},
    {"margin", "margin", "Top-1 minus top-2 softmax probability"},
    {"entropy", "−entropy (nats)", "The negated entropy of the exit head's softmax, in nats: higher is more confident"},
    {"saturation", "saturation", "Cosine of h_d with h_(d−1): how little the block changed the residual stream"},
};

}  // namespace

ThresholdControls::ThresholdControls(QWidget* parent)
    : QWidget(parent),
      measure_(new QComboBox(this)),
      compute_(new QComboBox(this)),
      quality_(new QComboBox(this)),
      slider_(new QSlider(Qt::Horizontal, this)),
      spin_(new QDoubleSpinBox(this)) {
  for (const MeasureName& m : kMeasureNames) {
    measure_->addItem(m.text, QString(m.key));
    measure_->setItemData(measure_->count() - 1, QString(m.tooltip), Qt::ToolTipRole);
  }
  measure_->setToolTip("Confidence measure the exit policy thresholds");
  compute_->addItems({"% of blocks", "% of FLOPs"});
  quality_->addItems({"consistency", "accuracy"});
  slider_->setRange(0, kSliderSteps);
  slider_->setToolTip("Threshold τ: a token exits at the first depth whose confidence reaches τ");
  spin_->setDecimals(3);
  spin_->setSingleStep(0.01);
  spin_->setKeyboardTracking(false);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 2, 6, 2);
  row->addWidget(new QLabel("Measure", this));
  row->addWidget(measure_);
  row->addSpacing(8);
  row->addWidget(new QLabel("Compute", this));
  row->addWidget(compute_);
  row->addWidget(new QLabel("Quality", this));
  row->addWidget(quality_);
  row->addSpacing(12);
  row->addWidget(new QLabel("Threshold τ", this));
  row->addWidget(slider_, 1);
  row->addWidget(spin_);
  set_range(0, 1);
  connect(measure_, &QComboBox::currentIndexChanged, this, [this] { emit measure_changed(measure()); });
  auto axes = [this] { emit axes_changed(compute_axis(), quality_axis()); };
  connect(compute_, &QComboBox::currentIndexChanged, this, axes);
  connect(quality_, &QComboBox::currentIndexChanged, this, axes);
  connect(slider_, &QSlider::valueChanged, this, &ThresholdControls::slider_moved);
  connect(spin_, &QDoubleSpinBox::valueChanged, this, &ThresholdControls::spin_changed);
}

void ThresholdControls::set_range(double lo, double hi) {
  const double before = threshold();
  lo_ = lo;
  hi_ = hi;
  {
    const QSignalBlocker block(spin_);
    spin_->setRange(lo, hi);
    spin_->setValue(std::clamp(before, lo, hi));
  }
  sync_slider();
  if (threshold() != before) emit threshold_changed(threshold());
}

void ThresholdControls::set_threshold(double tau) {
  tau = std::clamp(tau, lo_, hi_);
  if (tau == threshold()) return;
  {
    const QSignalBlocker block(spin_);
    spin_->setValue(tau);
  }
  sync_slider();
  emit threshold_changed(threshold());
}

void ThresholdControls::set_measure(const QString& measure) {
  const int index = measure_->findData(measure);
  wanted_measure_ = index < 0 ? measure : QString();
  if (index >= 0) measure_->setCurrentIndex(index);
}

void ThresholdControls::set_classifiers(const QStringList& names) {
  const QString current = measure();
  const int fixed = int(std::size(kMeasureNames));
  {
    const QSignalBlocker block(measure_);
    while (measure_->count() > fixed) measure_->removeItem(fixed);
    for (const QString& name : names) {
      measure_->addItem("classifier " + name, "classifier:" + name);
      measure_->setItemData(measure_->count() - 1, "p(exit) of the exit classifier '" + name + "', as recorded",
                            Qt::ToolTipRole);
    }
  }
  int index = wanted_measure_.isEmpty() ? -1 : measure_->findData(wanted_measure_);
  if (index >= 0) wanted_measure_.clear();
  if (index < 0) index = std::max(0, measure_->findData(current));
  {
    const QSignalBlocker block(measure_);
    measure_->setCurrentIndex(index);
  }
  if (measure() != current) emit measure_changed(measure());
}

QStringList ThresholdControls::listed_measures() const {
  QStringList keys;
  for (int i = 0; i < measure_->count(); ++i) keys << measure_->itemData(i).toString();
  return keys;
}

void ThresholdControls::set_axes(int compute, int quality) {
  compute_->setCurrentIndex(compute);
  quality_->setCurrentIndex(quality);
}

double ThresholdControls::threshold() const { return spin_->value(); }
QString ThresholdControls::measure() const { return measure_->currentData().toString(); }
int ThresholdControls::compute_axis() const { return compute_->currentIndex(); }
int ThresholdControls::quality_axis() const { return quality_->currentIndex(); }

void ThresholdControls::slider_moved(int position) {
  {
    const QSignalBlocker block(spin_);
    spin_->setValue(lo_ + (hi_ - lo_) * position / kSliderSteps);
  }
  emit threshold_changed(threshold());
}

void ThresholdControls::spin_changed(double) {
  sync_slider();
  emit threshold_changed(threshold());
}

void ThresholdControls::sync_slider() {
  const QSignalBlocker block(slider_);
  slider_->setValue(int(std::lround((threshold() - lo_) / (hi_ - lo_) * kSliderSteps)));
}

}  // namespace dynamax::views
