#pragma once
// The status bar's view of a background job: what it does, a progress bar of counted units (samples, sequences,
// epochs), a rate (tokens/s, samples/s) and ETA, and a cancel button. Hidden while nothing runs.
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace dynamax::views {

class JobProgress : public QWidget {
  Q_OBJECT
 public:
  explicit JobProgress(QWidget* parent = nullptr);
  void start(const QString& what);
  void set_progress(qint64 done, qint64 total, double rate, double eta_seconds, const QString& rate_unit = "tokens/s",
                    const QString& count_unit = "samples");
  void stop();
  QString text() const;
  int percent() const;

 signals:
  void cancel_requested();

 private:
  QLabel* what_;
  QProgressBar* bar_;
  QLabel* rate_;
  QToolButton* cancel_;
  QLabel* count_;  // "3 / 11 samples", beside the bar
};

}  // namespace dynamax::views
