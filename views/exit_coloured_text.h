#pragma once
// A generated answer as text where every token's background is its exit depth on the inspector's colour scale
// (views/heat_scale.h): shallow exits pale, the full model saturated. Hovering a token shows its depth and score.
// Read-only, selectable, wraps to its width and is as tall as its text.
#include <QTextEdit>

#include "views/generated_answers_data.h"

namespace dynamax::views {

class ExitColouredText : public QTextEdit {
  Q_OBJECT
 public:
  // Every token's fragment carries its index under this property, so that equal neighbours never merge.
  static constexpr int kTokenIndex = QTextFormat::UserProperty + 1;

  explicit ExitColouredText(QWidget* parent = nullptr);

  void set_answer(const GeneratedAnswer& answer, int depths);
  void set_dark(bool dark);
  // The hover text of the `index`-th token.
  QString token_tooltip(int index) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuild();
  void fit_height();

  GeneratedAnswer answer_;
  int depths_ = 0;
  bool dark_ = false;
};

}  // namespace dynamax::views
