#pragma once
// The legend of the generated text's colours: exit depth 1 .. L on the inspector's colour scale, one step per
// depth, with the shallowest, middle and full depths labelled.
#include <QWidget>

namespace dynamax::views {

class DepthColourBar : public QWidget {
  Q_OBJECT
 public:
  explicit DepthColourBar(QWidget* parent = nullptr);

  void set_depths(int depths);
  void set_dark(bool dark);
  int depths() const { return depths_; }
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  int depths_ = 0;
  bool dark_ = false;
};

}  // namespace dynamax::views
