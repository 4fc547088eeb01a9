// Compute accounting against hand calculation: block and exit-head FLOPs of the tiny fixture models and of the
// published Mistral-7B-v0.1, Mamba-Codestral-7B, mamba-130m and falcon-mamba-7b configs, and what a token exiting
// at depth d pays under each head-evaluation convention. Conventions (core/analysis/compute_cost.h): multiply-add = 2 FLOPs, any other op 1;
// RMSNorm 4 per element, RoPE 3, softmax 6 per score, SiLU 4, softplus 3.
#include <QtTest>

#include "core/analysis/compute_cost.h"
#include "core/analysis/exit_outcomes.h"
#include "core/common/error.h"
#include "core/exits/skip_strategies.h"
#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

fs::path fixtures() { return testing_support::shared_dir() / "fixtures"; }
// The published configs of Llama-3.1-8B, Llama-3.2-1B and Qwen2.5-7B (tests/data/configs).
ModelConfig published(const char* name) { return load_model_config(testing_support::test_data_dir() / "configs" / name); }

ModelConfig config_of(const char* json) { return parse_model_config(parse_lenient_json(json, "test"), "test"); }

}  // namespace

class TestAnalysisFlops : public QObject {
  Q_OBJECT
 private slots:
  // tiny-mistral: h = 192, 6 heads and 2 KV heads of 32 (q width 192, kv width 64), I = 512, window 128, V = 8192.
  //   norms 2·4·192 = 1,536; q,k,v 2·192·(192 + 2·64) = 122,880; o 2·192·192 = 73,728; RoPE 3·(192 + 64) = 768;
  //   gate+up 2·2·192·512 = 393,216; SiLU·up 5·512 = 2,560; down 2·512·192 = 196,608; residuals 2·192 = 384
  //   fixed = 791,680; per key 6·(2·32 + 6 + 2·32) = 804
  //   head = 4·192 + 2·192·8192 = 768 + 3,145,728 = 3,146,496
  void tiny_mistral() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "models/tiny-mistral");
    QCOMPARE(transformer_block_flops(c, 0), int64_t(791680 + 804 * 1));
    QCOMPARE(transformer_block_flops(c, 9), int64_t(791680 + 804 * 10));
    QCOMPARE(transformer_block_flops(c, 127), int64_t(791680 + 804 * 128));  // 894,592: the window is full
    QCOMPARE(transformer_block_flops(c, 5000), int64_t(894592));              // and stays full
    QCOMPARE(block_flops(c, 127), int64_t(894592));
    QCOMPARE(exit_head_flops(c), int64_t(3146496));
  }

  // tiny-codestral: h = 192, 12 heads of 32 (d_inner 384), 4 groups, N = 32, K = 4, conv bias, no bias, V = 8192.
  //   conv width 384 + 2·4·32 = 640; in_proj width 2·384 + 2·4·32 + 12 = 1,036; state 384·32 = 12,288
  //   norm 768; in_proj 2·192·1036 = 397,824; conv 2·4·640 = 5,120 + bias 640 + SiLU 4·640 = 2,560;
  //   dt 12·4 = 48; dA 12·2 = 24; dt·x 384; state update 3·12,288 = 36,864; C·state 2·12,288 = 24,576;
  //   D skip 2·384 = 768; y·SiLU(z) 5·384 = 1,920; group norm 4·384 = 1,536; out_proj 2·384·192 = 147,456;
  //   residual 192 → 620,680
  void tiny_codestral() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "models/tiny-codestral");
    QCOMPARE(mamba2_block_flops(c), int64_t(620680));
    QCOMPARE(block_flops(c, 0), int64_t(620680));
    QCOMPARE(block_flops(c, 100000), int64_t(620680));  // a fixed-size state: no context term
    QCOMPARE(exit_head_flops(c), int64_t(3146496));
  }

  // Mistral-7B-v0.1: h = 4096, 32 heads and 8 KV heads of 128 (q 4096, kv 1024), I = 14,336, window 4096, V = 32,000.
  //   norms 32,768; q,k,v 2·4096·6144 = 50,331,648; o 2·4096·4096 = 33,554,432; RoPE 3·5120 = 15,360;
  //   gate+up 4·4096·14336 = 234,881,024; SiLU·up 5·14336 = 71,680; down 117,440,512; residuals 8,192
  //   fixed = 436,335,616 (2 × the block's 218,103,808 weights = 436,207,616, + 128,000 elementwise)
  //   per key 32·(256 + 6 + 256) = 16,576
  //   head = 4·4096 + 2·4096·32000 = 16,384 + 262,144,000 = 262,160,384
  void mistral_7b() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "configs/mistral-7b-v0.1");
    QCOMPARE(transformer_block_flops(c, 0), int64_t(436352192));    // 436,335,616 + 16,576
    QCOMPARE(transformer_block_flops(c, 4095), int64_t(504230912));  // + 16,576·4096 = 67,895,296
    QCOMPARE(transformer_block_flops(c, 20000), int64_t(504230912));
    QCOMPARE(exit_head_flops(c), int64_t(262160384));
    // A 512-token prompt's last token through the full model: 32 blocks at 512 keys + one head.
    const ExitCost cost(c, make_exit_policy(32));
    QCOMPARE(cost.full_model_flops(511), int64_t(32) * (436335616 + 16576 * 512) + 262160384);
  }

  // Mistral-7B-v0.3 has no sliding window: the context grows without bound.
  void no_window_means_the_whole_context() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "configs/mistral-7b-v0.3");
    QCOMPARE(transformer_block_flops(c, 9999) - transformer_block_flops(c, 0), int64_t(16576) * 9999);
  }

  // Mamba-Codestral-7B: h = 4096, 128 heads of 64 (d_inner 8192), 8 groups, N = 128, K = 4, V = 32,768.
  //   conv width 8192 + 2·8·128 = 10,240; in_proj width 2·8192 + 2048 + 128 = 18,560; state 8192·128 = 1,048,576
  //   norm 16,384; in_proj 2·4096·18560 = 152,043,520; conv 81,920 + bias 10,240 + SiLU 40,960;
  //   dt 512; dA 256; dt·x 8,192; state update 3,145,728; C·state 2,097,152; D skip 16,384;
  //   y·SiLU(z) 40,960; group norm 32,768; out_proj 2·8192·4096 = 67,108,864; residual 4,096 → 224,647,936
  //   head = 4·4096 + 2·4096·32768 = 16,384 + 268,435,456 = 268,451,840
  void codestral_7b() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "configs/mamba-codestral-7b-v0.1");
    QCOMPARE(mamba2_block_flops(c), int64_t(224647936));
    QCOMPARE(exit_head_flops(c), int64_t(268451840));
    bool named = false;
    try {
      transformer_block_flops(c, 0);
    } catch (const Error& e) {
      named = QString(e.what()).contains("transformer block FLOPs asked of a Mamba2ForCausalLM");
    }
    QVERIFY(named);
  }

  // Llama-3.1-8B: the block of Mistral-7B (h = 4096, q 4096, kv 1024, I = 14,336, no biases) with no window and
  // V = 128,256: fixed 436,335,616, per key 16,576; head = 4·4096 + 2·4096·128256 = 1,050,689,536.
  //   The KV recompute of a skipped block: norm 16,384 + k,v 2·2·4096·1024 = 16,777,216 + RoPE 3·1024 → 16,796,672
  void llama_31_8b() {
    const ModelConfig c = published("llama-3.1-8b");
    QCOMPARE(c.parameter_count(), int64_t(8030261248));  // "8.03 B" on its model card
    QCOMPARE(transformer_block_flops(c, 0), int64_t(436335616 + 16576));
    QCOMPARE(transformer_block_flops(c, 8191), int64_t(436335616) + int64_t(16576) * 8192);  // 572,126,208
    QCOMPARE(exit_head_flops(c), int64_t(1050689536));
    QCOMPARE(skipped_block_flops({KvStrategy::Recompute}, c), int64_t(16796672));
  }

  // Qwen2.5-7B: h = 3584, 28 heads and 4 KV heads of 128 (q 3584, kv 512), I = 18,944, V = 152,064, q/k/v biases.
  //   norms 28,672; q,k,v 2·3584·4608 = 33,030,144; o 2·3584·3584 = 25,690,112; RoPE 3·4096 = 12,288;
  //   gate+up 4·3584·18944 = 271,581,184; SiLU·up 5·18944 = 94,720; down 135,790,592; residuals 7,168;
  //   biases 3584 + 2·512 = 4,608 → fixed 466,239,488 (2 × 233,046,016 weights + 147,456 elementwise)
  //   per key 28·(256 + 6 + 256) = 14,504; head = 4·3584 + 2·3584·152064 = 1,090,009,088
  //   KV recompute: norm 14,336 + k,v 2·2·3584·512 = 7,340,032 + biases 1,024 + RoPE 1,536 → 7,356,928
  //   use_sliding_window is false: every layer sees the whole context.
  void qwen25_7b() {
    const ModelConfig c = published("qwen2.5-7b");
    QCOMPARE(c.parameter_count(), int64_t(7615616512));  // "7.61 B" (7.62 rounded up) on its model card
    QCOMPARE(transformer_block_flops(c, 0), int64_t(466239488 + 14504));
    QCOMPARE(transformer_block_flops(c, 32767, 27), int64_t(941506560));  // 466,239,488 + 14,504·32768
    QCOMPARE(exit_head_flops(c), int64_t(1090009088));
    QCOMPARE(skipped_block_flops({KvStrategy::Recompute}, c), int64_t(7356928));
  }

  // Llama-3.2-1B: h = 2048, 32 heads and 8 KV heads of 64 (q 2048, kv 512), I = 8192, V = 128,256, tied.
  //   norms 16,384; q,k,v 2·2048·3072 = 12,582,912; o 8,388,608; RoPE 3·2560 = 7,680; gate+up 67,108,864;
  //   SiLU·up 40,960; down 33,554,432; residuals 4,096 → fixed 121,703,936; per key 32·(128 + 6 + 128) = 8,384
  //   head (the tied embedding) = 4·2048 + 2·2048·128256 = 525,344,768
  void llama_32_1b_tied() {
    const ModelConfig c = published("llama-3.2-1b");
    QVERIFY(c.tie_word_embeddings);
    QCOMPARE(c.parameter_count(), int64_t(1235814400));  // "1.24 B": one 128256 × 2048 matrix, not two
    QCOMPARE(transformer_block_flops(c, 8191), int64_t(190385664));  // 121,703,936 + 8,384·8192
    QCOMPARE(exit_head_flops(c), int64_t(525344768));
  }

  // Llama's attention_bias adds q/k/v/o biases and mlp_bias gate/up/down ones: one add per output each.
  //   h = 8, q 8, kv 4, I = 16: q + 2·kv + o = 8 + 8 + 8 = 24; gate + up + down = 16 + 16 + 8 = 40
  void biases_cost_one_add_per_output() {
    const char* plain = R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 8, "num_hidden_layers": 2,
        "vocab_size": 16, "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 16})";
    const char* biased = R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 8, "num_hidden_layers": 2,
        "vocab_size": 16, "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 16,
        "attention_bias": true, "mlp_bias": true})";
    const ModelConfig a = config_of(plain), b = config_of(biased);
    QCOMPARE(transformer_block_flops(b, 5) - transformer_block_flops(a, 5), int64_t(24 + 40));
    QCOMPARE(b.parameter_count() - a.parameter_count(), int64_t(2 * (24 + 40)));
    QCOMPARE(skipped_block_flops({KvStrategy::Recompute}, b) - skipped_block_flops({KvStrategy::Recompute}, a), int64_t(8));
  }

  // Qwen2 with use_sliding_window: layers from max_window_layers on slide, the others see every key. 4 layers,
  // 2 full then 2 with a window of 3; at position 9 a full layer sees 10 keys, a sliding one 3.
  //   h = 8, q 8, kv 4, I = 16: fixed = the Mistral block above (1,348) + q/k/v biases 16 = 1,364; per key 44
  void qwen2_windows_per_layer() {
    const ModelConfig c = config_of(R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 8,
        "num_hidden_layers": 4, "vocab_size": 16, "num_attention_heads": 2, "num_key_value_heads": 1,
        "intermediate_size": 16, "use_sliding_window": true, "sliding_window": 3, "max_window_layers": 2})");
    QCOMPARE(transformer_block_flops(c, 9, 0), int64_t(1364 + 44 * 10));
    QCOMPARE(transformer_block_flops(c, 9, 3), int64_t(1364 + 44 * 3));
    const ExitCost cost(c, make_exit_policy(4), {HeadEvaluations::ExitOnly, 0});
    const int64_t full = 1364 + 440, sliding = 1364 + 132, head = 32 + 2 * 8 * 16;
    QCOMPARE(cost.blocks_flops(9, 3), 2 * full + sliding);
    QCOMPARE(cost.token_flops(9, 2), 2 * full + head);
    QCOMPARE(cost.full_model_flops(9), 2 * full + 2 * sliding + head);
    // With the last-block exit head, a token leaving at 1 also runs block 4 (sliding), not block 2.
    const ExitCost last(c, make_exit_policy(4), {HeadEvaluations::ExitOnly, 0, true});
    QCOMPARE(last.token_flops(9, 1), full + sliding + head);
  }

  // state-spaces/mamba-130m-hf: h = 768, d_inner 1536, N = 16, dt rank 48, K = 4, conv bias, no bias, V = 50,280.
  //   state 1536·16 = 24,576; x_proj width 48 + 2·16 = 80
  //   norm 3,072; in_proj 2·768·3072 = 4,718,592; conv 2·4·1536 = 12,288 + bias 1,536 + SiLU 6,144;
  //   x_proj 2·1536·80 = 245,760; dt_proj 2·48·1536 = 147,456 + bias 1,536; softplus 4,608; dA 2·24,576 = 49,152;
  //   dt·x 1,536; state update 3·24,576 = 73,728; C·state 49,152; D skip 3,072; y·SiLU(gate) 7,680;
  //   out_proj 2·1536·768 = 2,359,296; residual 768 → 7,685,376
  //   update strategy: less the gate rows 2·768·1536 = 2,359,296, C·state, D skip, gating, out_proj, residual
  //   → 7,685,376 − 4,779,264 = 2,906,112;   head = 4·768 + 2·768·50280 = 77,233,152
  void mamba_130m() {
    const ModelConfig c = parse_model_config(parse_lenient_json(R"({"architectures": ["MambaForCausalLM"],
        "hidden_size": 768, "num_hidden_layers": 24, "vocab_size": 50280, "intermediate_size": 1536, "expand": 2,
        "state_size": 16, "conv_kernel": 4, "time_step_rank": 48, "use_bias": false, "use_conv_bias": true})", "test"), "test");
    QCOMPARE(mamba_block_flops(c), int64_t(7685376));
    QCOMPARE(block_flops(c, 100000), int64_t(7685376));  // a fixed-size state: no context term
    QCOMPARE(exit_head_flops(c), int64_t(77233152));
    QCOMPARE(skipped_block_flops({KvStrategy::Recompute, StateStrategy::Update}, c), int64_t(2906112));
    QCOMPARE(skipped_block_flops({KvStrategy::Recompute, StateStrategy::Keep}, c), int64_t(0));
    bool named = false;
    try {
      mamba2_block_flops(c);
    } catch (const Error& e) {
      named = QString(e.what()).contains("Mamba2 block FLOPs asked of a MambaForCausalLM");
    }
    QVERIFY(named);
  }

  // tiiuae/falcon-mamba-7b: h = 4096, d_inner 8192, N = 16, dt rank 256, K = 4, V = 65,024; as Mamba-1 plus the
  //   weightless norms on dt, B, C: 3·(256 + 32) = 864.
  //   norm 16,384; in_proj 2·4096·16384 = 134,217,728; conv 65,536 + bias 8,192 + SiLU 32,768;
  //   x_proj 2·8192·288 = 4,718,592; norms 864; dt_proj 2·256·8192 = 4,194,304 + bias 8,192; softplus 24,576;
  //   dA 262,144; dt·x 8,192; state update 393,216; C·state 262,144; D skip 16,384; y·SiLU(gate) 40,960;
  //   out_proj 67,108,864; residual 4,096 → 211,383,136
  void falcon_mamba_7b() {
    const ModelConfig c = parse_model_config(parse_lenient_json(R"({"architectures": ["FalconMambaForCausalLM"],
        "hidden_size": 4096, "num_hidden_layers": 64, "vocab_size": 65024, "intermediate_size": 8192, "expand": 16,
        "state_size": 16, "conv_kernel": 4, "time_step_rank": 256, "use_bias": false, "use_conv_bias": true,
        "tie_word_embeddings": false})", "test"), "test");
    QCOMPARE(mamba_block_flops(c), int64_t(211383136));
    QCOMPARE(exit_head_flops(c), int64_t(4 * 4096 + int64_t(2) * 4096 * 65024));
  }

  // Codestral exits at 32/40/48/56 of 64 (the DYNAMAX defaults). Heads paid by a token exiting at d:
  //   every allowed depth up to the exit: 1 + allowed depths below d → d=32: 1, 40: 2, 56: 4, 64 (L): 5;
  //   exit only: 1. Classifier evaluations: the decision depths ≤ d → 32: 1, 56: 4, 64: 4.
  void exit_cost_conventions() {
    REQUIRE_SHARED();
    const ModelConfig c = load_model_config(fixtures() / "configs/mamba-codestral-7b-v0.1");
    const ExitPolicy policy = make_exit_policy(64, std::vector<int>{32, 40, 48, 56});
    const int64_t B = 224647936, H = 268451840, classifier = 1000000;
    const ExitCost every(c, policy);
    QCOMPARE(every.head_evaluations(32), 1);
    QCOMPARE(every.head_evaluations(40), 2);
    QCOMPARE(every.head_evaluations(56), 4);
    QCOMPARE(every.head_evaluations(64), 5);
    QCOMPARE(every.token_flops(0, 40), 40 * B + 2 * H);
    QCOMPARE(every.token_flops(0, 64), 64 * B + 5 * H);  // τ above every score: 4 more heads than the full model
    QCOMPARE(every.full_model_flops(0), 64 * B + H);
    const ExitCost only(c, policy, {HeadEvaluations::ExitOnly, classifier});
    QCOMPARE(only.head_evaluations(64), 1);
    QCOMPARE(only.classifier_evaluations(32), 1);
    QCOMPARE(only.classifier_evaluations(56), 4);
    QCOMPARE(only.classifier_evaluations(64), 4);
    QCOMPARE(only.token_flops(0, 56), 56 * B + H + 4 * classifier);
    QCOMPARE(only.token_flops(0, 64), 64 * B + H + 4 * classifier);
    QCOMPARE(every.classifier_evaluations(56), 0);  // no classifier cost given
  }

  // A transformer's FLOP fraction weighs each token by its own context: 3 tokens at positions 0, 1, 2 with a
  // window of 2 see 1, 2, 2 keys. Static exit at 1 of 2 layers, exit head only.
  void flop_fraction_uses_each_tokens_context() {
    const ModelConfig c = parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"],
        "hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 16, "num_attention_heads": 2,
        "num_key_value_heads": 1, "intermediate_size": 16, "sliding_window": 2})", "test"), "test");
    // h = 8, q 8, kv 4, I = 16: fixed = 64 + 2·8·16 + 2·8·8 + 3·12 + 4·8·16 + 5·16 + 2·16·8 + 16
    //                                = 64 + 256 + 128 + 36 + 512 + 80 + 256 + 16 = 1,348; per key 2·(8 + 6 + 8) = 44
    //   head = 32 + 2·8·16 = 288
    QCOMPARE(transformer_block_flops(c, 0), int64_t(1348 + 44));
    RecordedRun run;
    run.depths = 2;
    run.tokens = 3;
    run.sample_index = {0, 0, 0};
    run.position = {0, 1, 2};
    run.token_id = run.target_id = run.final_top1 = {1, 2, 3};
    run.predicts_answer = {0, 0, 0};
    run.top1 = {1, 1, 2, 2, 3, 3};
    const ExitPolicy policy = make_exit_policy(2);
    const ExitCost cost(c, policy, {HeadEvaluations::ExitOnly, 0});
    const TradeoffPoint p = evaluate_exits(ExitOutcomes(run), cost, std::vector<int>{1, 1, 1}, 1);
    const int64_t b0 = 1348 + 44, b1 = 1348 + 88, b2 = 1348 + 88;
    QCOMPARE(p.executed_flops, b0 + b1 + b2 + 3 * 288);
    QCOMPARE(p.full_flops, 2 * (b0 + b1 + b2) + 3 * 288);
    QCOMPARE(p.block_fraction, 0.5);
    QCOMPARE(p.flop_fraction, double(4264 + 864) / double(8528 + 864));  // b0 + b1 + b2 = 1,392 + 1,436 + 1,436
  }
};

QTEST_APPLESS_MAIN(TestAnalysisFlops)
#include "test_analysis_flops.moc"
