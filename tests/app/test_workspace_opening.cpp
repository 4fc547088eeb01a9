// Opening a workspace, on the CLI and in the window: a read-only workspace (a file nobody may write, read-only
// media, a full disk) opens for viewing and is never written; the window says so and turns its write actions off;
// a failed File → Open leaves the previous workspace fully in place.
#include <sys/mount.h>
#include <unistd.h>

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QtTest>
#include <fstream>

#include "app/main_window.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_panel.h"
#include "storage/run_store.h"
#include "storage/schema.h"
#include "support/fake_workspace.h"
#include "support/test_support.h"
#include "views/message_banner.h"
#include "views/model_list_panel.h"
#include "views/run_list_panel.h"
#include "views/tradeoff_plot.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

struct FileState {
  std::string bytes;
  fs::file_time_type mtime;
  bool operator==(const FileState&) const = default;
};

FileState state_of(const fs::path& p) { return {testing_support::read_file(p), fs::last_write_time(p)}; }

// A bind mount of `from` at `at`, read-only, undone when destroyed; `ok` is false where mounting is not allowed.
struct ReadOnlyMount {
  fs::path at;
  bool ok = false;
  ReadOnlyMount(const fs::path& from, const fs::path& to) : at(to) {
    fs::create_directories(at);
    ok = geteuid() == 0 && mount(from.c_str(), at.c_str(), nullptr, MS_BIND, nullptr) == 0;
    if (ok && mount(nullptr, at.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
      umount2(at.c_str(), MNT_DETACH);
      ok = false;
    }
  }
  ~ReadOnlyMount() {
    if (ok) umount2(at.c_str(), MNT_DETACH);
  }
};

bool wait_idle(const app::MainWindow& w) { return QTest::qWaitFor([&] { return w.is_idle(); }, 20'000); }

}  // namespace

class TestWorkspaceOpening : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  fs::path path(const std::string& name) const { return fs::path(tmp_.path().toStdString()) / name; }

  fs::path fake_workspace(const std::string& name) {
    const fs::path p = path(name);
    fs::create_directories(p.parent_path());
    testing_support::write_fake_workspace(p);
    return p;
  }

  // runs, sweep and plot all read the workspace; the plot goes to a writable folder.
  void readers_work(const fs::path& workspace) {
    const QString db = QString::fromStdString(workspace.string());
    const CliResult runs = run_dynamax({"runs", "--db", db});
    QVERIFY2(runs.code == 0 && runs.out.contains("tiny") && runs.out.contains("done"), qPrintable(runs.err));
    const CliResult sweep = run_dynamax({"sweep", "--db", db, "--run", "1", "--csv"});
    QVERIFY2(sweep.code == 0 && sweep.out.count('\n') > 4, qPrintable(sweep.err));
    const QString png = QString::fromStdString(path("plot.png").string());
    const CliResult plot = run_dynamax({"plot", "--db", db, "--runs", "1", "--out", png});
    QVERIFY2(plot.code == 0 && fs::file_size(png.toStdString()) > 1000, qPrintable(plot.err));
  }

  // The window opens it for viewing: title and status bar say so, every write action is off, recording is refused.
  void window_views_read_only(const fs::path& workspace) {
    app::MainWindow w;
    w.open_workspace(QString::fromStdString(workspace.string()));
    QVERIFY(wait_idle(w));
    QVERIFY(w.workspace()->is_read_only());
    QVERIFY2(w.windowTitle().endsWith("(read-only)"), qPrintable(w.windowTitle()));
    QVERIFY(!w.read_only_label()->isHidden());
    QVERIFY(w.read_only_label()->text().contains("Read-only"));
    QVERIFY(!w.write_actions().isEmpty());
    for (const QAction* action : w.write_actions()) QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
    QCOMPARE(w.workspace_panel()->runs()->run_count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(w.tradeoff()->plot()->curve_count(), 3, 10'000);  // threshold, static, oracle
    QVERIFY(!w.record(app::RecordOptions{}));
    QVERIFY2(w.banner()->text().contains("read-only"), qPrintable(w.banner()->text()));
  }

 private slots:
  void initTestCase() {
    QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set");
    QStandardPaths::setTestModeEnabled(true);
  }

  // Mode 0444 stops every user but root; the workbench respects it for root too, so this runs anywhere.
  void a_file_nobody_may_write_is_viewed_not_written() {
    const fs::path ws = fake_workspace("mode0444/ws.db");
    fs::permissions(ws, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const FileState before = state_of(ws);
    readers_work(ws);
    window_views_read_only(ws);
    const QString db = QString::fromStdString(ws.string());
    for (const QStringList& writer : {QStringList{"runs", "--db", db, "--delete", "1"},
                                      QStringList{"record", "--resume", "1", "--db", db}}) {
      const CliResult r = run_dynamax(writer);
      QCOMPARE(r.code, 1);
      QVERIFY2(r.err.contains("ws.db is read-only (the file's mode lets nobody write it): it can be viewed"), qPrintable(r.err));
      QVERIFY2(!r.err.contains("SQL") && !r.err.contains("PRAGMA"), qPrintable(r.err));
    }
    QVERIFY2(state_of(ws) == before, "the read-only workspace changed");
  }

  // Read-only media: a bind mount. SQLite cannot make the -shm index of a WAL workspace there.
  void a_workspace_on_read_only_media_is_viewed() {
    const fs::path source = fake_workspace("media-source/ws.db").parent_path();
    QVERIFY(!fs::exists(source / "ws.db-shm"));
    const FileState before = state_of(source / "ws.db");
    ReadOnlyMount media(source, path("media"));
    if (!media.ok) QSKIP("mounting needs root (mount --bind -o ro); the mode-0444 case covers the code path");
    readers_work(media.at / "ws.db");
    window_views_read_only(media.at / "ws.db");
    const CliResult del = run_dynamax({"runs", "--db", QString::fromStdString((media.at / "ws.db").string()), "--delete", "1"});
    QCOMPARE(del.code, 1);
    QVERIFY2(del.err.contains("is read-only (read-only media)"), qPrintable(del.err));
    QVERIFY(state_of(source / "ws.db") == before);
    QVERIFY(!fs::exists(source / "ws.db-shm") && !fs::exists(source / "ws.db-wal"));
  }

  // Listing reads only, so a full disk does not stop it (SQLite cannot grow its -shm index there either).
  void runs_work_on_a_full_disk() {
    const fs::path disk = path("full-disk");
    fs::create_directories(disk);
    if (geteuid() != 0 || mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=512k") != 0)
      QSKIP("mounting a small tmpfs needs root");
    struct Unmount {
      fs::path at;
      ~Unmount() { umount2(at.c_str(), MNT_DETACH); }
    } unmount{disk};
    testing_support::write_fake_workspace(disk / "ws.db");
    {
      std::ofstream fill(disk / "filler", std::ios::binary);
      const std::string block(4096, 'x');
      while (fill.write(block.data(), std::streamsize(block.size())) && fill.flush()) {
      }
    }
    const FileState before = state_of(disk / "ws.db");
    const CliResult runs = run_dynamax({"runs", "--db", QString::fromStdString((disk / "ws.db").string())});
    QVERIFY2(runs.code == 0 && runs.out.contains("tiny"), qPrintable(runs.err));
    QVERIFY(state_of(disk / "ws.db") == before);
  }

  // A failed open (another application's database, a newer workbench's, a folder that cannot be made, long named)
  // changes nothing: the lists, the plot, the title, the size, and the status bar is not left at "Opening…".
  void a_failed_open_leaves_the_previous_workspace_in_place() {
    const fs::path good = fake_workspace("open/good.db");
    const fs::path foreign = path("open/contacts.db");
    {
      Database db(foreign);
      db.exec("CREATE TABLE contacts (name TEXT)");
    }
    const fs::path newer = fake_workspace("open/newer.db");
    {
      Database db(newer);
      db.exec("UPDATE schema_version SET version = 99");
    }
    const std::string long_name(200, 'n');
    const fs::path missing = foreign / long_name / long_name / "ws.db";  // a folder that cannot be made: under a file

    const FileState good_before = state_of(good);
    app::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.open_workspace(QString::fromStdString(good.string()));
    QVERIFY(wait_idle(w));
    const QString title = w.windowTitle();
    const QSize size = w.size();
    QCOMPARE(w.workspace_panel()->runs()->run_count(), 1);
    QCOMPARE(w.workspace_panel()->models()->model_count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(w.tradeoff()->plot()->curve_count(), 3, 10'000);
    const FileState foreign_before = state_of(foreign);

    const std::vector<std::pair<fs::path, QString>> failures = {
        {foreign, "is not a DYNAMAX workspace (it has the tables contacts)"},
        {newer, "newer than this workbench supports"},
        {missing, "cannot make its folder"}};
    for (const auto& [bad, says] : failures) {
      QSignalSpy failed(w.workspace(), &app::WorkspaceController::open_failed);
      w.open_workspace(QString::fromStdString(bad.string()));
      QVERIFY(failed.wait(10'000));
      QVERIFY2(w.banner()->text().contains(says), qPrintable(w.banner()->text()));
      QVERIFY2(!w.banner()->text().contains("SQL"), qPrintable(w.banner()->text()));
      QVERIFY(wait_idle(w));
      QCOMPARE(w.workspace()->path(), QString::fromStdString(good.string()));
      QVERIFY(w.workspace()->is_open());
      QCOMPARE(w.windowTitle(), title);
      QCOMPARE(w.workspace_panel()->runs()->run_count(), 1);
      QCOMPARE(w.workspace_panel()->models()->model_count(), 1);
      QCOMPARE(w.workspace_panel()->runs()->checked_runs(), QVector<qint64>{1});
      QCOMPARE(w.tradeoff()->plot()->curve_count(), 3);
      QVERIFY2(w.statusBar()->currentMessage().startsWith("Could not open"), qPrintable(w.statusBar()->currentMessage()));
      QCOMPARE(w.size(), size);
      QVERIFY2(w.minimumSizeHint().width() <= size.width(), "the message would widen the window");
      // the previous workspace still works: a refresh reads it again
      QSignalSpy changed(w.workspace(), &app::WorkspaceController::snapshot_changed);
      w.workspace()->refresh();
      QVERIFY(changed.wait(10'000));
      QCOMPARE(w.workspace_panel()->runs()->run_count(), 1);
    }
    QVERIFY(state_of(foreign) == foreign_before);
    QVERIFY2(state_of(good) == good_before, "viewing a workspace changed it");
    QVERIFY(!fs::exists(missing));

    // and the next good open switches as usual
    const fs::path other = fake_workspace("open/other.db");
    QSignalSpy opened(w.workspace(), &app::WorkspaceController::opened);
    w.open_workspace(QString::fromStdString(other.string()));
    QVERIFY(opened.wait(10'000));
    QVERIFY(w.windowTitle().endsWith("other.db"));
  }
};

QTEST_MAIN(TestWorkspaceOpening)
#include "test_workspace_opening.moc"
