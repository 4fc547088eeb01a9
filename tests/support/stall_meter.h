#pragma once
// The window's responsiveness while a job runs: a 5 ms timer on the GUI thread's event loop records the longest
// gap between its turns (the bound is 50 ms).
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>

namespace testing_support {

struct StallMeter {
  QElapsedTimer clock;
  QTimer timer;
  qint64 last = 0, longest = 0;
  StallMeter() {
    clock.start();
    QObject::connect(&timer, &QTimer::timeout, [this] {
      longest = std::max(longest, clock.elapsed() - last);
      last = clock.elapsed();
    });
    timer.start(5);
  }
};

}  // namespace testing_support
