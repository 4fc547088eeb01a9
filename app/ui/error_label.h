#pragma once
// The line where a dialog says what is wrong with its input, in place of a modal box.
#include <QLabel>

namespace dynamax::app {

QLabel* new_error_label(QWidget* parent);
// Shows `problem` (hides the label when it is empty); true when there is none.
bool show_problem(QLabel* label, const QString& problem);

}  // namespace dynamax::app
