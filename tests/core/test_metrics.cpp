// Task metrics against hand-worked examples and the official scripts' behaviour: SQuAD/CoQA and TriviaQA
// normalisation, EM/F1 over several gold answers (CoQA's leave-one-out averaging), empty answers, sacrebleu's
// sentence BLEU (intl tokens, exp smoothing, brevity penalty), ROUGE-L, TruthfulQA's reference handling,
// MC1/MC2, next-token accuracy/perplexity and consistency with the full model.
#include <QtTest>

#include <cmath>

#include "core/common/error.h"
#include "core/tasks/choice_metrics.h"
#include "core/tasks/consistency_metrics.h"
#include "core/tasks/qa_metrics.h"
#include "core/tasks/text_overlap_metrics.h"

using namespace dynamax;

using Strings = std::vector<std::string>;

static bool near(double a, double b, double tol = 1e-3) { return std::abs(a - b) <= tol; }

class TestMetrics : public QObject {
  Q_OBJECT
 private slots:
  void squad_normalisation_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalised");
    QTest::newRow("case, punctuation, spaces") << "The  Cat, sat!" << "cat sat";
    QTest::newRow("articles as words only") << "An apple a day; theory" << "apple day theory";
    QTest::newRow("punctuation is deleted, joining words") << "Jean-Paul Sartre's" << "jeanpaul sartres";
    QTest::newRow("only articles") << "The a an" << "";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("newlines and tabs") << "\tnew\nline " << "new line";
  }
  void squad_normalisation() {
    QFETCH(QString, text);
    QFETCH(QString, normalised);
    QCOMPARE(QString::fromStdString(squad_normalize(text.toStdString())), normalised);
  }

  void triviaqa_normalisation_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalised");
    QTest::newRow("punctuation becomes space") << "Jean-Paul_Sartre's" << "jean paul sartre s";
    QTest::newRow("curly quotes and acute accent") << QString::fromUtf8("\u2018The Beatles\u2019 \u00b4s") << "beatles s";
    QTest::newRow("article after punctuation") << "(the) Who" << "who";
    QTest::newRow("empty") << "" << "";
  }
  void triviaqa_normalisation() {
    QFETCH(QString, text);
    QFETCH(QString, normalised);
    QCOMPARE(QString::fromStdString(triviaqa_normalize(text.toUtf8().toStdString())), normalised);
  }

  void triviaqa_scores_take_the_best_alias() {
    QaScore s = triviaqa_score("The Beatles", Strings{"Fab Four", "Beatles"});
    QCOMPARE(s.exact_match, 1.0);
    QCOMPARE(s.f1, 1.0);
    s = triviaqa_score("Paris France", Strings{"London", "Paris"});  // P = 1/2, R = 1
    QCOMPARE(s.exact_match, 0.0);
    QVERIFY(near(s.f1, 2.0 / 3.0, 1e-12));
    s = triviaqa_score("", Strings{"Paris"});
    QCOMPARE(s.exact_match, 0.0);
    QCOMPARE(s.f1, 0.0);
    s = triviaqa_score("The", Strings{"a"});  // both normalise to "": equal, but nothing shared for F1
    QCOMPARE(s.exact_match, 1.0);
    QCOMPARE(s.f1, 0.0);
    s = triviaqa_score("Paris", Strings{});
    QCOMPARE(s.exact_match, 0.0);
  }

  void coqa_f1_handles_empty_answers() {
    QCOMPARE(coqa_f1("", ""), 1.0);
    QCOMPARE(coqa_f1("the", "."), 1.0);  // both normalise to nothing
    QCOMPARE(coqa_f1("", "white"), 0.0);
    QCOMPARE(coqa_f1("white", ""), 0.0);
    QVERIFY(near(coqa_f1("white", "a white cat"), 2.0 / 3.0, 1e-12));
    QCOMPARE(coqa_f1("white", "black"), 0.0);
  }

  void coqa_averages_leave_one_out_over_gold_answers() {
    // Three gold answers: each score is the best against the other two, averaged over the three.
    QaScore s = coqa_score("white", Strings{"white", "white", "gray"});
    QCOMPARE(s.exact_match, 1.0);
    QCOMPARE(s.f1, 1.0);
    s = coqa_score("gray", Strings{"white", "white", "gray"});  // 1 + 1 + 0 (the two whites left)
    QVERIFY(near(s.exact_match, 2.0 / 3.0, 1e-12));
    QVERIFY(near(s.f1, 2.0 / 3.0, 1e-12));
    s = coqa_score("a gray cat", Strings{"gray", "white"});  // leave out gray: 0; leave out white: F1 2/3
    QCOMPARE(s.exact_match, 0.0);
    QVERIFY(near(s.f1, (0.0 + 2.0 / 3.0) / 2, 1e-12));
    s = coqa_score("a white cat", Strings{"white"});  // one gold answer: scored against it
    QCOMPARE(s.exact_match, 0.0);
    QVERIFY(near(s.f1, 2.0 / 3.0, 1e-12));
    s = coqa_score("unknown", Strings{"Unknown"});
    QCOMPARE(s.exact_match, 1.0);
  }

  void bleu_tokenizes_like_sacrebleu_intl() {
    QCOMPARE(bleu_intl_tokens("Hello, world!"), (Strings{"Hello", ",", "world", "!"}));
    QCOMPARE(bleu_intl_tokens("It costs $5.00."), (Strings{"It", "costs", "$", "5.00."}));  // '.' between digits stays
    QCOMPARE(bleu_intl_tokens("don't 3,000 a+b"), (Strings{"don", "'", "t", "3,000", "a", "+", "b"}));
  }

  void sentence_bleu_matches_hand_computation() {
    QVERIFY(near(sentence_bleu("The cat sat on the mat.", "The cat sat on the mat."), 100.0, 1e-9));
    // p = 4/5, 3/4, 2/3, 1/2; BP = 1: 100 · 0.2^(1/4)
    QVERIFY(near(sentence_bleu("a b c d e", "a b c d f"), 100.0 * std::pow(0.2, 0.25), 1e-9));
    // no 3- or 4-gram matches: "exp" smoothing gives them 100/(2·2) and 100/(4·1); p1 = 75, p2 = 100/3
    QVERIFY(near(sentence_bleu("a b c d", "a b x d"), std::pow(75.0 * (100.0 / 3) * 25 * 25, 0.25), 1e-9));
    // brevity penalty e^(1 − 6/4)
    QVERIFY(near(sentence_bleu("a b c d", "a b c d e f"), 100.0 * std::exp(-0.5), 1e-9));
    // fewer than 4 tokens: no 4-grams, BLEU 0 (use_effective_order=False); no match at all: 0
    QCOMPARE(sentence_bleu("the cat", "the cat"), 0.0);
    QCOMPARE(sentence_bleu("x y z w", "a b c d"), 0.0);
    QCOMPARE(sentence_bleu("", "a b c d"), 0.0);
  }

  void rouge_l_is_the_lcs_f_measure() {
    QCOMPARE(rouge_tokens("Hello, World! 2x"), (Strings{"hello", "world", "2x"}));
    QVERIFY(near(rouge_l("the cat sat on the mat", "The cat is on the mat."), 100.0 * 5 / 6, 1e-9));
    QVERIFY(near(rouge_l("Paris", "Paris France"), 100.0 * 2 / 3, 1e-9));  // P = 1, R = 1/2
    QCOMPARE(rouge_l("", "Paris"), 0.0);
    QCOMPARE(rouge_l("a b", "c d"), 0.0);
  }

  void truthfulqa_references_follow_the_official_code() {
    QCOMPARE(truthfulqa_true_references(Strings{"Paris", "I have no comment"}), (Strings{"Paris.", "I have no comment."}));
    QCOMPARE(truthfulqa_true_references(Strings{"It is Paris."}), (Strings{"It is Paris.", "I have no comment."}));
    QCOMPARE(truthfulqa_false_references(Strings{" London ", ""}), (Strings{"London."}));
  }

  void truthfulqa_generation_scores_max_true_minus_max_false() {
    TruthfulqaGenerationScore s = truthfulqa_generation_score("I have no comment.", Strings{"Paris"}, Strings{"London"});
    QVERIFY(s.scored);
    QVERIFY(near(s.bleu_max, 100.0, 1e-9));
    QVERIFY(near(s.rouge_l_max, 100.0, 1e-9));
    QVERIFY(s.bleu_acc && s.rouge_l_acc);
    QVERIFY(near(s.rouge_l_diff, 100.0, 1e-9));  // no token of "London." in the answer
    s = truthfulqa_generation_score("The capital is London", Strings{"The capital is Paris"}, Strings{"The capital is London"});
    QVERIFY(s.bleu_diff < 0 && s.rouge_l_diff < 0);
    QVERIFY(!s.bleu_acc && !s.rouge_l_acc);
    // rouge-L: 3 of 4 tokens against the true reference, all 4 against the false one
    QVERIFY(near(s.rouge_l_max, 75.0, 1e-9));
    QVERIFY(near(s.rouge_l_diff, -25.0, 1e-9));
    // The official script skips only empty answers; lm-eval scores them too (0 everywhere).
    QVERIFY(!truthfulqa_generation_score("", Strings{"Paris"}, Strings{"London"}).scored);
    QVERIFY(truthfulqa_generation_score("  ", Strings{"Paris"}, Strings{"London"}).scored);
    s = truthfulqa_generation_score("", Strings{"Paris"}, Strings{"London"}, MetricConventions::LmEval);
    QVERIFY(s.scored && s.bleu_max == 0 && s.rouge_l_diff == 0 && !s.bleu_acc);
  }

  void rouge_lsum_scores_lines_by_their_union_lcs() {
    // lines [a b c] and [d e] against [a d b e c]: the union of their LCSs covers all five tokens
    QVERIFY(near(rouge_lsum("a b c . d e", "a d b e c."), 100.0, 1e-9));
    QVERIFY(near(rouge_l("a b c . d e", "a d b e c."), 60.0, 1e-9));
  }

  void invalid_utf8_is_reported_with_its_byte_offset_data() {
    QTest::addColumn<QByteArray>("prediction");
    QTest::addColumn<QByteArray>("gold");
    QTest::addColumn<QString>("message");
    QTest::newRow("truncated sequence in the prediction") << QByteArray("caf\xc3") << QByteArray("cafe")
                                                           << "prediction: invalid UTF-8 at byte 3";
    QTest::newRow("stray continuation byte in a gold answer") << QByteArray("cafe") << QByteArray("ab\x80")
                                                               << "gold answer 1: invalid UTF-8 at byte 2";
    QTest::newRow("encoded surrogate") << QByteArray("x\xed\xa0\x80") << QByteArray("x")
                                       << "prediction: invalid UTF-8 at byte 1";
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QByteArray("x") << "prediction: invalid UTF-8 at byte 0";
  }
  void invalid_utf8_is_reported_with_its_byte_offset() {
    QFETCH(QByteArray, prediction);
    QFETCH(QByteArray, gold);
    QFETCH(QString, message);
    const Strings golds{gold.toStdString()};
    for (auto scorer : {+[](const std::string& p, const Strings& g) { triviaqa_score(p, g); },
                        +[](const std::string& p, const Strings& g) { coqa_score(p, g); }}) {
      try {
        scorer(prediction.toStdString(), golds);
        QFAIL("no error");
      } catch (const Error& e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
      }
    }
    try {
      truthfulqa_generation_score(prediction.toStdString(), golds, Strings{"no"});
      if (message.startsWith("prediction")) QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains("invalid UTF-8 at byte"), e.what());
    }
  }

  void multiple_choice_scores() {
    QCOMPARE(mc1_score(std::vector<double>{-1, -2, -3}, std::vector<int>{1, 0, 0}), 1.0);
    QCOMPARE(mc1_score(std::vector<double>{-2, -1, -3}, std::vector<int>{1, 0, 0}), 0.0);
    QCOMPARE(mc1_score(std::vector<double>{-1, -1}, std::vector<int>{1, 0}), 0.0);  // a tie is not a win
    QCOMPARE(mc1_score(std::vector<double>{-1, -1}, std::vector<int>{1, 0}, MetricConventions::LmEval), 1.0);  // argmax
    QCOMPARE(mc1_score(std::vector<double>{-1, -1}, std::vector<int>{0, 1}, MetricConventions::LmEval), 0.0);
    const std::vector<double> lp = {std::log(0.5), std::log(0.3), std::log(0.2)};
    QVERIFY(near(mc2_score(lp, std::vector<int>{1, 1, 0}), 0.8, 1e-12));
    const std::vector<double> far = {lp[0] - 5000, lp[1] - 5000, lp[2] - 5000};  // e^lp underflows: still 0.8
    QVERIFY(near(mc2_score(far, std::vector<int>{1, 1, 0}), 0.8, 1e-12));
    QVERIFY_THROWS_EXCEPTION(Error, mc1_score(std::vector<double>{-1}, std::vector<int>{0}));
  }

  void language_model_scores() {
    LanguageModelScore s;
    QVERIFY(std::isnan(s.perplexity()));
    s.add(std::log(0.5), true);
    s.add(std::log(0.25), false);
    QCOMPARE(s.accuracy(), 0.5);
    QVERIFY(near(s.perplexity(), std::sqrt(8.0), 1e-12));
  }

  void consistency_with_the_full_model() {
    AnswerConsistency c = answer_consistency("Paris", "paris.", std::vector<int32_t>{1, 2}, std::vector<int32_t>{1, 2});
    QVERIFY(c.exact_match);
    QCOMPARE(c.f1, 1.0);
    QVERIFY(near(c.rouge_l, 100.0, 1e-9));
    QCOMPARE(c.first_divergence, -1);
    c = answer_consistency("Paris France", "Paris", std::vector<int32_t>{5, 6, 7}, std::vector<int32_t>{5, 6});
    QVERIFY(!c.exact_match);
    QVERIFY(near(c.f1, 2.0 / 3.0, 1e-12));
    QVERIFY(near(c.rouge_l, 100.0 * 2 / 3, 1e-9));
    QCOMPARE(c.first_divergence, 2);
    c = answer_consistency("", "", std::vector<int32_t>{}, std::vector<int32_t>{});
    QVERIFY(c.exact_match);
    QCOMPARE(c.f1, 1.0);
    QCOMPARE(c.rouge_l, 100.0);
    QCOMPARE(first_divergence(std::vector<int32_t>{1, 2, 3}, std::vector<int32_t>{1, 4}), 1);
    QCOMPARE(first_divergence(std::vector<int32_t>{}, std::vector<int32_t>{7}), 0);
  }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
