// File → Import runs… in the window: two shard workspaces recorded by the CLI are imported into the open workspace
// off the GUI thread and appear as one run; a file that is not a workspace gives one message in the banner and
// leaves the runs as they were.
#include <QtTest>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/ui/workspace_panel.h"
#include "support/test_support.h"
#include "views/message_banner.h"
#include "views/run_list_panel.h"

using namespace dynamax;

class TestImportRuns : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString db(const char* name) const { return tmp_.filePath(name); }

  static bool wait_idle(const app::MainWindow& w) { return QTest::qWaitFor([&] { return w.is_idle(); }, 60'000); }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_import_runs");
  }

  void shardsImportAsOneRun() {
    const QString model = QString::fromStdString((app::resources_dir() / "models/tiny-mistral").string());
    for (int k = 1; k <= 2; ++k) {
      const auto r = testing_support::run_dynamax({"record", "--model", model, "--dataset", QString::fromStdString(app::demo_dataset_spec()),
                                                   "--limit", "3", "--threads", "1", "--shard", QString("%1/2").arg(k),
                                                   "--db", db(k == 1 ? "part1.db" : "part2.db")});
      QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    app::MainWindow w;
    w.open_workspace(db("window.db"));
    QVERIFY(wait_idle(w));
    const int before = w.workspace_panel()->runs()->run_count();

    testing_support::write_file(db("notes.db").toStdString(), "these are notes, not a workspace\n");
    QVERIFY(w.import_runs({db("notes.db")}));
    QVERIFY(wait_idle(w));
    QVERIFY2(w.banner()->text().contains("notes.db"), qPrintable(w.banner()->text()));
    QCOMPARE(w.workspace_panel()->runs()->run_count(), before);

    QVERIFY(w.import_runs({db("part2.db"), db("part1.db")}));
    QVERIFY(wait_idle(w));
    QVERIFY(QTest::qWaitFor([&] { return w.workspace_panel()->runs()->run_count() == before + 1; }, 20'000));
    QVERIFY2(w.banner()->text().contains("1 runs joined from 2 shards"), qPrintable(w.banner()->text()));
  }
};

QTEST_MAIN(TestImportRuns)
#include "test_import_runs.moc"
