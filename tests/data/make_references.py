#!/usr/bin/python3
"""Makes the small models of tests/data/models and their references in tests/data/references (issue 19).

Each model (tiny-llama3, tiny-qwen2, tiny-mamba, tiny-falcon-mamba) gets a Hugging Face style folder (config.json,
model.safetensors in bf16, HF tensor names) and a reference file in the layout of ../shared/fixtures/references
(see ../shared/README.md "The reference files"), computed in fp32 from the bf16-rounded weights.

Usage (Debian's /usr/bin/python3: numpy only, no torch, no safetensors package):
  tests/data/make_references.py --backend numpy              # write models + references
  tests/data/make_references.py --validate-against-shared    # the numpy restatement vs the transformers-made
                                                             # ../shared tiny-mistral and tiny-codestral references
  tests/data/make_references.py --backend transformers --references-dir /tmp/hf   # on a machine with transformers
  tests/data/make_references.py --compare A.reference.safetensors B.reference.safetensors

Backends. `transformers` loads each folder with AutoModelForCausalLM (float32, eager attention) and records what
the model computes. `numpy` is an fp32 restatement of what transformers computes, written for this project from a
reading of the transformers source (nothing copied; file and function names are cited at each step). Source read:
huggingface/transformers, models/mamba/{modeling,configuration}_mamba.py at commit 00328d4e5b22 (5.x line),
models/falcon_mamba/modeling_falcon_mamba.py at 00b676f8f048 (4.4x line), models/qwen2/modeling_qwen2.py at
00d4b3d2142c and configuration_qwen2.py at caa317764625 (the layer_types era, >= 4.53) and 008e57439125 (5.x,
same rule), models/llama/modeling_llama.py at 002272831fba (LlamaAttention/LlamaMLP: attention_bias on q/k/v/o,
no MLP bias there; mlp_bias in later versions), and modeling_rope_utils.py (_compute_llama3_parameters,
standardize_rope_params) of the 5.x line.

What rests on what:
- Llama/Mistral/Qwen2 decoder (embedding, RMSNorm with fp32 variance, rotate-half RoPE, GQA by repeating kv heads,
  eager attention scaled by head_dim**-0.5 with an fp32 softmax, SiLU-gated MLP, final norm, lm_head) is checked
  by `--validate-against-shared` against the tiny-mistral reference made with transformers 5.17 (all quantities
  agree to ~1e-5; the test tolerances are 1e-3 / 2e-3).
- llama3 rope scaling: inv_freq = 1 / theta**(2i/d) in fp32; wavelen = 2*pi/inv_freq; wavelen > orig/low_ff:
  inv_freq/factor; wavelen < orig/high_ff: unchanged; in between: (1-s)*inv/factor + s*inv with
  s = (orig/wavelen - low_ff)/(high_ff - low_ff) (modeling_rope_utils._compute_llama3_parameters). Source reading
  only: no transformers-made reference with llama3 scaling exists here.
- Qwen2: bias on q/k/v, none on o (Qwen2Attention.__init__); layer i slides when config.layer_types says
  "sliding_attention", and without layer_types when use_sliding_window and i >= max_window_layers
  (Qwen2Config.__init__); a sliding query at i sees keys j with i - W < j <= i, the window rule checked for Mistral.
  Versions before layer_types (< 4.53) did not decide the window per layer the same way in every attention
  path; the references follow the layer_types rule. Source reading only.
- Mamba-1 (MambaMixer.slow_forward, the path taken without the CUDA kernels): in_proj -> (x, gate); causal
  depthwise conv1d (+bias) then SiLU; x_proj -> (dt rank R, B, C); dt = softplus(dt_proj(dt) incl. its bias);
  A = -exp(A_log); state = exp(A*dt)*state + (dt*B)*x; y = state.C + D*x; y *= SiLU(gate); out_proj; residual add
  (MambaBlock.forward; residual_in_fp32 changes nothing when everything is fp32); norm_f; tied lm_head.
  The pieces Mamba-1 shares with Mamba2 (causal conv, softplus, exp(A*dt) discretisation and sequential scan,
  D skip, SiLU gate, pre-norm residual, norm_f, lm_head) are checked by `--validate-against-shared` through a
  Mamba2 restatement against the transformers-made tiny-codestral reference; the x_proj/dt_proj layout and the
  per-channel A rest on the source reading.
- FalconMamba (FalconMambaMixer.slow_forward): as Mamba, plus weightless RMS norms (rms_forward, fp32 variance,
  eps mixer_rms_eps) of B and C over the state dimension and of the dt-rank vector, right after the x_proj split
  and before dt_proj. Source reading only.
Prompts are seeded random token ids in 0..999 (p0 has 200 tokens: past original_max_position_embeddings 64 and
sliding_window 32). Greedy continuations are computed by recomputing the whole sequence at each step (both
backends; the cached path computes the same values in exact arithmetic, and the transformers backend also records
whether generate() with the cache agrees); generation prompts are drawn until every greedy step has a top1-top2
log-prob gap above GREEDY_GAP_MIN, so rounding differences between engines cannot flip a token.
A later session must rerun with `--backend transformers` on a machine that has transformers and `--compare` the
files (see tests/data/README.md).
"""
import argparse
import json
import math
import os
import shutil
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared"))
F32 = np.float32
HIDDEN_POSITIONS = 64  # p0/p1 hidden_states and final_logits cover the first 64 positions
PROMPT_LENGTHS = [200, 120, 48, 53, 85]
GENERATIONS, GEN_PROMPT, GEN_NEW = 3, 40, 40
GREEDY_GAP_MIN = 0.02  # log-prob gap every greedy step of a generation must clear
SOURCE_COMMITS = "transformers source read: mamba 00328d4e5b22, falcon_mamba 00b676f8f048, qwen2 00d4b3d2142c"


