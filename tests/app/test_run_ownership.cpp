// Who owns a running run, through the dynamax binary: a live owner blocks `runs --delete` until `--force`, and of
// two simultaneous `record --resume` of one run the second is refused at start, never half-way on a constraint.
#include <QtTest>

#include "app/demo_paths.h"
#include "storage/process_identity.h"
#include "storage/run_store.h"
#include "support/fake_workspace.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::CliResult;
using testing_support::run_dynamax;

class TestRunOwnership : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString path(const char* name) const { return tmp_.filePath(name); }

 private slots:
  void initTestCase() { QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set"); }

  void a_live_owner_blocks_deletion_until_force() {
    const QString db = path("owned.db");
    testing_support::write_fake_workspace(db.toStdString());
    QProcess owner;  // stands for a recording process that is still alive
    owner.start("sleep", {"60"});
    QVERIFY(owner.waitForStarted());
    {
      Database w(db.toStdString());
      w.prepare("UPDATE runs SET status = 'running', pid = ?, owner = ? WHERE id = 1")
          .bind(1, int64_t(owner.processId()))
          .bind(2, process_identity(owner.processId()))
          .run();
    }
    const CliResult listed = run_dynamax({"runs", "--db", db});
    QVERIFY2(listed.code == 0 && listed.out.contains(" running "), qPrintable(listed.out));
    const CliResult refused = run_dynamax({"runs", "--db", db, "--delete", "1"});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains("still being recorded by another process; cancel it first (if that process is gone, add --force)"),
             qPrintable(refused.err));
    const CliResult resumed = run_dynamax({"record", "--resume", "1", "--db", db});
    QCOMPARE(resumed.code, 1);
    QVERIFY2(resumed.err.contains("run 1 is still running in another process"), qPrintable(resumed.err));
    const CliResult forced = run_dynamax({"runs", "--db", db, "--delete", "1", "--force"});
    QVERIFY2(forced.code == 0, qPrintable(forced.err));
    QVERIFY(!run_dynamax({"runs", "--db", db}).out.contains("tiny"));
    owner.kill();
    owner.waitForFinished();
  }

  void two_resumes_of_one_run_never_collide() {
    const QString db = path("resume.db");
    const QString model = QString::fromStdString((app::resources_dir() / "models/tiny-mistral").string());
    const QString dataset = QString::fromStdString("text:" + (app::resources_dir() / "prompts/demo_passages.txt").string() + "#window=64");
    const CliResult recorded = run_dynamax({"record", "--model", model, "--dataset", dataset, "--limit", "4", "--db", db, "--threads", "1"});
    QVERIFY2(recorded.code == 0, qPrintable(recorded.err));
    {
      Database w(db.toStdString());
      w.exec("UPDATE runs SET status = 'cancelled', pid = NULL, owner = NULL; DELETE FROM samples");
    }
    QProcess a, b;
    for (QProcess* p : {&a, &b}) p->start(QString::fromStdString(testing_support::dynamax_binary()), {"record", "--resume", "1", "--db", db, "--threads", "1"});
    for (QProcess* p : {&a, &b}) QVERIFY(p->waitForFinished(120'000));
    const QString errors = a.readAllStandardError() + "\n" + b.readAllStandardError();
    QVERIFY2(!errors.contains("UNIQUE") && !errors.contains("constraint"), qPrintable(errors));
    QCOMPARE(int(a.exitCode() == 0) + int(b.exitCode() == 0), 1);
    QVERIFY2(errors.contains("run 1 is still running in another process") || errors.contains("run 1 is already done"),
             qPrintable(errors));
    Database r(db.toStdString(), Database::Mode::ReadOnly);
    const RunInfo run = RunStore(r).run(1);
    QCOMPARE(QString::fromStdString(run.status), QString("done"));
    QCOMPARE(run.samples_done, int64_t(4));
  }
};

QTEST_GUILESS_MAIN(TestRunOwnership)
#include "test_run_ownership.moc"
