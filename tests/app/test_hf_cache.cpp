// Models by Hub name from a local Hugging Face cache laid out as huggingface_hub writes it (snapshots/<commit>/
// files as symlinks into blobs/, refs/main): resolution by name, revision and commit, the cache's location from the
// environment, the CLI loading a cached model by name, and clear messages for a missing model or revision, a
// missing blob and an incomplete snapshot.
#include <QtTest>

#include <cstdlib>

#include "app/demo_paths.h"
#include "core/common/error.h"
#include "core/io/hf_cache.h"
#include "core/io/model_config.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

class TestHfCache : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path cache_;
  const std::string commit_ = "0123456789abcdef0123456789abcdef01234567";

  // models--org--name with every file of `source` as a blob, a snapshot of symlinks, and refs/main.
  fs::path add_model(const std::string& org, const std::string& name, const fs::path& source) {
    const fs::path repo = cache_ / ("models--" + org + "--" + name), snapshot = repo / "snapshots" / commit_;
    fs::create_directories(repo / "blobs");
    fs::create_directories(snapshot);
    fs::create_directories(repo / "refs");
    int n = 0;
    for (const fs::directory_entry& e : fs::directory_iterator(source)) {
      const std::string blob = "blob" + std::to_string(n++);
      fs::copy_file(e.path(), repo / "blobs" / blob);
      fs::create_symlink(fs::path("../../blobs") / blob, snapshot / e.path().filename());
    }
    testing_support::write_file(repo / "refs" / "main", commit_);
    return snapshot;
  }

  static QString error_of(const std::string& name) {
    try {
      resolve_model_folder(name);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }

 private slots:
  void initTestCase() {
    cache_ = fs::path(tmp_.path().toStdString()) / "hub";
    qputenv("HF_HUB_CACHE", QByteArray::fromStdString(cache_.string()));
    add_model("tiny-org", "tiny-mistral", app::resources_dir() / "models/tiny-mistral");
  }

  void cacheLocationFollowsTheEnvironment() {
    QCOMPARE(hub_cache_dir(), cache_);
    qunsetenv("HF_HUB_CACHE");
    qputenv("HF_HOME", "/somewhere/hf");
    QCOMPARE(hub_cache_dir(), fs::path("/somewhere/hf/hub"));
    qunsetenv("HF_HOME");
    qputenv("HF_HUB_CACHE", QByteArray::fromStdString(cache_.string()));
  }

  void resolvesByNameRevisionAndCommit() {
    const fs::path snapshot = cache_ / "models--tiny-org--tiny-mistral/snapshots" / commit_;
    QCOMPARE(resolve_model_folder("tiny-org/tiny-mistral"), snapshot);
    QCOMPARE(resolve_model_folder("tiny-org/tiny-mistral@main"), snapshot);
    QCOMPARE(resolve_model_folder("tiny-org/tiny-mistral@" + commit_), snapshot);
    QCOMPARE(load_model_config(resolve_model_folder("tiny-org/tiny-mistral")).num_layers, 16);
    QCOMPARE(model_display_name(snapshot), std::string("tiny-mistral"));
    QCOMPARE(cached_models(cache_), std::vector<std::string>{"tiny-org/tiny-mistral"});
    // An existing folder is never looked up in the cache.
    const fs::path local = app::resources_dir() / "models/tiny-mistral";
    QCOMPARE(resolve_model_folder(local.string()), local);
  }

  void clearMessages_data() {
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing model") << "" << "other/model" << "it holds: tiny-org/tiny-mistral";
    QTest::newRow("missing revision") << "" << "tiny-org/tiny-mistral@v9" << "refs: main";
    QTest::newRow("missing blob") << "blob" << "broken/blob" << "points to a missing blob";
    QTest::newRow("no config.json") << "config" << "broken/config" << "has no config.json";
  }

  void clearMessages() {
    QFETCH(QString, setup);
    QFETCH(QString, name);
    QFETCH(QString, message);
    if (!setup.isEmpty()) {
      const fs::path snapshot = add_model("broken", setup.toStdString(), app::resources_dir() / "models/tiny-mistral");
      const fs::path repo = snapshot.parent_path().parent_path();
      if (setup == "blob") fs::remove(repo / "blobs" / fs::read_symlink(snapshot / "model-00002-of-00002.safetensors").filename());
      else fs::remove(snapshot / "config.json");
    }
    const QString error = error_of(name.toStdString());
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(name.section('@', 0, 0)), qPrintable(error));
  }

  void cliLoadsACachedModelByName() {
    const auto info = testing_support::run_dynamax({"info", "tiny-org/tiny-mistral", "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    QVERIFY(info.out.contains("MistralForCausalLM"));
    const auto lens = testing_support::run_dynamax({"lens", "tiny-org/tiny-mistral", "--ids", "1,2,3", "--json"});
    QVERIFY2(lens.code == 0, qPrintable(lens.err));
    const auto missing = testing_support::run_dynamax({"info", "nobody/nothing"});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("tiny-org/tiny-mistral"), qPrintable(missing.err));
  }
};

QTEST_GUILESS_MAIN(TestHfCache)
#include "test_hf_cache.moc"
