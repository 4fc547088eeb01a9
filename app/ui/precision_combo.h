#pragma once
// The compute precision picker of the Record, Evaluate and Train dialogs.
#include "core/kernels/precision.h"

class QComboBox;
class QWidget;

namespace dynamax::app {

// fp32 (the default) and bf16; on a CPU without a bf16 kernel the bf16 entry says it will run as fp32.
QComboBox* new_precision_combo(QWidget* parent);
Precision chosen_precision(const QComboBox* combo);

}  // namespace dynamax::app
