#pragma once
// The trade-off panel's controls: which confidence measure, which axes, and the threshold τ as a slider and a
// spin box that follow each other. Emits intents; the controller decides what they mean. Measures are keyed as the
// CLI names them ("max-prob", "entropy", "classifier:NAME"); the list shows readable names ("−entropy (nats)").
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QSlider;

namespace dynamax::views {

class ThresholdControls : public QWidget {
  Q_OBJECT
 public:
  explicit ThresholdControls(QWidget* parent = nullptr);

  // The measure's τ range (e.g. [0, 1] for max-prob); keeps τ inside it.
  void set_range(double lo, double hi);
  void set_threshold(double tau);  // clamped to the range; no signal when unchanged
  // Selects a measure by key; a classifier not (yet) listed is selected once set_classifiers lists it.
  void set_measure(const QString& measure);
  // The classifiers whose recorded scores can be tuned, listed after the softmax measures as classifier:NAME. A
  // selected classifier that is no longer listed falls back to max-prob.
  void set_classifiers(const QStringList& names);
  void set_axes(int compute, int quality);  // indices: compute 0 blocks, 1 FLOPs; quality 0 consistency, 1 accuracy

  double threshold() const;
  QString measure() const;
  int compute_axis() const;
  int quality_axis() const;
  QSlider* slider() const { return slider_; }
  QDoubleSpinBox* spin_box() const { return spin_; }

  static QStringList measures();  // the keys of the measures every recording has
  QStringList listed_measures() const;  // every key in the list, in order

 signals:
  void threshold_changed(double tau);
  void measure_changed(const QString& measure);
  void axes_changed(int compute, int quality);

 private:
  void slider_moved(int position);
  void spin_changed(double tau);
  void sync_slider();

  QComboBox* measure_;
  QComboBox* compute_;
  QComboBox* quality_;
  QSlider* slider_;
  QDoubleSpinBox* spin_;
  double lo_ = 0, hi_ = 1;
  QString wanted_measure_;  // set_measure's key while it is not listed
};

}  // namespace dynamax::views
