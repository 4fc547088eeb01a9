#include "app/ui/workspace_panel.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QVBoxLayout>

#include "app/jobs/precision_choice.h"
#include "views/classifier_list_panel.h"
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

views::ClassifierRow classifier_row(const WorkspaceClassifier& c) {
  QStringList depths;
  for (int d : c.depths) depths << QString::number(d);
  return {QString::fromStdString(c.name), QString::fromStdString(c.kind), QString::fromStdString(c.model_name),
          depths.join(", "), c.mean_auroc,
          QString("%1 classifier for %2\nexits at depths %3")
              .arg(QString::fromStdString(c.kind),
                   c.model_path.empty() ? QString("no model of this workspace") : QString::fromStdString(c.model_path),
                   depths.join(", "))};
}

}  // namespace

WorkspacePanel::WorkspacePanel(QWidget* parent)
    : QWidget(parent), path_(new QLabel(this)), models_(new views::ModelListPanel), datasets_(new QListWidget),
      runs_(new views::RunListPanel), classifiers_(new views::ClassifierListPanel) {
  models_->setOrientation(Qt::Vertical);
  path_->setWordWrap(true);
  path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  path_->setEnabled(false);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(titled("Models", models_, split));
  split->addWidget(titled("Datasets", datasets_, split));
  split->addWidget(titled("Runs  <span style='font-weight:normal'>(checked: plotted; double-click: inspect)</span>",
                          runs_, split));
  split->addWidget(titled("Exit classifiers", classifiers_, split));
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setStretchFactor(2, 6);  // the runs are what a session works on: room for several at the default size
  split->setStretchFactor(3, 2);
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
                    QString::fromStdString(r.error), spec, QString::fromStdString(shown_precision(r.config)), r.kind == "record"});
  }
  runs_->set_runs(runs);
  QVector<views::ClassifierRow> classifiers;
  for (const WorkspaceClassifier& c : s.classifiers) classifiers.push_back(classifier_row(c));
  classifiers_->set_classifiers(classifiers);
}

}  // namespace dynamax::app