# ---------------------------------------------------------------- safetensors + bf16 (own reader/writer)

def bf16_round(x):
    """fp32 -> bf16 bits, round to nearest even (what tensor.to(torch.bfloat16) does for finite values)."""
    u = np.ascontiguousarray(x, dtype=F32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def bf16_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(F32)


DTYPES = {"F32": (np.float32, 4), "I32": (np.int32, 4), "BF16": (np.uint16, 2), "I64": (np.int64, 8)}


def write_safetensors(path, tensors, metadata):
    """tensors: name -> (dtype name, numpy array); bf16 arrays are uint16 bit patterns."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name in sorted(tensors):
        dtype, array = tensors[name]
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype][0]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """name -> numpy array (bf16 and f16 widened to fp32), plus the metadata."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        buf = raw[8 + n + begin:8 + n + end]
        if info["dtype"] == "BF16":
            array = bf16_to_f32(np.frombuffer(buf, np.uint16))
        elif info["dtype"] == "F16":
            array = np.frombuffer(buf, np.float16).astype(F32)
        else:
            array = np.frombuffer(buf, DTYPES[info["dtype"]][0])
        out[name] = array.reshape(info["shape"])
    return out, metadata


def read_model_weights(folder):
    """All weights of an HF folder (single file or sharded with model.safetensors.index.json), as fp32."""
    index = os.path.join(folder, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else [
        "model.safetensors"]
    weights = {}
    for name in files:
        weights.update(read_safetensors(os.path.join(folder, name))[0])
    return weights


# ---------------------------------------------------------------- numpy restatement: shared pieces

def rms_norm(x, weight, eps):
    # LlamaRMSNorm / Qwen2RMSNorm / MambaRMSNorm.forward: variance in fp32, x * rsqrt(var + eps), then weight * x.
    # FalconMamba's rms_forward is the same without the weight.
    x = x.astype(F32)
    variance = np.mean(x * x, axis=-1, keepdims=True, dtype=F32)
    normed = x * (F32(1.0) / np.sqrt(variance + F32(eps)))
    return normed if weight is None else weight * normed


def silu(x):
    return x / (F32(1.0) + np.exp(-x))


def softplus(x):
    # torch.nn.functional.softplus (beta 1, threshold 20): log1p(exp(x)), x itself above the threshold.
    return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, F32(20.0))))).astype(F32)


def linear(x, weights, name, bias=False):
    y = x @ weights[name + ".weight"].T
    return y + weights[name + ".bias"] if bias else y


# ---------------------------------------------------------------- Llama / Mistral / Qwen2

class TransformerSpec:
    """What the decoder needs from config.json, read as transformers reads it (4.x and 5.x key layouts)."""

    def __init__(self, cfg):
        self.model_type = cfg["model_type"]
        self.layers = cfg["num_hidden_layers"]
        self.hidden = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads") or self.heads
        self.head_dim = cfg.get("head_dim") or self.hidden // self.heads
        self.eps = cfg["rms_norm_eps"]
        self.tied = cfg.get("tie_word_embeddings", False)
        if self.model_type == "qwen2":  # Qwen2Attention: q/k/v with bias, o without
            self.qkv_bias, self.o_bias, self.mlp_bias = True, False, False
        else:  # LlamaAttention / LlamaMLP: attention_bias, mlp_bias (Mistral has neither)
            self.qkv_bias = self.o_bias = bool(cfg.get("attention_bias", False))
            self.mlp_bias = bool(cfg.get("mlp_bias", False))
        # rope: 5.x `rope_parameters` (rope_theta inside) or 4.x `rope_theta` + `rope_scaling`
        rope = dict(cfg.get("rope_parameters") or cfg.get("rope_scaling") or {})
        rope.setdefault("rope_theta", cfg.get("rope_theta", 10000.0))
        rope["rope_type"] = rope.get("rope_type", rope.get("type", "default"))
        rope.setdefault("original_max_position_embeddings", cfg.get("max_position_embeddings"))
        self.rope = rope
        self.inv_freq = rope_inv_freq(rope, self.head_dim)
        self.windows = layer_windows(cfg, self.layers)


