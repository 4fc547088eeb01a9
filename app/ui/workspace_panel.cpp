#include "app/ui/workspace_panel.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QVBoxLayout>

#include "views/model_list_panel.h"
#include "views/run_list_panel.h"

namespace dynamax::app {

namespace {

QWidget* titled(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->setSpacing(2);
  auto* label = new QLabel("<b>" + title + "</b>", box);
  layout->addWidget(label);
  layout->addWidget(content, 1);
  return box;
}

QString model_description(const WorkspaceModel& m) {
  return QString("%1\n%2, %3 blocks\n%4")
      .arg(QString::fromStdString(m.name), QString::fromStdString(m.architecture))
      .arg(m.depths)
      .arg(QString::fromStdString(m.path));
}

// "text · demo_passages.txt #window=64": the file name is what a reader recognises; the spec is in the tooltip.
QString dataset_name(const WorkspaceDataset& d) {
  const QString spec = QString::fromStdString(d.spec);
  const QString body = spec.section(':', 1);
  return QString::fromStdString(d.kind) + " · " + QFileInfo(body.section('#', 0, 0)).fileName() +
         (body.contains('#') ? "  #" + body.section('#', 1) : QString());
}

}  // namespace

WorkspacePanel::WorkspacePanel(QWidget* parent)
    : QWidget(parent), path_(new QLabel(this)), models_(new views::ModelListPanel), datasets_(new QListWidget),
      runs_(new views::RunListPanel) {
  models_->setOrientation(Qt::Vertical);
  path_->setWordWrap(true);
  path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  path_->setEnabled(false);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(titled("Models", models_, split));
  split->addWidget(titled("Datasets", datasets_, split));
  split->addWidget(titled("Runs  <span style='font-weight:normal'>(checked: plotted; double-click: inspect)</span>",
                          runs_, split));
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 1);
  split->setStretchFactor(2, 5);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 4);
  layout->addWidget(path_);
  layout->addWidget(split, 1);
}

void WorkspacePanel::set_snapshot(const WorkspaceSnapshot& s) {
  path_->setText(QString::fromStdString(s.path.string()));
  QVector<views::ModelEntry> models;
  QStringList descriptions;
  for (const WorkspaceModel& m : s.models) {
    models.push_back({QString::fromStdString(m.name), model_description(m)});
    descriptions << models.back().description;
  }
  if (descriptions != model_descriptions_) models_->set_models(models);  // unchanged: keep the selection
  model_descriptions_ = descriptions;
  datasets_->clear();
  for (const WorkspaceDataset& d : s.datasets) {
    datasets_->addItem(dataset_name(d));
    datasets_->item(datasets_->count() - 1)->setToolTip(QString::fromStdString(d.spec));
  }
  QVector<views::RunRow> runs;
  for (const RunInfo& r : s.runs) {
    const QString spec = QString::fromStdString(r.dataset_spec);
    runs.push_back({r.id, QString::fromStdString(r.model_name), QFileInfo(spec.section(':', 1).section('#', 0, 0)).fileName(),
                    QString::fromStdString(r.shown_status()), r.samples_done, r.sample_target, r.tokens,
                    QString::fromStdString(r.error), spec});
  }
  runs_->set_runs(runs);
}

}  // namespace dynamax::app
