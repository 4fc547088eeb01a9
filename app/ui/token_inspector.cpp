#include "app/ui/token_inspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "app/ui/sample_loader.h"
#include "app/ui/token_heatmap_builder.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/workspace_controller.h"
#include "views/generated_answers_view.h"
#include "views/token_heatmap.h"

namespace dynamax::app {

namespace {

const QString kHeatmapHint = "Bold: the exit already agrees with the full model.  Red line: where each token exits at τ.  "
                             "Hover a cell for its top-k.";
const QString kAnswersHint = "Each token's background: the depth it exited at.  Hover a token for its depth and score.";

bool same_runs(const std::vector<RunInfo>& a, const std::vector<RunInfo>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const RunInfo& x, const RunInfo& y) {
    return x.id == y.id && x.samples_done == y.samples_done;
  });
}

}  // namespace

TokenInspector::TokenInspector(TradeoffController* analyses, WorkspaceController* workspace, QWidget* parent)
    : QWidget(parent), analyses_(analyses), workspace_(workspace), loader_(new SampleLoader(this)),
      run_(new QComboBox(this)), sample_(new QSpinBox(this)), prefix_(new QCheckBox("shared prefix", this)), hint_(new QLabel(this)), pages_(new QStackedWidget(this)),
      heatmap_scroll_(new QScrollArea(this)), heatmap_(new views::TokenHeatmap), answers_(new views::GeneratedAnswersView) {
  run_->setMinimumContentsLength(22);
  run_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  sample_->setPrefix("sample ");
  prefix_->setToolTip("Show the prompt prefix this sample shares with others (recorded once) instead of its own tokens");
  prefix_->setEnabled(false);
  hint_->setText(kHeatmapHint);
  hint_->setEnabled(false);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel("Run", this));
  bar->addWidget(run_);
  bar->addWidget(sample_);
  bar->addWidget(prefix_);
  bar->addSpacing(12);
  bar->addWidget(hint_, 1);
  heatmap_scroll_->setWidget(heatmap_);
  heatmap_scroll_->setWidgetResizable(true);  // until a sample shows: then readable cells that scroll
  pages_->addWidget(heatmap_scroll_);
  pages_->addWidget(answers_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(pages_, 1);
  connect(analyses_, &TradeoffController::runs_analysed, this, &TokenInspector::runs_changed);
  connect(analyses_, &TradeoffController::threshold_moved, this, &TokenInspector::threshold_moved);
  connect(workspace_, &WorkspaceController::snapshot_changed, this, &TokenInspector::workspace_changed);
  connect(loader_, &SampleLoader::loaded, this, &TokenInspector::sample_loaded);
  // Home and End go to the sample's first and last tokens.
  for (const auto& [key, to_end] : {std::pair{Qt::Key_Home, false}, std::pair{Qt::Key_End, true}}) {
    auto* shortcut = new QShortcut(QKeySequence(key), heatmap_scroll_, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, [this, to_end = to_end] {
      QScrollBar* bar = heatmap_scroll_->horizontalScrollBar();
      bar->setValue(to_end ? bar->maximum() : bar->minimum());
    });
  }
  connect(run_, &QComboBox::currentIndexChanged, this, &TokenInspector::rebuild);
  connect(sample_, &QSpinBox::valueChanged, this, [this] {
    const QSignalBlocker block(prefix_);
    prefix_->setChecked(false);  // each sample opens where it leaves its prefix
    rebuild();
  });
  connect(prefix_, &QCheckBox::toggled, this, &TokenInspector::rebuild);
  runs_changed();
}

qint64 TokenInspector::run_id() const { return run_->currentData().toLongLong(); }

bool TokenInspector::is_busy() const { return loader_->is_busy(); }

void TokenInspector::show_run(qint64 run_id) {
  const int index = run_->findData(run_id);
  if (index >= 0) run_->setCurrentIndex(index);
}

void TokenInspector::show_sample(int sample) { sample_->setValue(sample); }

void TokenInspector::set_dark(bool dark) {
  heatmap_->set_dark(dark);
  answers_->set_dark(dark);
}

AnalysedRunPtr TokenInspector::recording(qint64 id) const {
  for (const AnalysedRunPtr& r : analyses_->runs())
    if (r->loaded.info.id == id) return r;
  return nullptr;
}

