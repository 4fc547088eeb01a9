// The window's recording worker: a real recording of a tiny model in a background thread, progress arriving on
// the GUI thread while the event loop stays free, and cancel.
#include <QtTest>

#include "app/jobs/record_worker.h"
#include "storage/run_store.h"
#include "storage/schema.h"
#include "support/test_support.h"

using namespace dynamax;

class TestRecordWorker : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  app::RecordOptions options(const char* db, int limit) const {
    app::RecordOptions o;
    o.model_dir = testing_support::shared_dir() / "fixtures/models/tiny-codestral";
    o.dataset_spec = "text:" + (testing_support::shared_dir() / "data/text/wikitext2_test.txt").string() + "#window=64";
    o.db_path = tmp_.filePath(db).toStdString();
    o.limit = size_t(limit);
    return o;
  }

 private slots:
  void records_in_the_background() {
    REQUIRE_SHARED();
    app::RecordWorker worker(options("bg.db", 6));
    QSignalSpy progress(&worker, &app::RecordWorker::progress);
    QSignalSpy finished(&worker, &app::RecordWorker::finished);
    QSignalSpy failed(&worker, &app::RecordWorker::failed);
    const QThread* gui = QThread::currentThread();
    QThread* progress_thread = nullptr;
    connect(&worker, &app::RecordWorker::progress, this, [&] { progress_thread = QThread::currentThread(); });
    // the event loop keeps turning while the run goes: count the timer ticks and the longest gap between them
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, longest_gap = 0;
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&] {
      longest_gap = std::max(longest_gap, clock.elapsed() - last);
      last = clock.elapsed();
      ++ticks;
    });
    timer.start(5);
    worker.start();
    QVERIFY(finished.wait(120'000));
    timer.stop();
    QCOMPARE(failed.count(), 0);
    QCOMPARE(finished.first().at(1).toString(), QString("done"));
    QCOMPARE(progress.count(), 6);
    QCOMPARE(progress.last().at(1).toULongLong(), 6ull);
    QCOMPARE(progress_thread, gui);  // queued onto the GUI thread
    QVERIFY(ticks > 3);
    qInfo("event loop: %d ticks, longest gap %lld ms", ticks, longest_gap);
    Database db(tmp_.filePath("bg.db").toStdString());
    RunStore store(db);
    QCOMPARE(store.run(finished.first().at(0).toLongLong()).samples_done, int64_t(6));
  }

  void cancel_stops_the_run() {
    REQUIRE_SHARED();
    app::RecordWorker worker(options("cancel.db", 500));
    QSignalSpy progress(&worker, &app::RecordWorker::progress);
    QSignalSpy finished(&worker, &app::RecordWorker::finished);
    worker.start();
    QVERIFY(progress.wait(60'000));
    worker.cancel();
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.first().at(1).toString(), QString("cancelled"));
    Database db(tmp_.filePath("cancel.db").toStdString());
    QVERIFY(RunStore(db).run(1).samples_done < 500);
  }

  void bad_model_folder_is_reported() {
    app::RecordOptions o = options("bad.db", 1);
    o.model_dir = tmp_.path().toStdString();  // not a model
    app::RecordWorker worker(o);
    QSignalSpy failed(&worker, &app::RecordWorker::failed);
    worker.start();
    QVERIFY(failed.wait(30'000));
    QVERIFY2(failed.first().at(0).toString().contains("config.json"), qPrintable(failed.first().at(0).toString()));
  }
};

QTEST_MAIN(TestRecordWorker)
#include "test_record_worker.moc"
