// The task metrics against tests/data/metric_cases.json: tricky answers (accents, Greek, fullwidth, no-break and
// em spaces, curly quotes, guillemets, emoji, numbers, empty and whitespace-only answers, several golds) scored by
// the official definitions run under Python (tests/data/make_metric_cases.py). Every value must match to 1e-9.
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/tasks/choice_metrics.h"
#include "core/tasks/qa_metrics.h"
#include "core/tasks/text_overlap_metrics.h"
#include "support/test_support.h"

using namespace dynamax;
using nlohmann::json;

namespace {

json load_cases() {
  const auto file = testing_support::test_data_dir() / "metric_cases.json";
  return json::parse(testing_support::read_file(file)).at("cases");
}

// What our scorer gives a case, under the same keys the generator wrote.
json our_scores(const json& c) {
  const std::string task = c.at("task");
  const MetricConventions conventions = parse_metric_conventions(c.value("metrics", std::string("official")));
  if (task == "mc1")
    return {{"mc1", mc1_score(c.at("logprobs").get<std::vector<double>>(), c.at("labels").get<std::vector<int>>(), conventions)}};
  const std::string prediction = c.at("prediction");
  const auto gold = c.at("gold").get<std::vector<std::string>>();
  if (task == "triviaqa" || task == "coqa") {
    const QaScore s = task == "triviaqa" ? triviaqa_score(prediction, gold) : coqa_score(prediction, gold);
    return {{"em", s.exact_match}, {"f1", s.f1}};
  }
  const auto s = truthfulqa_generation_score(prediction, gold, c.at("incorrect").get<std::vector<std::string>>(), conventions);
  if (!s.scored) return {{"scored", false}};
  return {{"scored", true}, {"bleu_max", s.bleu_max}, {"bleu_diff", s.bleu_diff}, {"bleu_acc", s.bleu_acc},
          {"rouge_l_max", s.rouge_l_max}, {"rouge_l_diff", s.rouge_l_diff}, {"rouge_l_acc", s.rouge_l_acc}};
}

}  // namespace

class TestMetricCases : public QObject {
  Q_OBJECT
 private slots:
  void fixture_is_large_enough() { QVERIFY(load_cases().size() >= 60); }

  void official_definitions_data() {
    QTest::addColumn<int>("index");
    const json cases = load_cases();
    for (size_t i = 0; i < cases.size(); ++i)
      QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << int(i);
  }
  void official_definitions() {
    QFETCH(int, index);
    const json c = load_cases().at(size_t(index));
    const json ours = our_scores(c), expected = c.at("expected");
    QCOMPARE(ours.size(), expected.size());
    for (const auto& [key, value] : expected.items()) {
      QVERIFY2(ours.contains(key), key.c_str());
      if (value.is_boolean()) {
        QVERIFY2(ours[key] == value, (key + ": " + ours[key].dump() + " != " + value.dump()).c_str());
      } else {
        const double a = ours[key].get<double>(), b = value.get<double>();
        QVERIFY2(std::abs(a - b) <= 1e-9, (key + ": " + std::to_string(a) + " != " + std::to_string(b)).c_str());
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestMetricCases)
#include "test_metric_cases.moc"
