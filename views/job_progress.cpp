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
      cancel_(new QToolButton(this)), count_(new QLabel(this)) {
  bar_->setFixedWidth(140);
  bar_->setFixedHeight(fontMetrics().height() * 3 / 4);
  bar_->setTextVisible(false);  // the count goes beside the bar: drawn over the fill it was hard to read
  cancel_->setText("Cancel");
  cancel_->setToolTip("Stop the job; a cancelled recording or evaluation keeps its samples and can be resumed");
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(what_);
  row->addWidget(bar_);
  row->addWidget(count_);
  row->addWidget(rate_);
  row->addWidget(cancel_);
  connect(cancel_, &QToolButton::clicked, this, [this] {
    cancel_->setEnabled(false);  // the job stops at its next check (between blocks, tokens or mini-batches)
    rate_->setText("stopping…");
    emit cancel_requested();
  });
  hide();
}

void JobProgress::start(const QString& what) {
  what_->setText(what);
  bar_->setRange(0, 0);  // busy until the first progress arrives (the model loads)
  count_->clear();
  rate_->setText("loading…");
  cancel_->setEnabled(true);
  show();
}

void JobProgress::set_progress(qint64 done, qint64 total, double rate, double eta_seconds, const QString& rate_unit,
                               const QString& count_unit) {
  bar_->setRange(0, int(std::max<qint64>(total, 1)));
  bar_->setValue(int(done));
  count_->setText(QString("%1 / %2 %3").arg(done).arg(total).arg(count_unit));
  if (!cancel_->isEnabled()) return;  // keeps saying that it stops
  const QString eta = "ETA " + duration(eta_seconds);
  rate_->setText(rate_unit.isEmpty() ? eta : QString("%1 %2 · ").arg(rate, 0, 'f', rate < 10 ? 1 : 0).arg(rate_unit) + eta);
}

void JobProgress::stop() { hide(); }

QString JobProgress::text() const { return what_->text() + " " + count_->text() + " " + rate_->text(); }

int JobProgress::percent() const {
  return bar_->maximum() > 0 ? int(100.0 * bar_->value() / bar_->maximum()) : 0;
}

}  // namespace dynamax::views
