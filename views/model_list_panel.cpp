#include "views/model_list_panel.h"

#include <QFontDatabase>
#include <QListWidget>
#include <QPlainTextEdit>

namespace dynamax::views {

ModelListPanel::ModelListPanel(QWidget* parent)
    : QSplitter(Qt::Horizontal, parent), list_(new QListWidget(this)), details_(new QPlainTextEdit(this)) {
  details_->setReadOnly(true);
  details_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  addWidget(list_);
  addWidget(details_);
  setStretchFactor(1, 3);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    details_->setPlainText(row >= 0 && row < models_.size() ? models_[row].description : QString());
    emit model_selected(row);
  });
}

void ModelListPanel::set_models(const QVector<ModelEntry>& models) {
  models_ = models;
  list_->clear();
  for (const ModelEntry& m : models_) list_->addItem(m.name);
  if (!models_.isEmpty()) list_->setCurrentRow(0);
}

int ModelListPanel::model_count() const { return list_->count(); }

}  // namespace dynamax::views
