#!/usr/bin/env python3
"""Tiny random Llama-architecture decoders with their tokenizers, in Hugging Face layout, and transformers' outputs.

Usage: /work/venv/bin/python scripts/hf_reference/make_tiny_llama.py OUT_DIR [--seed 1234]

Needs torch, transformers (5.x) and tokenizers. Writes, under OUT_DIR (the committed copy is
workbench/src/test/resources/hf/llama/):

  llama/    model_type llama, Llama 3 style: byte-level BPE with a TemplateProcessing post-processor adding
            <|begin_of_text|>, rope_scaling llama3, grouped-query attention, untied lm_head,
            attention_bias and mlp_bias on; weights stored as BF16
  mistral/  model_type mistral, Llama 2 / Mistral style: SentencePiece-like BPE with byte fallback and a Metaspace
            pre-tokenizer (transformers' LlamaTokenizer, add_bos_token), rope_scaling linear, untied, sliding_window
            equal to the context (so it never applies); weights stored as F16
  qwen2/    model_type qwen2, Qwen2.5 style: Qwen2Tokenizer (NFC, Qwen's split regex, byte-level), q/k/v biases,
            tied embeddings, config vocab_size larger than the tokenizer's (as Qwen pads it); F32 weights in
            several shards with model.safetensors.index.json
  qwen3/    model_type qwen3: q/k RMSNorm, head_dim given and different from hidden_size / heads, tied; BF16
  unigram/  a Unigram tokenizer (Metaspace) alone, for the tokenizer test

and OUT_DIR/<name>-expected.json with what transformers computes on the stored weights (read back in float32):
token ids of a few texts (with and without special tokens) and their decoding, the logits of one text, the
log-probabilities of its tokens, and greedy generations with and without transformers' KV cache (the script checks
they agree). Weights are drawn with a larger spread than the usual init (std 0.25, norm gains around 1, biases 0.1)
so that a mis-mapped tensor changes the logits visibly. Seeded: the same versions rewrite the same files.
"""
import argparse
import json
import math
import os
import platform

import tokenizers
import torch
import transformers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM, LlamaTokenizer,
                          MistralConfig, MistralForCausalLM, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM,
                          Qwen2Tokenizer, Qwen3Config, Qwen3ForCausalLM)

CORPUS = [
    "The patient reports a mild headache and some dizziness after the new medication.",
    "Treatment for the infection started on Monday; the fever went down by Wednesday.",
    "Customer service: my order number 12345 has not arrived, can you check the delivery?",
    "Il a dit: « la réunion est à 10h30 », puis il est parti. Straße, naïve café, 東京 👋",
    "def score(x):\n    return x * 2  # tabs\tand  double  spaces",
]
TEXTS = [
    "The patient reports a mild headache.",
    "  leading spaces, then\nnew lines\tand tabs",
    "naïve café 東京 👋 12345",
    "",
]
LOGIT_TEXT = "Treatment for the fever."
PROMPT = "The patient"
LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                r"\s*[\r\n]+|\s+(?!\S)|\s+")


def byte_level_bpe(vocab_size, split_pattern):
    """Trains a byte-level BPE (Llama 3 / Qwen pre-tokenization) on CORPUS; returns the tokenizers.Tokenizer."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(split_pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer)
    return tok


def vocab_and_merges(tok):
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    return model["vocab"], merges


def llama3_tokenizer():
    tok = byte_level_bpe(300, LLAMA3_SPLIT)
    tok.add_special_tokens(["<|begin_of_text|>", "<|end_of_text|>"])
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.TemplateProcessing(
        single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B:1",
        special_tokens=[("<|begin_of_text|>", bos)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|end_of_text|>")


def qwen_tokenizer():
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX
    vocab, merges = vocab_and_merges(byte_level_bpe(290, PRETOKENIZE_REGEX))
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=merges)
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    return tokenizer


def sentencepiece_bpe_tokenizer():
    """Llama 2 / Mistral style: <unk> <s> </s>, the 256 byte-fallback tokens <0x00>..<0xFF>, then learned pieces."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    specials = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
    trainer = trainers.BpeTrainer(vocab_size=340, special_tokens=specials, show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer)
    vocab, merges = vocab_and_merges(tok)
    return LlamaTokenizer(vocab=vocab, merges=merges, add_bos_token=True, add_eos_token=False)


