#include "core/exits/classifier_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/common/error.h"
#include "core/exits/classifier_activation.h"

namespace dynamax {

nlohmann::json TrainOptions::to_json() const {
  nlohmann::json j = {{"epochs", epochs}, {"batch_sequences", batch_sequences}, {"patience", patience}, {"seed", seed},
          {"early_stopping", early_stopping}, {"depth_weights", depth_weights},
          {"loss_weights", loss_weights == ExitLossWeights::ExitIndex ? "exit-index" : "depth"}};
  if (optimiser == Optimiser::ScheduleFreeAdamW)
    j.update({{"optimiser", "schedule-free-adamw"}, {"lr", schedule_free.lr}, {"beta1", schedule_free.beta1},
              {"beta2", schedule_free.beta2}, {"eps", schedule_free.eps}, {"weight_decay", schedule_free.weight_decay}});
  else
    j.update({{"optimiser", "adamw"}, {"lr", adamw.lr}, {"beta1", adamw.beta1}, {"beta2", adamw.beta2},
              {"eps", adamw.eps}, {"weight_decay", adamw.weight_decay}});
  return j;
}

nlohmann::json TrainReport::to_json() const {
  nlohmann::json curve = nlohmann::json::array(), metrics = nlohmann::json::array();
  for (const EpochReport& e : epochs) curve.push_back({{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"valid_loss", e.valid_loss}});
  for (const ExitMetrics& m : validation) metrics.push_back(m.to_json());
  return {{"curve", curve}, {"best_epoch", best_epoch}, {"stopped_early", stopped_early},
          {"depth_weights", depth_weights}, {"validation", metrics}};
}

std::vector<double> exit_loss_weights(std::span<const int> depths, std::span<const double> given, ExitLossWeights rule) {
  std::vector<double> w;
  if (given.empty()) {
    for (size_t i = 0; i < depths.size(); ++i) w.push_back(rule == ExitLossWeights::ExitIndex ? double(i + 1) : double(depths[i]));
  } else {
    if (given.size() != depths.size())
      throw Error("there are " + std::to_string(given.size()) + " loss weights for " + std::to_string(depths.size()) +
                  " exits");
    w.assign(given.begin(), given.end());
  }
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  if (sum <= 0.0 || std::any_of(w.begin(), w.end(), [](double v) { return v < 0.0; }))
    throw Error("exit loss weights must be non-negative and not all zero");
  for (double& v : w) v /= sum;
  return w;
}

static std::vector<uint8_t> decay_mask(const ParamLayout& layout) {
  std::vector<uint8_t> mask(layout.total(), 0);
  for (const ParamSlot& s : layout.entries())
    if (s.shape.size() == 2) std::fill(mask.begin() + long(s.offset), mask.begin() + long(s.offset + s.size), 1);
  return mask;
}

static void check_features(const ExitClassifier& c, const ExitFeatures& f, const char* what) {
  if (f.depths != c.depths() || f.width != c.spec().width)
    throw Error(std::string("the ") + what + " features do not match the classifier's exit depths and width");
  if (f.tokens() == 0) throw Error(std::string("the ") + what + " data gives no tokens");
}

// Mean over exits (weighted) of the mean binary cross-entropy on `data`.
static double weighted_loss(const std::vector<ExitMetrics>& metrics, const std::vector<double>& weights) {
  double loss = 0.0;
  for (size_t e = 0; e < metrics.size(); ++e) loss += weights[e] * metrics[e].loss;
  return loss;
}

std::vector<ExitMetrics> evaluate_exit_classifier(const ExitClassifier& c, const ExitFeatures& data) {
  std::vector<ExitMetrics> metrics;
  for (size_t e = 0; e < c.depths().size(); ++e) {
    std::vector<float> logits;
    std::vector<uint8_t> labels;
    for (const ExitFeatureSequence& s : data.sequences) {
      std::vector<float> out(static_cast<size_t>(s.T));
      c.net().forward(c.weights()[e].data(), s.inputs[e].data(), s.T, out.data());
      logits.insert(logits.end(), out.begin(), out.end());
      labels.insert(labels.end(), s.labels[e].begin(), s.labels[e].end());
    }
    metrics.push_back(exit_metrics(c.depths()[e], logits, labels));
  }
  return metrics;
}

TrainReport train_exit_classifier(ExitClassifier& c, const ExitFeatures& train, const ExitFeatures& valid,
                                  const TrainOptions& o, const std::function<void(const EpochReport&)>& on_epoch,
                                  const std::atomic<bool>* cancel) {
  check_features(c, train, "training");
  check_features(c, valid, "validation");
  if (o.epochs < 1 || o.batch_sequences < 1 || o.patience < 1)
    throw Error("epochs, batch size and patience must be at least 1");
  TrainReport report;
  report.depth_weights = exit_loss_weights(c.depths(), o.depth_weights, o.loss_weights);
  const ClassifierNet& net = c.net();
  const size_t exits = c.depths().size(), P = net.layout().total();
  std::vector<std::function<void(float*, const float*)>> optimisers;  // one per exit: step(params, grads)
  for (size_t e = 0; e < exits; ++e) {
    if (o.optimiser == Optimiser::ScheduleFreeAdamW)
      optimisers.push_back([opt = ScheduleFreeAdamW(decay_mask(net.layout()), o.schedule_free)](float* p, const float* g) mutable { opt.step(p, g); });
    else
      optimisers.push_back([opt = AdamW(decay_mask(net.layout()), o.adamw)](float* p, const float* g) mutable { opt.step(p, g); });
    // Start from the base rate: the classes are far from balanced (most exits in the second half are right).
    const double rate = std::clamp(train.positive_rate(e), 1e-3, 1.0 - 1e-3);
    c.weights()[e][net.output_bias()] = float(std::log(rate / (1.0 - rate)));
  }

  std::mt19937_64 rng(o.seed ^ 0x9e3779b97f4a7c15ull);  // the batch order; the weights were drawn from `seed`
  std::vector<size_t> order(train.sequences.size());
  std::iota(order.begin(), order.end(), size_t(0));
  auto best_weights = c.weights();
  double best_loss = weighted_loss(evaluate_exit_classifier(c, valid), report.depth_weights);
  std::vector<float> grads(P), logits, dlogits;
  int stale = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double train_loss = 0.0;
    for (size_t b0 = 0; b0 < order.size(); b0 += size_t(o.batch_sequences)) {
      if (cancel && cancel->load()) throw Cancelled();
      const size_t b1 = std::min(order.size(), b0 + size_t(o.batch_sequences));
      size_t batch_tokens = 0;
      for (size_t b = b0; b < b1; ++b) batch_tokens += size_t(train.sequences[order[b]].T);
      for (size_t e = 0; e < exits; ++e) {
        std::fill(grads.begin(), grads.end(), 0.0f);
        const double scale = report.depth_weights[e] / double(std::max<size_t>(1, batch_tokens));
        for (size_t b = b0; b < b1; ++b) {
          const ExitFeatureSequence& s = train.sequences[order[b]];
          logits.resize(size_t(s.T));
          dlogits.resize(size_t(s.T));
          net.forward(c.weights()[e].data(), s.inputs[e].data(), s.T, logits.data());
          for (int t = 0; t < s.T; ++t) {
            const int y = s.labels[e][size_t(t)];
            train_loss += report.depth_weights[e] * binary_cross_entropy(logits[size_t(t)], y);
            dlogits[size_t(t)] = float(scale * (double(sigmoid(logits[size_t(t)])) - y));
          }
          net.backward(c.weights()[e].data(), s.inputs[e].data(), s.T, dlogits.data(), grads.data());
        }
        optimisers[e](c.weights()[e].data(), grads.data());
      }
    }
    EpochReport r;
    r.epoch = epoch;
    r.epochs = o.epochs;
    r.train_loss = train_loss / double(train.tokens());
    r.valid_loss = weighted_loss(evaluate_exit_classifier(c, valid), report.depth_weights);
    r.best = r.valid_loss < best_loss;
    if (r.best) {
      best_loss = r.valid_loss;
      stale = 0;
    } else {
      ++stale;
    }
    if (r.best || !o.early_stopping) {  // the weights to keep
      best_weights = c.weights();
      report.best_epoch = epoch;
    }
    report.epochs.push_back(r);
    if (on_epoch) on_epoch(r);
    if (o.early_stopping && stale >= o.patience) {
      report.stopped_early = epoch < o.epochs;
      break;
    }
  }
  c.weights() = best_weights;
  report.validation = evaluate_exit_classifier(c, valid);
  return report;
}

}  // namespace dynamax
