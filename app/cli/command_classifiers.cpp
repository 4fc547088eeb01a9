// dynamax classifiers --db FILE [--json] [--export NAME --out FILE] [--delete NAME]: the exit classifiers of a
// workspace (kind, model, depths, mean validation AUROC), one written out as a classifier file, or one removed.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/jobs/stored_classifier_file.h"
#include "core/common/error.h"
#include "storage/classifier_store.h"
#include "storage/schema.h"

namespace dynamax::cli {

namespace fs = std::filesystem;

static std::string depth_list(const std::vector<int>& depths) {
  std::string out;
  for (int d : depths) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

int run_classifiers(const Argv& argv) {
  Args args("classifiers", argv, {"db", "export", "out", "delete"}, {"json"});
  auto path = args.value("db");
  if (!path) throw UsageError("'dynamax classifiers' needs --db FILE");
  if (!fs::exists(*path)) throw Error(*path + ": no such database");
  if (auto name = args.value("delete")) {
    Database db(*path);
    open_workspace(db);
    delete_classifier(db, *name);
    std::cerr << "deleted classifier '" << *name << "'\n";
    return 0;
  }
  Database db(*path, Database::Mode::ReadOnly);  // listing and exporting never write the workspace
  check_readable_workspace(db);
  if (auto name = args.value("export")) {
    auto out = args.value("out");
    if (!out) throw UsageError("--export NAME needs --out FILE");
    app::write_stored_classifier(*path, *name, *out);
    std::cerr << "wrote classifier '" << *name << "' to " << *out << "\n";
    return 0;
  }
  const auto classifiers = list_classifiers(db);
  if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const ClassifierListing& c : classifiers) {
      const double auroc = c.mean_validation_auroc();
      out.push_back({{"id", c.id}, {"name", c.name}, {"kind", c.kind}, {"model", c.model_name},
                     {"model_path", c.model_path}, {"depths", c.depths}, {"created_at", c.created_at},
                     {"mean_validation_auroc", std::isnan(auroc) ? nlohmann::json() : nlohmann::json(auroc)},
                     {"record", c.record}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%4s  %-20s %-7s %-16s %-14s %s\n", "id", "name", "kind", "model", "depths", "mean AUROC");
  for (const ClassifierListing& c : classifiers)
    std::printf("%4lld  %-20s %-7s %-16s %-14s %.3f\n", (long long)c.id, c.name.c_str(), c.kind.c_str(),
                c.model_name.c_str(), depth_list(c.depths).c_str(), c.mean_validation_auroc());
  return 0;
}

}  // namespace dynamax::cli
