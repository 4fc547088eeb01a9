#include "app/ui/precision_combo.h"

#include <QComboBox>

#include "core/kernels/bf16_matmul.h"

namespace dynamax::app {

QComboBox* new_precision_combo(QWidget* parent) {
  auto* combo = new QComboBox(parent);
  combo->addItem("fp32 (matches the references)", int(Precision::FP32));
  combo->addItem(bf16_matmul_available() ? "bf16 (faster: weights as stored, activations rounded)"
                                         : "bf16 (not on this CPU: runs as fp32)",
                 int(Precision::BF16));
  combo->setToolTip("The compute precision of the model's matrix products; it is stored with the run");
  return combo;
}

Precision chosen_precision(const QComboBox* combo) { return Precision(combo->currentData().toInt()); }

}  // namespace dynamax::app
