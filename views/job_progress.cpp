#include "views/job_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <cmath>

namespace dynamax::views {

namespace {

QString duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "–";
  const int s = int(std::lround(seconds));
  return s < 60 ? QString("%1 s").arg(s) : QString("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace

JobProgress::JobProgress(QWidget* parent)
    : QWidget(parent), what_(new QLabel(this)), bar_(new QProgressBar(this)), rate_(new QLabel(this)),
      cancel_(new QToolButton(this)) {
  bar_->setFixedWidth(180);
  bar_->setTextVisible(true);
  cancel_->setText("Cancel");
  cancel_->setToolTip("Stop the job; a cancelled recording keeps its samples and can be resumed");
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(what_);
  row->addWidget(bar_);
  row->addWidget(rate_);
  row->addWidget(cancel_);
  connect(cancel_, &QToolButton::clicked, this, &JobProgress::cancel_requested);
  hide();
}

void JobProgress::start(const QString& what) {
  what_->setText(what);
  bar_->setRange(0, 0);  // busy until the first progress arrives (the model loads)
  rate_->setText("loading…");
  cancel_->setEnabled(true);
  show();
}

void JobProgress::set_progress(qint64 done, qint64 total, double tokens_per_second, double eta_seconds) {
  bar_->setRange(0, int(std::max<qint64>(total, 1)));
  bar_->setValue(int(done));
  bar_->setFormat(QString("%1 / %2 samples").arg(done).arg(total));
  rate_->setText(QString("%1 tokens/s · ETA %2").arg(tokens_per_second, 0, 'f', 0).arg(duration(eta_seconds)));
}

void JobProgress::stop() { hide(); }

QString JobProgress::text() const { return what_->text() + " " + bar_->text() + " " + rate_->text(); }

int JobProgress::percent() const {
  return bar_->maximum() > 0 ? int(100.0 * bar_->value() / bar_->maximum()) : 0;
}

}  // namespace dynamax::views
