#!/usr/bin/python3
"""Creates a tiny random GPT-2 in Hugging Face layout: config.json, model.safetensors, tokenizer.json.

Usage: /usr/bin/python3 scripts/hf_reference/make_tiny_gpt2.py OUT_DIR [--seed 1234]

Needs only Debian's python3-torch and numpy (no transformers, no safetensors package). The layout copies the
original `gpt2` files on the Hugging Face hub: tensor names without the "transformer." prefix, the causal-mask buffers
h.N.attn.bias / h.N.attn.masked_bias stored next to the weights, no lm_head.weight (tied to wte), GPT-2's
config.json keys, and a GPT-2-style byte-level BPE tokenizer.json. Weights are drawn with larger spread than GPT-2's
init (std 0.3, random LayerNorm gains and biases) so that any mis-mapped tensor changes the logits visibly.
"""
import argparse
import collections
import json
import os
import re

import torch

import safetensors_io

N_EMBD, N_LAYER, N_HEAD, N_POSITIONS, MERGES = 16, 2, 2, 16, 12

# Trains the merges; any small English text works.
TRAINING_TEXT = ("the cat sat on the mat. the dog ate the bone. then the cat and the dog slept in the sun. "
                 "there is another thing: the end.")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map (openai/gpt-2 encoder.py)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return bs, [chr(c) for c in cs]


def train_merges(text, count, byte_chars):
    """Plain BPE: repeatedly merge the most frequent adjacent pair (ties: first seen) within pre-tokenized words."""
    words = re.findall(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+", text)
    sequences = [[byte_chars[b] for b in w.encode("utf-8")] for w in words]
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for seq in sequences:
            for a, b in zip(seq, seq[1:]):
                pairs[(a, b)] += 1
        best = max(pairs.items(), key=lambda item: item[1])[0]
        merges.append(best)
        merged = []
        for seq in sequences:
            out, i = [], 0
            while i < len(seq):
                if i + 1 < len(seq) and (seq[i], seq[i + 1]) == best:
                    out.append(seq[i] + seq[i + 1])
                    i += 2
                else:
                    out.append(seq[i])
                    i += 1
            merged.append(out)
        sequences = merged
    return merges


def tokenizer_json(merges, vocab_chars):
    vocab = {c: i for i, c in enumerate(vocab_chars)}
    for a, b in merges:
        vocab[a + b] = len(vocab)
    eot = len(vocab)
    vocab["<|endoftext|>"] = eot
    level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": eot, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": level,
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": [a + " " + b for a, b in merges]},
    }, eot


def weights(vocab_size, generator):
    def normal(*shape, std=0.3):
        return torch.randn(*shape, generator=generator) * std

    d = N_EMBD
    t = collections.OrderedDict()
    t["wte.weight"] = normal(vocab_size, d)
    t["wpe.weight"] = normal(N_POSITIONS, d, std=0.1)
    for n in range(N_LAYER):
        h = f"h.{n}."
        t[h + "ln_1.weight"] = 1 + normal(d, std=0.1)
        t[h + "ln_1.bias"] = normal(d, std=0.1)
        t[h + "attn.bias"] = torch.tril(torch.ones(N_POSITIONS, N_POSITIONS)).view(1, 1, N_POSITIONS, N_POSITIONS)
        t[h + "attn.masked_bias"] = torch.tensor(-1e4)
        t[h + "attn.c_attn.weight"] = normal(d, 3 * d)
        t[h + "attn.c_attn.bias"] = normal(3 * d, std=0.1)
        t[h + "attn.c_proj.weight"] = normal(d, d)
        t[h + "attn.c_proj.bias"] = normal(d, std=0.1)
        t[h + "ln_2.weight"] = 1 + normal(d, std=0.1)
        t[h + "ln_2.bias"] = normal(d, std=0.1)
        t[h + "mlp.c_fc.weight"] = normal(d, 4 * d)
        t[h + "mlp.c_fc.bias"] = normal(4 * d, std=0.1)
        t[h + "mlp.c_proj.weight"] = normal(4 * d, d, std=0.15)
        t[h + "mlp.c_proj.bias"] = normal(d, std=0.1)
    t["ln_f.weight"] = 1 + normal(d, std=0.1)
    t["ln_f.bias"] = normal(d, std=0.1)
    return t


def config_json(vocab_size, eot):
    return {
        "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
        "bos_token_id": eot, "embd_pdrop": 0.1, "eos_token_id": eot, "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": N_POSITIONS, "n_embd": N_EMBD,
        "n_head": N_HEAD, "n_layer": N_LAYER, "n_positions": N_POSITIONS, "resid_pdrop": 0.1,
        "summary_activation": None, "summary_first_dropout": 0.1, "summary_proj_to_labels": True,
        "summary_type": "cls_index", "summary_use_proj": True,
        "task_specific_params": {"text-generation": {"do_sample": True, "max_length": 16}},
        "vocab_size": vocab_size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    bs, chars = bytes_to_unicode()
    byte_chars = dict(zip(bs, chars))
    merges = train_merges(TRAINING_TEXT, MERGES, byte_chars)
    tokenizer, eot = tokenizer_json(merges, chars)
    vocab_size = eot + 1
    generator = torch.Generator().manual_seed(args.seed)
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config_json(vocab_size, eot), f, indent=2, sort_keys=True)
        f.write("\n")
    safetensors_io.write(os.path.join(args.out, "model.safetensors"), weights(vocab_size, generator),
                         {"format": "pt"})
    print(f"wrote {args.out}: vocab {vocab_size} ({MERGES} merges), d={N_EMBD}, layers={N_LAYER}, "
          f"heads={N_HEAD}, positions={N_POSITIONS}")


if __name__ == "__main__":
    main()