def rope_inv_freq(rope, dim):
    """compute_default_rope_parameters / _compute_llama3_parameters, in fp32 tensors as torch computes them."""
    exponents = np.arange(0, dim, 2, dtype=np.int64).astype(F32) / F32(dim)
    inv_freq = F32(1.0) / np.power(F32(rope["rope_theta"]), exponents)
    if rope["rope_type"] == "default":
        return inv_freq
    if rope["rope_type"] != "llama3":
        raise SystemExit(f"rope type {rope['rope_type']!r} is not restated here")
    factor, low, high = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    old_context = rope["original_max_position_embeddings"]
    low_wavelen, high_wavelen = old_context / low, old_context / high  # python floats, as in the source
    wavelen = F32(2 * math.pi) / inv_freq
    scaled = np.where(wavelen > F32(low_wavelen), inv_freq / F32(factor), inv_freq)
    smooth = (F32(old_context) / wavelen - F32(low)) / F32(high - low)
    smoothed = (F32(1.0) - smooth) * scaled / F32(factor) + smooth * scaled
    medium = ~(wavelen < F32(high_wavelen)) & ~(wavelen > F32(low_wavelen))
    return np.where(medium, smoothed, scaled).astype(F32)


def layer_windows(cfg, layers):
    """Per layer: the sliding window or None. Qwen2Config.__init__ (layer_types or use_sliding_window +
    max_window_layers); Mistral slides in every layer when sliding_window is set; Llama never."""
    window = cfg.get("sliding_window")
    if cfg["model_type"] == "qwen2":
        window = window if cfg.get("use_sliding_window", False) else None
        types = cfg.get("layer_types") or [
            "sliding_attention" if window is not None and i >= cfg.get("max_window_layers", 28) else "full_attention"
            for i in range(layers)]
        return [window if t == "sliding_attention" else None for t in types]
    if cfg["model_type"] == "mistral":
        return [window] * layers
    return [None] * layers


def rope_cos_sin(spec, positions):
    # Qwen2RotaryEmbedding/LlamaRotaryEmbedding.forward: freqs = inv_freq x position in fp32, emb = [freqs, freqs]
    freqs = positions.astype(F32)[:, None] * spec.inv_freq[None, :]
    emb = np.concatenate([freqs, freqs], axis=-1)
    return np.cos(emb), np.sin(emb)


def rotate(x, cos, sin):
    # apply_rotary_pos_emb: x*cos + rotate_half(x)*sin, rotate_half = [-x2, x1] (halves, no interleave)
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


def attention(spec, w, prefix, x, window, cos, sin):
    T = x.shape[0]
    q = linear(x, w, prefix + "q_proj", spec.qkv_bias).reshape(T, spec.heads, spec.head_dim).transpose(1, 0, 2)
    k = linear(x, w, prefix + "k_proj", spec.qkv_bias).reshape(T, spec.kv_heads, spec.head_dim).transpose(1, 0, 2)
    v = linear(x, w, prefix + "v_proj", spec.qkv_bias).reshape(T, spec.kv_heads, spec.head_dim).transpose(1, 0, 2)
    q, k = rotate(q, cos, sin), rotate(k, cos, sin)
    groups = spec.heads // spec.kv_heads  # repeat_kv: query head h uses kv head h // groups
    k, v = np.repeat(k, groups, axis=0), np.repeat(v, groups, axis=0)
    # eager_attention_forward: (q k^T) * head_dim**-0.5 + mask, softmax in fp32, times v
    scores = (q @ k.transpose(0, 2, 1)) * F32(spec.head_dim ** -0.5)
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    allowed = (j <= i) if window is None else ((j <= i) & (j > i - window))
    scores = np.where(allowed[None], scores, F32(-np.inf))
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs = scores / scores.sum(axis=-1, keepdims=True, dtype=F32)
    out = (probs @ v).transpose(1, 0, 2).reshape(T, spec.heads * spec.head_dim)
    return linear(out, w, prefix + "o_proj", spec.o_bias)


def transformer_forward(spec, w, ids):
    """LlamaModel/Qwen2Model/MistralModel.forward: the residual stream leaving every layer, [L][T, d]."""
    h = w["model.embed_tokens.weight"][np.asarray(ids)]
    cos, sin = rope_cos_sin(spec, np.arange(len(ids)))
    out = []
    for layer in range(spec.layers):
        p = f"model.layers.{layer}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], spec.eps)
        h = h + attention(spec, w, p + "self_attn.", x, spec.windows[layer], cos, sin)
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], spec.eps)
        gate = linear(x, w, p + "mlp.gate_proj", spec.mlp_bias)
        up = linear(x, w, p + "mlp.up_proj", spec.mlp_bias)
        h = h + linear(silu(gate) * up, w, p + "mlp.down_proj", spec.mlp_bias)
        out.append(h)
    return out


def transformer_head(spec, w):
    lm_head = w["model.embed_tokens.weight"] if spec.tied else w["lm_head.weight"]
    return lambda h: rms_norm(h, w["model.norm.weight"], spec.eps) @ lm_head.T


# ---------------------------------------------------------------- Mamba-1 / FalconMamba

class MambaSpec:
    def __init__(self, cfg):
        self.falcon = cfg["model_type"] == "falcon_mamba"
        self.layers = cfg["num_hidden_layers"]
        self.hidden = cfg["hidden_size"]
        self.inner = cfg.get("intermediate_size") or int(cfg.get("expand", 2) * self.hidden)
        self.state = cfg["state_size"]
        self.kernel = cfg["conv_kernel"]
        rank = cfg.get("time_step_rank", "auto")  # MambaConfig: "auto" = ceil(hidden / 16)
        self.rank = math.ceil(self.hidden / 16) if rank == "auto" else int(rank)
        self.eps = cfg["layer_norm_epsilon"]
        self.mixer_eps = cfg.get("mixer_rms_eps", 1e-6)
        self.use_bias = cfg.get("use_bias", True)
        self.use_conv_bias = cfg.get("use_conv_bias", True)
        self.tied = cfg.get("tie_word_embeddings", True)  # MambaConfig leaves PretrainedConfig's default: tied


