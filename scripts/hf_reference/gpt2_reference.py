#!/usr/bin/python3
"""Reference GPT-2 forward pass in plain torch, written from OpenAI's published definition (gpt-2 src/model.py:
pre-LayerNorm blocks, fused q/k/v Conv1D "c_attn", causal softmax attention scaled by 1/sqrt(head_dim), MLP with the
tanh-approximated GELU, final LayerNorm, output projection tied to wte). No transformers library involved.

Usage: /usr/bin/python3 scripts/hf_reference/gpt2_reference.py MODEL_DIR [--out expected.json]

Reads MODEL_DIR/config.json and MODEL_DIR/model.safetensors (tensor names with or without the "transformer."
prefix), computes in float64 the logits of the fixed inputs below (each sequence on its own, no padding) and writes
{"inputs": [[ids...]...], "logits": [[[vocab floats] per position] per sequence], ...} as JSON.
"""
import argparse
import json
import math
import os
import sys

import torch

import safetensors_io

# Fixed inputs: two sequences of different lengths (ids below the tiny fixture's vocabulary of 269).
INPUTS = [[268, 101, 33, 7, 255, 0, 150, 260, 42, 268, 12, 200], [5, 5, 5, 264, 90]]


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased variance, as tf.nn.moments / torch LayerNorm
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def gelu(x, kind):
    if kind in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    if kind == "gelu":
        return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    raise SystemExit(f"unsupported activation_function {kind}")


def forward(w, cfg, ids):
    d, heads = cfg["n_embd"], cfg["n_head"]
    hd = d // heads
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = cfg.get("activation_function", "gelu_new")
    t = len(ids)
    h = w["wte.weight"][ids] + w["wpe.weight"][:t]                     # (T, D)
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for n in range(cfg["n_layer"]):
        p = f"h.{n}."
        a = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]  # Conv1D: x W + b, W is (in, out)
        q, k, v = qkv.split(d, dim=-1)
        q, k, v = (z.view(t, heads, hd).transpose(0, 1) for z in (q, k, v))  # (H, T, hd)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = scores.masked_fill(~causal, float("-inf"))
        y = torch.softmax(scores, dim=-1) @ v                           # (H, T, hd)
        y = y.transpose(0, 1).reshape(t, d)
        h = h + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        m = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu(m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], act)
        h = h + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    h = layer_norm(h, w["ln_f.weight"], w["ln_f.bias"], eps)
    return h @ w["wte.weight"].T                                          # tied output head


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    with open(os.path.join(args.model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    stored = safetensors_io.read(os.path.join(args.model_dir, "model.safetensors"))
    w = {(k[len("transformer."):] if k.startswith("transformer.") else k): v for k, v in stored.items()}
    if "lm_head.weight" in w and not torch.equal(w["lm_head.weight"], w["wte.weight"]):
        raise SystemExit("lm_head.weight is not tied to wte.weight")
    with torch.no_grad():
        logits = [forward(w, cfg, ids) for ids in INPUTS]
    result = {
        "generated_by": "scripts/hf_reference/gpt2_reference.py (float64, torch " + torch.__version__ + ")",
        "inputs": INPUTS,
        "logits": [[[float("%.8g" % x) for x in row] for row in seq.tolist()] for seq in logits],
    }
    text = json.dumps(result, separators=(",", ":")) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
