#include "app/ui/error_label.h"

namespace dynamax::app {

QLabel* new_error_label(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  label->setStyleSheet("color: #D55E00;");
  label->hide();
  return label;
}

bool show_problem(QLabel* label, const QString& problem) {
  label->setText(problem);
  label->setVisible(!problem.isEmpty());
  return problem.isEmpty();
}

}  // namespace dynamax::app