def causal_conv(x, w, p, use_bias):
    """nn.Conv1d(groups=channels, padding=K-1) keeping the first T outputs: out[t] = sum_k w[:, k] x[t-K+1+k]."""
    T, channels = x.shape
    kernel = w[p + "conv1d.weight"][:, 0, :]  # [channels, K]
    K = kernel.shape[1]
    padded = np.concatenate([np.zeros((K - 1, channels), F32), x], axis=0)
    out = sum(padded[k:k + T] * kernel[:, k] for k in range(K)).astype(F32)
    return out + w[p + "conv1d.bias"] if use_bias else out


def mamba_mixer(spec, w, p, x):
    """MambaMixer.slow_forward / FalconMambaMixer.slow_forward without a cache, x: [T, hidden] -> [T, hidden]."""
    T = x.shape[0]
    projected = linear(x, w, p + "in_proj", spec.use_bias)
    xs, gate = projected[:, :spec.inner], projected[:, spec.inner:]
    xs = silu(causal_conv(xs, w, p, spec.use_conv_bias))
    params = linear(xs, w, p + "x_proj")
    time_step, B, C = np.split(params, [spec.rank, spec.rank + spec.state], axis=-1)
    if spec.falcon:  # FalconMambaMixer.slow_forward: rms_forward on B, C and time_step, no weight
        B, C = rms_norm(B, None, spec.mixer_eps), rms_norm(C, None, spec.mixer_eps)
        time_step = rms_norm(time_step, None, spec.mixer_eps)
    dt = softplus(linear(time_step, w, p + "dt_proj", bias=True))  # [T, inner]
    A = -np.exp(w[p + "A_log"])  # [inner, N]
    dA = np.exp(A[None] * dt[:, :, None])  # [T, inner, N]
    dBu = (dt[:, :, None] * B[:, None, :]) * xs[:, :, None]
    state = np.zeros((spec.inner, spec.state), F32)
    ys = np.empty((T, spec.inner), F32)
    for t in range(T):
        state = dA[t] * state + dBu[t]
        ys[t] = state @ C[t]
    ys = (ys + xs * w[p + "D"]) * silu(gate)
    return linear(ys, w, p + "out_proj", spec.use_bias)


def backbone_forward(w, ids, layers, eps, mixer):
    """MambaModel.forward / MambaBlock.forward (Mamba2 alike): residual + mixer(norm(residual)) per layer, [L][T, d]."""
    h = w["backbone.embeddings.weight"][np.asarray(ids)]
    out = []
    for layer in range(layers):
        p = f"backbone.layers.{layer}."
        h = h + mixer(p + "mixer.", rms_norm(h, w[p + "norm.weight"], eps))
        out.append(h)
    return out


def mamba_head(spec, w):
    lm_head = w["backbone.embeddings.weight"] if spec.tied else w["lm_head.weight"]
    return lambda h: rms_norm(h, w["backbone.norm_f.weight"], spec.eps) @ lm_head.T