const RunInfo* TokenInspector::evaluation(qint64 id) const {
  for (const RunInfo& r : evaluations_)
    if (r.id == id) return &r;
  return nullptr;
}

// Evaluations come from the workspace listing (they have no trade-off curve); only a change in them rebuilds.
void TokenInspector::workspace_changed() {
  std::vector<RunInfo> evaluations;
  for (const RunInfo& r : workspace_->snapshot().runs)
    if (r.kind == "evaluate" && r.samples_done > 0) evaluations.push_back(r);
  if (same_runs(evaluations, evaluations_)) return;
  evaluations_ = std::move(evaluations);
  runs_changed();
}

void TokenInspector::runs_changed() {
  const qint64 current = run_id();
  {
    const QSignalBlocker block(run_);
    run_->clear();
    for (const AnalysedRunPtr& r : analyses_->runs())
      run_->addItem(QString::fromStdString(r->loaded.name), qint64(r->loaded.info.id));
    for (const RunInfo& r : evaluations_)
      run_->addItem(QString("%1 #%2 · answers").arg(QString::fromStdString(r.model_name)).arg(r.id), qint64(r.id));
    const int index = run_->findData(current);
    run_->setCurrentIndex(index >= 0 ? index : 0);
  }
  rebuild();
}

void TokenInspector::rebuild() {
  SampleRequest request;
  request.db = workspace_->path().toStdString();
  request.sample = sample_->value();
  request.prefix = prefix_->isChecked();
  request.tau = analyses_->threshold();
  const qint64 id = run_id();
  if (AnalysedRunPtr r = recording(id)) {
    request.recording = r;
    const QSignalBlocker block(sample_);
    sample_->setRange(0, std::max(0, sample_count(*r) - 1));
    request.sample = sample_->value();
  } else if (const RunInfo* e = evaluation(id)) {
    request.evaluation = *e;
    request.tokenizer = tokenizers_[e->model_path];
  } else {
    heatmap_->set_data({});
    heatmap_scroll_->setWidgetResizable(true);  // the placeholder fills the view
    pages_->setCurrentWidget(heatmap_scroll_);
    return;
  }
  loader_->load(request);
}

void TokenInspector::sample_loaded(const LoadedSample& s) {
  if (s.run_id != run_id()) return;  // the selection moved on; its own load follows
  {
    const QSignalBlocker block(sample_);
    sample_->setRange(0, std::max(0, s.sample_count - 1));
  }
  if (s.is_evaluation) {
    prefix_->setEnabled(false);
    if (const RunInfo* e = evaluation(s.run_id); e && s.tokenizer) tokenizers_[e->model_path] = s.tokenizer;
    answers_->set_data(s.answers);
    pages_->setCurrentWidget(answers_);
  } else {
    prefix_->setEnabled(s.has_prefix);
    heatmap_scroll_->setWidgetResizable(s.heatmap.tokens() == 0);  // cells keep their size and scroll
    heatmap_->set_data(s.heatmap);
    threshold_moved(analyses_->threshold());  // the slider may have moved while it loaded
    pages_->setCurrentWidget(heatmap_scroll_);
    scroll_to_answer();
  }
  hint_->setText(!s.error.isEmpty() ? s.error : s.is_evaluation ? kAnswersHint : kHeatmapHint);
}

// A QA sample opens on its question: the shared primer (few-shot examples) scrolls off to the left, the answer's
// first token sits two thirds across the view with the question before it. Other samples open at their start.
void TokenInspector::scroll_to_answer() {
  QScrollBar* bar = heatmap_scroll_->horizontalScrollBar();
  const int first = heatmap_->data().first_answer();
  if (first < 0) {
    bar->setValue(bar->minimum());
    return;
  }
  const int x = heatmap_->cell_rect(first, 1).left();
  bar->setValue(std::clamp(x - heatmap_scroll_->viewport()->width() * 2 / 3, bar->minimum(), bar->maximum()));
}

void TokenInspector::threshold_moved(double tau) {
  const AnalysedRunPtr r = recording(run_id());
  if (!r || heatmap_->data().tokens() == 0) return;
  const QVector<int> depths = exit_depths(*r, sample_->value(), tau, prefix_->isChecked());
  if (depths.size() == heatmap_->data().tokens()) heatmap_->set_exit_depths(depths);
}

}  // namespace dynamax::app