def unigram_tokenizer():
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=120, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>",
                                      show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B:1 </s>:1", special_tokens=[("</s>", tok.token_to_id("</s>"))])
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="</s>", pad_token="<pad>", unk_token="<unk>")


def randomize(model, generator):
    """Larger spread than the usual init, so that a mis-mapped tensor shows in the logits."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight") or "layernorm" in name:
                parameter.copy_(1 + 0.2 * torch.randn(parameter.shape, generator=generator))
            elif name.endswith(".bias"):
                parameter.copy_(0.1 * torch.randn(parameter.shape, generator=generator))
            else:
                parameter.copy_(0.25 * torch.randn(parameter.shape, generator=generator))


def variants(seed):
    """name -> (tokenizer, model) of each fixture."""
    common = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5)
    out = {}

    tok = llama3_tokenizer()
    config = LlamaConfig(vocab_size=len(tok), tie_word_embeddings=False, attention_bias=True, mlp_bias=True,
                         bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                                          # wavelengths 6.3, 63, 628, 6283 at head_dim 8: one high, one medium
                                          # (blended) and two low (divided) frequencies
                                          "low_freq_factor": 0.5, "high_freq_factor": 4.0,
                                          "original_max_position_embeddings": 32}, **common)
    out["llama"] = (tok, LlamaForCausalLM(config), torch.bfloat16, None)

    tok = sentencepiece_bpe_tokenizer()
    config = MistralConfig(vocab_size=len(tok), tie_word_embeddings=False, sliding_window=64, head_dim=8,
                           bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                           rope_parameters={"rope_type": "linear", "rope_theta": 10000.0, "factor": 2.0}, **common)
    out["mistral"] = (tok, MistralForCausalLM(config), torch.float16, None)

    tok = qwen_tokenizer()
    config = Qwen2Config(vocab_size=len(tok) + 6, tie_word_embeddings=True, use_sliding_window=False,
                         eos_token_id=tok.eos_token_id, rope_parameters={"rope_type": "default",
                                                                         "rope_theta": 1000000.0}, **common)
    out["qwen2"] = (tok, Qwen2ForCausalLM(config), torch.float32, "20KB")

    tok = qwen_tokenizer()
    config = Qwen3Config(vocab_size=len(tok), tie_word_embeddings=True, head_dim=16, attention_bias=False,
                         eos_token_id=tok.eos_token_id, rope_parameters={"rope_type": "default",
                                                                         "rope_theta": 1000000.0}, **common)
    out["qwen3"] = (tok, Qwen3ForCausalLM(config), torch.bfloat16, None)

    generator = torch.Generator().manual_seed(seed)
    for name in out:
        randomize(out[name][1], generator)
    return out


def rounded(values):
    return [float("%.7g" % v) for v in values]


def dump(value, indent=0):
    """JSON with one key per line but every list of numbers on one line: readable diffs, small files."""
    pad = " " * indent
    if isinstance(value, dict):
        items = [pad + " " + json.dumps(k, ensure_ascii=False) + ": " + dump(v, indent + 1).lstrip()
                 for k, v in value.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return pad + "[\n" + ",\n".join(dump(v, indent + 1) for v in value) + "\n" + pad + "]"
    return pad + json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def tokenizer_reference(tok):
    texts = []
    for text in TEXTS:
        ids = tok(text)["input_ids"]
        texts.append({"text": text, "ids": ids, "ids_plain": tok(text, add_special_tokens=False)["input_ids"],
                      "decoded_plain": tok.decode(tok(text, add_special_tokens=False)["input_ids"])})
    return {"class": type(tok).__name__, "vocab_size": len(tok), "bos_token_id": tok.bos_token_id,
            "eos_token_id": tok.eos_token_id, "texts": texts}


def model_reference(folder, tok):
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model.eval()
    ids = tok(LOGIT_TEXT)["input_ids"]
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].double()
        log_probs = torch.log_softmax(logits, dim=-1)
        per_token = [log_probs[t, ids[t + 1]].item() for t in range(len(ids) - 1)]
        prompt = tok(PROMPT)["input_ids"]
        cached = model.generate(torch.tensor([prompt]), max_new_tokens=10, do_sample=False, use_cache=True,
                                eos_token_id=tok.eos_token_id, pad_token_id=tok.eos_token_id)[0].tolist()
        uncached = model.generate(torch.tensor([prompt]), max_new_tokens=10, do_sample=False, use_cache=False,
                                  eos_token_id=tok.eos_token_id, pad_token_id=tok.eos_token_id)[0].tolist()
    if cached != uncached:
        raise SystemExit("transformers' greedy generation differs with and without its KV cache")
    new_tokens = cached[len(prompt):]
    if tok.eos_token_id in new_tokens:  # the workbench stops before end-of-text and does not return it
        new_tokens = new_tokens[:new_tokens.index(tok.eos_token_id)]
    return {"config_vocab_size": model.config.vocab_size,
            "logits": {"text": LOGIT_TEXT, "ids": ids, "values": [rounded(row) for row in logits.tolist()]},
            "log_probs": {"ids": ids, "per_token": rounded(per_token), "sum": float("%.10g" % math.fsum(per_token))},
            "greedy": {"prompt": prompt, "max_new_tokens": 10, "new_tokens": new_tokens}}


def set_keys(path, **keys):
    with open(path) as f:
        content = json.load(f)
    content.update(keys)
    with open(path, "w") as f:
        json.dump(content, f, indent=2, ensure_ascii=False)
        f.write("\n")


def versions():
    return {"torch": torch.__version__, "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__, "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for name, (tok, model, dtype, shard) in variants(args.seed).items():
        folder = os.path.join(args.out, name)
        model.to(dtype)
        if shard:
            model.save_pretrained(folder, max_shard_size=shard)
        else:
            model.save_pretrained(folder)
        tok.save_pretrained(folder)
        if name == "mistral":
            # as Llama 2 / Mistral folders on the hub have them (transformers 5 omits defaults): then transformers
            # rebuilds the post-processor from these flags, and so must the workbench
            set_keys(os.path.join(folder, "tokenizer_config.json"), add_bos_token=True, add_eos_token=False)
        for extra in ("generation_config.json", "chat_template.jinja", "special_tokens_map.json"):
            if os.path.exists(os.path.join(folder, extra)):
                os.remove(os.path.join(folder, extra))
        reloaded = AutoTokenizer.from_pretrained(folder)  # the reference is what a user's load gives
        expected = {"name": name, "dtype": str(dtype).replace("torch.", ""), "versions": versions(),
                    "tokenizer": tokenizer_reference(reloaded)}
        expected.update(model_reference(folder, reloaded))
        with open(os.path.join(args.out, name + "-expected.json"), "w") as f:
            f.write(dump(expected) + "\n")
        print(name, "ids", expected["tokenizer"]["texts"][0]["ids"][:8], "greedy", expected["greedy"]["new_tokens"])
    tok = unigram_tokenizer()
    folder = os.path.join(args.out, "unigram")
    tok.save_pretrained(folder)
    reloaded = AutoTokenizer.from_pretrained(folder)
    with open(os.path.join(args.out, "unigram-expected.json"), "w") as f:
        f.write(dump({"name": "unigram", "versions": versions(), "tokenizer": tokenizer_reference(reloaded)}) + "\n")


if __name__ == "__main__":
    main()
