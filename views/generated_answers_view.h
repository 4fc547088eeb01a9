#pragma once
// The inspector's page for an evaluation run: one sample's answers, each policy's tokens coloured by the depth they
// exited at, listed on the left, the full model's answer beside them for comparison, and the depth legend below.
#include <QWidget>

#include "views/generated_answers_data.h"

class QLabel;
class QVBoxLayout;

namespace dynamax::views {

class DepthColourBar;
class ExitColouredText;

class GeneratedAnswersView : public QWidget {
  Q_OBJECT
 public:
  explicit GeneratedAnswersView(QWidget* parent = nullptr);

  void set_data(const GeneratedAnswersData& data);
  void set_dark(bool dark);

  const GeneratedAnswersData& data() const { return data_; }
  // The answer texts as shown: the policies' first, in order, then the full model's.
  QList<ExitColouredText*> answer_views() const;
  DepthColourBar* colour_bar() const { return colour_bar_; }

 private:
  QWidget* answer_card(const GeneratedAnswer& answer, QWidget* parent);
  void clear_cards();

  GeneratedAnswersData data_;
  bool dark_ = false;
  QLabel* title_;
  QLabel* note_;
  QWidget* policies_;
  QVBoxLayout* policies_layout_;
  QWidget* full_;
  QVBoxLayout* full_layout_;
  DepthColourBar* colour_bar_;
};

}  // namespace dynamax::views