def mamba2_mixer(cfg, w, p, x):
    """Mamba2Mixer (validation only: the shared tiny-codestral reference checks the conv, softplus, discretised
    scan, D skip and SiLU gating that Mamba-1 shares). in_proj -> z, xBC, dt; conv + SiLU on xBC; per head
    state = exp(dt*A)*state + dt*x B; y = state.C + D*x; RMS norm of y*SiLU(z) per group (as ../shared/README.md
    says the reference was made); out_proj."""
    T = x.shape[0]
    heads, groups, N = cfg["num_heads"], cfg["n_groups"], cfg["state_size"]
    inner = int(cfg["expand"] * cfg["hidden_size"])
    P = inner // heads
    projected = linear(x, w, p + "in_proj")
    z, xbc, dt = np.split(projected, [inner, 2 * inner + 2 * groups * N], axis=-1)
    xbc = silu(causal_conv(xbc, w, p, cfg.get("use_conv_bias", True)))
    xs, B, C = np.split(xbc, [inner, inner + groups * N], axis=-1)
    B, C = B.reshape(T, groups, N), C.reshape(T, groups, N)
    group_of_head = np.arange(heads) // (heads // groups)
    dt = softplus(dt + w[p + "dt_bias"])  # time_step_limit (0, inf) changes nothing
    A = -np.exp(w[p + "A_log"])
    xh = xs.reshape(T, heads, P)
    state = np.zeros((heads, P, N), F32)
    ys = np.empty((T, heads, P), F32)
    for t in range(T):
        Bt, Ct = B[t][group_of_head], C[t][group_of_head]  # [heads, N]
        state = np.exp(dt[t] * A)[:, None, None] * state + (dt[t][:, None, None] * xh[t][:, :, None]) * Bt[:, None]
        ys[t] = (state @ Ct[:, :, None])[:, :, 0]
    ys = (ys + xh * w[p + "D"][:, None]).reshape(T, inner) * silu(z)
    normed = rms_norm(ys.reshape(T, groups, inner // groups), None, cfg["layer_norm_epsilon"]).reshape(T, inner)
    return linear(w[p + "norm.weight"] * normed, w, p + "out_proj")


def numpy_runner(folder):
    """run(ids) -> (hidden [L][T, d], lens logits [L][T, V]) from the numpy restatement."""
    cfg = json.load(open(os.path.join(folder, "config.json")))
    w = read_model_weights(folder)
    kind = cfg["model_type"]
    if kind in ("llama", "mistral", "qwen2"):
        spec = TransformerSpec(cfg)
        forward, head = (lambda ids: transformer_forward(spec, w, ids)), transformer_head(spec, w)
    elif kind in ("mamba", "falcon_mamba", "mamba2"):  # mamba2: validation only (Mamba2Config is untied by default)
        spec = MambaSpec(dict(cfg, tie_word_embeddings=cfg.get("tie_word_embeddings", kind != "mamba2")))
        mixer = (lambda p, x: mamba2_mixer(cfg, w, p, x)) if kind == "mamba2" else (
            lambda p, x: mamba_mixer(spec, w, p, x))
        forward, head = (lambda ids: backbone_forward(w, ids, spec.layers, spec.eps, mixer)), mamba_head(spec, w)
    else:
        raise SystemExit(f"{folder}: model_type {kind!r} is not restated here")

    def run(ids):
        hidden = forward(ids)
        return hidden, [head(h) for h in hidden]
    return run


# ---------------------------------------------------------------- transformers backend

def transformers_runner(folder):
    import torch
    import transformers
    model = transformers.AutoModelForCausalLM.from_pretrained(
        folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
    base = model.model if hasattr(model, "model") else model.backbone
    final_norm = base.norm if hasattr(base, "norm") else base.norm_f

    def run(ids):
        captured = []
        hooks = [layer.register_forward_hook(
            lambda module, args, output: captured.append(output[0] if isinstance(output, tuple) else output))
            for layer in base.layers]
        with torch.no_grad():
            model(torch.tensor([ids]), use_cache=False)
            lens = [model.lm_head(final_norm(h)).float()[0].numpy() for h in captured]
        for hook in hooks:
            hook.remove()
        return [h[0].float().numpy() for h in captured], lens

    def cached_greedy(ids, n):
        with torch.no_grad():
            out = model.generate(torch.tensor([ids]), max_new_tokens=n, do_sample=False, use_cache=True)
        return out[0, len(ids):].tolist()
    run.cached_greedy = cached_greedy
    run.versions = f"transformers {transformers.__version__}, torch {torch.__version__}"
    return run


# ---------------------------------------------------------------- the references (shared by both backends)

def log_softmax(logits):
    z = logits.astype(np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def lens_summary(lens_logits):
    """[L][T, V] logits -> top-5 ids, their log-probs and the entropy per layer and position."""
    ids, logprobs, entropy = [], [], []
    for logits in lens_logits:
        lp = log_softmax(logits)
        top = np.argsort(-lp, axis=-1, kind="stable")[:, :5]
        ids.append(top)
        logprobs.append(np.take_along_axis(lp, top, axis=-1))
        entropy.append(-(np.exp(lp) * lp).sum(axis=-1))
    return np.array(ids, np.int32), np.array(logprobs, F32), np.array(entropy, F32)


def greedy(run, prompt, n):
    """Greedy continuation, recomputing the whole sequence at each step; also the top1-top2 gap of each step."""
    ids, gaps = list(prompt), []
    for _ in range(n):
        _, lens = run(ids)
        lp = np.sort(log_softmax(lens[-1][-1]))[::-1]
        gaps.append(lp[0] - lp[1])
        ids.append(int(np.argmax(lens[-1][-1])))
    return ids[len(prompt):], gaps


def make_prompts(spec):
    """The five lens prompts and a generator of candidate generation prompts, all from one seeded RNG."""
    rng = np.random.default_rng(spec["seed"] + 1)
    bos = [spec["bos"]] if spec.get("bos") is not None else []
    prompts = [bos + rng.integers(0, 1000, n - len(bos)).tolist() for n in PROMPT_LENGTHS]

    def candidates():
        while True:
            yield bos + rng.integers(0, 1000, GEN_PROMPT - len(bos)).tolist()
    return prompts, candidates()


def clear_generations(run, candidates):
    """The first GENERATIONS candidate prompts whose greedy continuation has a top1-top2 gap above
    GREEDY_GAP_MIN at every step, so that fp32 rounding differences between engines cannot change a token."""
    chosen, draws = [], 0
    for prompt in candidates:
        draws += 1
        if draws > 200:
            raise SystemExit("no clear greedy continuation in 200 draws: the model is too close to ties")
        out, gaps = greedy(run, prompt, GEN_NEW)
        if min(gaps) > GREEDY_GAP_MIN:
            chosen.append((prompt, out, float(min(gaps)), draws))
            if len(chosen) == GENERATIONS:
                return chosen


def record(run, spec, backend):
    """The reference tensors + metadata, and the top1-top2 gaps (for the report)."""
    prompts, candidates = make_prompts(spec)
    tensors, gaps = {}, []
    for i, ids in enumerate(prompts):
        hidden, lens = run(ids)
        top_ids, top_lp, entropy = lens_summary(lens)
        p = f"p{i}."
        tensors[p + "input_ids"] = ("I32", np.array(ids, np.int32))
        tensors[p + "layer_top5_ids"] = ("I32", top_ids)
        tensors[p + "layer_top5_logprobs"] = ("F32", top_lp)
        tensors[p + "layer_entropy"] = ("F32", entropy)
        if i < 2:
            tensors[p + "hidden_states"] = ("F32", np.array([h[:HIDDEN_POSITIONS] for h in hidden], F32))
            tensors[p + "final_logits"] = ("F32", np.array(lens[-1][:HIDDEN_POSITIONS], F32))
        gaps.append((top_lp[:, :, 0] - top_lp[:, :, 1]).ravel())
    about = {"kind": spec["name"], "prompts": [{"name": f"random{i}", "len": len(p)} for i, p in enumerate(prompts)],
             "generations": []}
    for g, (prompt, out, min_gap, draws) in enumerate(clear_generations(run, candidates)):
        tensors[f"g{g}.prompt_ids"] = ("I32", np.array(prompt, np.int32))
        tensors[f"g{g}.greedy_ids"] = ("I32", np.array(out, np.int32))
        entry = {"prompt_ids": prompt, "greedy_ids": out, "min_step_gap": min_gap, "candidate": draws}
        if hasattr(run, "cached_greedy"):  # generate() with the cache; it may stop early at an eos token
            cached = run.cached_greedy(prompt, GEN_NEW)
            entry["cached_agrees"] = cached == out[:len(cached)]
        about["generations"].append(entry)
        gaps.append(np.array([min_gap]))
    about["prompt_source"] = f"numpy default_rng({spec['seed'] + 1}) token ids in 0..999" + (
        f", BOS {spec['bos']} first" if spec.get("bos") is not None else "") + (
        f"; generation prompts: the first candidates whose greedy steps all have a top1-top2 gap > {GREEDY_GAP_MIN}")
    metadata = {"about": json.dumps(about), "backend": backend}
    return tensors, metadata, np.concatenate(gaps)


# ---------------------------------------------------------------- the small models

def normal(rng, shape, std):
    return (rng.standard_normal(shape) * std).astype(F32)


# Embeddings and lm_head: std 0.3 (HF initialises with 0.02): with a unit-RMS normed state the logits spread with
# std ~2.4, so few top1-top2 gaps are below 1e-2, yet the distributions are not one-hot and the exit head's top-1
# still changes from layer to layer. Tied models: the token embedding does not drown the layers' contributions.
EMBEDDING_STD = 0.3


def transformer_weights(cfg, rng):
    """Scaled initialisation: fan-in scaled projections (q/k a bit larger so attention is not uniform), biases
    of std 0.5 for Qwen2, norm weights around 1."""
    d, heads, kv, inter = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg[
        "intermediate_size"]
    hd = cfg.get("head_dim") or d // heads
    qwen = cfg["model_type"] == "qwen2"
    w = {"model.embed_tokens.weight": normal(rng, (cfg["vocab_size"], d), EMBEDDING_STD),
         "model.norm.weight": (1.0 + normal(rng, (d,), 0.1))}
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(rng, (cfg["vocab_size"], d), EMBEDDING_STD)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        w[p + "input_layernorm.weight"] = 1.0 + normal(rng, (d,), 0.1)
        w[p + "post_attention_layernorm.weight"] = 1.0 + normal(rng, (d,), 0.1)
        for name, rows in (("q_proj", heads * hd), ("k_proj", kv * hd), ("v_proj", kv * hd)):
            w[p + f"self_attn.{name}.weight"] = normal(rng, (rows, d), 1.5 / math.sqrt(d))
            if qwen:
                w[p + f"self_attn.{name}.bias"] = normal(rng, (rows,), 0.5)
        w[p + "self_attn.o_proj.weight"] = normal(rng, (d, heads * hd), 1.0 / math.sqrt(heads * hd))
        w[p + "mlp.gate_proj.weight"] = normal(rng, (inter, d), 1.0 / math.sqrt(d))
        w[p + "mlp.up_proj.weight"] = normal(rng, (inter, d), 1.0 / math.sqrt(d))
        w[p + "mlp.down_proj.weight"] = normal(rng, (d, inter), 1.0 / math.sqrt(inter))
    return w


def mamba_weights(cfg, rng):
    """Scaled initialisation in the spirit of MambaPreTrainedModel._init_weights (A_log = log(1..N), D = 1,
    dt bias = softplus^-1 of dt in [time_step_min, time_step_max]) with larger embeddings and projections."""
    d, inner, n, k, r = (cfg["hidden_size"], cfg["intermediate_size"], cfg["state_size"], cfg["conv_kernel"],
                         cfg["time_step_rank"])
    w = {"backbone.embeddings.weight": normal(rng, (cfg["vocab_size"], d), EMBEDDING_STD),
         "backbone.norm_f.weight": 1.0 + normal(rng, (d,), 0.1)}
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(rng, (cfg["vocab_size"], d), EMBEDDING_STD)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"backbone.layers.{layer}."
        w[p + "norm.weight"] = 1.0 + normal(rng, (d,), 0.1)
        w[p + "mixer.in_proj.weight"] = normal(rng, (2 * inner, d), 1.0 / math.sqrt(d))
        w[p + "mixer.conv1d.weight"] = rng.uniform(-0.8, 0.8, (inner, 1, k)).astype(F32)
        w[p + "mixer.conv1d.bias"] = normal(rng, (inner,), 0.2)
        w[p + "mixer.x_proj.weight"] = normal(rng, (r + 2 * n, inner), 1.0 / math.sqrt(inner))
        w[p + "mixer.dt_proj.weight"] = rng.uniform(-1, 1, (inner, r)).astype(F32) * F32(r ** -0.5)
        dt = np.exp(rng.uniform(math.log(cfg["time_step_min"]), math.log(cfg["time_step_max"]), inner))
        w[p + "mixer.dt_proj.bias"] = (dt + np.log(-np.expm1(-dt))).astype(F32)
        w[p + "mixer.A_log"] = np.log(np.tile(np.arange(1, n + 1, dtype=F32), (inner, 1)))
        w[p + "mixer.D"] = 1.0 + normal(rng, (inner,), 0.1)
        w[p + "mixer.out_proj.weight"] = normal(rng, (d, inner), 1.0 / math.sqrt(inner))
    return w


def llama3_config():
    return {
        "architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": 1000, "eos_token_id": 1001, "head_dim": 16, "hidden_act": "silu", "hidden_size": 64,
        "initializer_range": 0.02, "intermediate_size": 128, "max_position_embeddings": 512, "mlp_bias": False,
        "model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": 5, "num_key_value_heads": 2,
        "pretraining_tp": 1, "rms_norm_eps": 1e-05,
        "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                         "original_max_position_embeddings": 64, "rope_type": "llama3"},
        "rope_theta": 500000.0, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
        "transformers_version": "4.45.0", "use_cache": True, "vocab_size": 1024}


def qwen2_config():
    return {
        "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1000,
        "eos_token_id": 1000, "hidden_act": "silu", "hidden_size": 64, "initializer_range": 0.02,
        "intermediate_size": 128, "max_position_embeddings": 1024, "max_window_layers": 2, "model_type": "qwen2",
        "num_attention_heads": 4, "num_hidden_layers": 5, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
        "rope_scaling": None, "rope_theta": 1000000.0, "sliding_window": 32, "tie_word_embeddings": False,
        "torch_dtype": "bfloat16", "transformers_version": "4.43.1", "use_cache": True, "use_sliding_window": True,
        "vocab_size": 1024}


def mamba_config(falcon):
    cfg = {
        "architectures": ["FalconMambaForCausalLM" if falcon else "MambaForCausalLM"], "bos_token_id": 1000,
        "conv_kernel": 4, "eos_token_id": 1000, "expand": 2, "hidden_act": "silu", "hidden_size": 64,
        "initializer_range": 0.1, "intermediate_size": 128, "layer_norm_epsilon": 1e-05,
        "model_type": "falcon_mamba" if falcon else "mamba", "num_hidden_layers": 4, "pad_token_id": 1001,
        "rescale_prenorm_residual": False, "residual_in_fp32": True, "state_size": 16, "time_step_floor": 0.0001,
        "time_step_init_scheme": "random", "time_step_max": 0.1, "time_step_min": 0.001, "time_step_rank": 8,
        "time_step_scale": 1.0, "torch_dtype": "bfloat16", "transformers_version": "4.45.0", "use_bias": False,
        "use_cache": True, "use_conv_bias": True, "use_mambapy": False, "vocab_size": 1024}
    if falcon:  # the Falcon tokenizer's ids: >>TITLE<< first (id 0 in the real one), <|endoftext|> at 11 there
        cfg.update({"mixer_rms_eps": 1e-06, "tie_word_embeddings": False, "eos_token_id": 1011, "pad_token_id": 1011})
    else:
        cfg.update({"tie_word_embeddings": True})
    return cfg


# name -> config, weight maker, RNG seed, BOS put before the prompts (llama3's tokenizer adds one; Qwen2 and
# GPT-NeoX tokenizers add none), the family's tokenizer (tests/data/tokenizers, made by make_tokenizers.js)
MODELS = {
    "tiny-mamba": {"config": lambda: mamba_config(False), "weights": mamba_weights, "seed": 19001, "bos": None,
                   "tokenizer": "gpt-neox"},
    "tiny-llama3": {"config": llama3_config, "weights": transformer_weights, "seed": 19002, "bos": 1000,
                    "tokenizer": "llama3"},
    "tiny-qwen2": {"config": qwen2_config, "weights": transformer_weights, "seed": 19003, "bos": None,
                   "tokenizer": "qwen2"},
    "tiny-falcon-mamba": {"config": lambda: mamba_config(True), "weights": mamba_weights, "seed": 19004,
                          "bos": None, "tokenizer": "falcon"},
}
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def write_model(name, folder):
    spec = MODELS[name]
    cfg = spec["config"]()
    weights = spec["weights"](cfg, np.random.default_rng(spec["seed"]))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model.safetensors"),
                      {k: ("BF16", bf16_round(v)) for k, v in weights.items()}, {"format": "pt"})
    for file in TOKENIZER_FILES:  # so that the folder is a whole model: record, generate and the window use it
        shutil.copyfile(os.path.join(HERE, "tokenizers", spec["tokenizer"], file), os.path.join(folder, file))


# ---------------------------------------------------------------- validation and comparison

def validate_against_shared():
    """The numpy restatement against the transformers-made references of ../shared: tiny-mistral checks the
    transformer path, tiny-codestral (Mamba2) the conv/scan machinery Mamba-1 shares."""
    failures = 0
    for name in ("tiny-mistral", "tiny-codestral"):
        print(name)
        failures += validate_one(name)
    return 1 if failures else 0


def validate_one(name):
    folder = os.path.join(SHARED, "fixtures", "models", name)
    ref, _ = read_safetensors(os.path.join(SHARED, "fixtures", "references", name + ".reference.safetensors"))
    run = numpy_runner(folder)
    worst = {"hidden_rel": 0.0, "logits": 0.0, "logprob": 0.0, "entropy": 0.0, "top1_mismatch": 0}
    i = 0
    while f"p{i}.input_ids" in ref:
        p = f"p{i}."
        hidden, lens = run(ref[p + "input_ids"].tolist())
        top_ids, top_lp, entropy = lens_summary(lens)
        gap = ref[p + "layer_top5_logprobs"][..., 0] - ref[p + "layer_top5_logprobs"][..., 1]
        mismatch = int(((top_ids[..., 0] != ref[p + "layer_top5_ids"][..., 0]) & (gap > 1e-3)).sum())
        line = {"logprob": float(np.abs(top_lp - ref[p + "layer_top5_logprobs"]).max()),
                "entropy": float(np.abs(entropy - ref[p + "layer_entropy"]).max()), "top1_mismatch": mismatch}
        if p + "hidden_states" in ref:
            want = ref[p + "hidden_states"]
            got = np.array([h[:want.shape[1]] for h in hidden])
            line["hidden_rel"] = float(np.abs(got - want).max() / np.abs(want).max())
            line["logits"] = float(np.abs(lens[-1][:want.shape[1]] - ref[p + "final_logits"]).max())
        print(f"  p{i} ({len(ref[p + 'input_ids'])} tokens): " + ", ".join(f"{k} {v:.3g}" for k, v in line.items()))
        for k, v in line.items():
            worst[k] = max(worst[k], v)
        i += 1
    agree = g = 0
    while f"g{g}.prompt_ids" in ref:
        out, _ = greedy(run, ref[f"g{g}.prompt_ids"].tolist(), len(ref[f"g{g}.greedy_ids"]))
        agree += out == ref[f"g{g}.greedy_ids"].tolist()
        g += 1
    print(f"  worst: hidden rel {worst['hidden_rel']:.3g} (tol 1e-3), final logits {worst['logits']:.3g} (tol 1e-3), "
          f"top-5 log-probs {worst['logprob']:.3g} (tol 2e-3), entropy {worst['entropy']:.3g}, "
          f"top-1 mismatches with gap > 1e-3: {worst['top1_mismatch']}, greedy generations equal: {agree}/{g}")
    ok = (worst["hidden_rel"] <= 1e-3 and worst["logits"] <= 1e-3 and worst["logprob"] <= 2e-3
          and worst["top1_mismatch"] == 0 and agree == g)
    print("  VALID" if ok else "  NOT VALID")
    return 0 if ok else 1


def compare(path_a, path_b):
    a, _ = read_safetensors(path_a)
    b, _ = read_safetensors(path_b)
    if sorted(a) != sorted(b):
        print("different tensor names:", sorted(set(a) ^ set(b)))
        return 1
    for name in sorted(a):
        if a[name].shape != b[name].shape:
            print(f"{name}: shapes {a[name].shape} vs {b[name].shape}")
        elif a[name].dtype.kind == "i":
            print(f"{name}: {int((a[name] != b[name]).sum())} of {a[name].size} ids differ")
        else:
            diff = float(np.abs(a[name] - b[name]).max())
            rel = diff / max(float(np.abs(a[name]).max()), 1e-30)
            print(f"{name}: max |diff| {diff:.3g} (relative to max |A| {rel:.3g})")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["numpy", "transformers"], default="numpy")
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--models-dir", default=os.path.join(HERE, "models"))
    parser.add_argument("--references-dir", default=os.path.join(HERE, "references"))
    parser.add_argument("--keep-models", action="store_true",
                        help="use the model folders as they are (the transformers backend always does)")
    parser.add_argument("--validate-against-shared", action="store_true")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.validate_against_shared:
        return validate_against_shared()
    for name in args.models:
        folder = os.path.join(args.models_dir, name)
        if args.backend == "numpy":
            if not args.keep_models:
                write_model(name, folder)
            run = numpy_runner(folder)
            backend = "numpy fp32 restatement of transformers (tests/data/make_references.py); " + SOURCE_COMMITS
        else:
            run = transformers_runner(folder)
            backend = run.versions + ", float32, eager attention"
        tensors, metadata, gaps = record(run, dict(MODELS[name], name=name), backend)
        path = os.path.join(args.references_dir, name + ".reference.safetensors")
        write_safetensors(path, tensors, metadata)
        print(f"{name}: wrote {path}; top1-top2 log-prob gaps: min {gaps.min():.3g}, median {np.median(gaps):.3g}, "
              f"{(gaps < 1e-2).mean() * 100:.2f}% below 1e-2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
