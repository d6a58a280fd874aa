#!/usr/bin/env python3
"""Creates tiny random BERT, RoBERTa and DistilBERT models in Hugging Face layout, with their tokenizers, and the
reference outputs the workbench's encoder must reproduce.

Usage: /work/venv/bin/python scripts/hf_reference/make_tiny_bert.py OUT_DIR [--seed 1234]

Needs torch, transformers and tokenizers (no downloads: the tokenizers are trained here on a few sentences). For each
model type it writes OUT_DIR/tiny-<type>/ (config.json, model.safetensors, tokenizer.json, tokenizer_config.json) and
OUT_DIR/tiny-<type>-expected.json (token ids of a few texts, right-padded as transformers pads them, the last hidden
states, the CLS-pooled and mean-pooled vectors), computed by transformers in float64.

The three folders differ the way published checkpoints do:
  tiny-bert        BertForSequenceClassification: "bert." prefix, pooler weights, a classifier head (not the
                   workbench's business: skipped), token types, exact GELU, WordPiece tokenizer (lowercasing, accents
                   stripped), intermediate_size 48 (not 4 x hidden)
  tiny-roberta     RobertaForMaskedLM: "roberta." prefix, no pooler, an lm_head (skipped), positions numbered after
                   padding_idx 1, one token type, gelu_new, layer_norm_eps 1e-5, byte-level BPE tokenizer
  tiny-distilbert  DistilBertModel: no prefix, no token types, transformer.layer.N.* names, WordPiece tokenizer
Weights are drawn with a larger spread than the models' own init (std 0.2, random LayerNorm gains and biases) so that
any mis-mapped tensor changes the outputs visibly.
"""
import argparse
import json
import os

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, DistilBertConfig,
                          DistilBertModel, RobertaConfig, RobertaForMaskedLM)

HIDDEN, LAYERS, HEADS, INTERMEDIATE, POSITIONS = 32, 2, 4, 48, 40

# The tokenizers learn from this; any small English text works.
CORPUS = [
    "the cat sat on the mat. the dog ate the bone.",
    "then the cat and the dog slept in the sun.",
    "my order has not arrived; I would like a refund, please!",
    "the invoice was charged twice and the card was declined.",
    "hello world, there is another thing: the end.",
]

# Right-padded in one batch: different lengths, punctuation, upper case, an accent, a character never seen (WordPiece
# maps it to [UNK]; byte-level BPE spells its bytes), an empty-ish text.
TEXTS = [
    "the cat sat on the mat.",
    "Hello, World! My refund was declined twice.",
    "a",
    "naïve café ☃ order",
]

WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BPE_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def wordpiece_tokenizer():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(vocab_size=120, special_tokens=WORDPIECE_SPECIALS,
                                                              limit_alphabet=60))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tok, {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "cls_token": "[CLS]",
                 "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]",
                 "model_max_length": POSITIONS}


def byte_level_bpe_tokenizer():
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=300, special_tokens=BPE_SPECIALS,
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")),
                                                      ("<s>", tok.token_to_id("<s>")), add_prefix_space=False)
    return tok, {"tokenizer_class": "RobertaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>",
                 "sep_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": "<mask>",
                 "add_prefix_space": False, "model_max_length": POSITIONS}


def randomize(model, generator):
    """Larger-than-init random values everywhere, LayerNorm gains around 1, so every tensor matters."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator, dtype=parameter.dtype)
            if "LayerNorm" in name or "layer_norm" in name:
                parameter.copy_((1 if name.endswith("weight") else 0) + 0.1 * noise)
            elif name.endswith("bias"):
                parameter.copy_(0.1 * noise)
            else:
                parameter.copy_(0.2 * noise)


def build(model_type, vocab_size, pad_id):
    if model_type == "bert":
        config = BertConfig(vocab_size=vocab_size, hidden_size=HIDDEN, num_hidden_layers=LAYERS,
                            num_attention_heads=HEADS, intermediate_size=INTERMEDIATE,
                            max_position_embeddings=POSITIONS, type_vocab_size=2, pad_token_id=pad_id, num_labels=3,
                            hidden_act="gelu", layer_norm_eps=1e-12)
        return BertForSequenceClassification(config), lambda m: m.bert, True
    if model_type == "roberta":
        config = RobertaConfig(vocab_size=vocab_size, hidden_size=HIDDEN, num_hidden_layers=LAYERS,
                               num_attention_heads=HEADS, intermediate_size=INTERMEDIATE,
                               max_position_embeddings=POSITIONS + pad_id + 1, type_vocab_size=1, pad_token_id=pad_id,
                               bos_token_id=0, eos_token_id=2, hidden_act="gelu_new", layer_norm_eps=1e-5)
        return RobertaForMaskedLM(config), lambda m: m.roberta, False
    config = DistilBertConfig(vocab_size=vocab_size, dim=HIDDEN, n_layers=LAYERS, n_heads=HEADS,
                              hidden_dim=INTERMEDIATE, max_position_embeddings=POSITIONS, pad_token_id=pad_id,
                              activation="gelu")
    return DistilBertModel(config), lambda m: m, False


def rounded(values):
    """float64 values with 9 significant digits: plenty for a 1e-4 comparison, and a small file."""
    if isinstance(values, list):
        return [rounded(v) for v in values]
    return float(f"{values:.9g}")


def make(model_type, out, seed):
    folder = os.path.join(out, f"tiny-{model_type}")
    os.makedirs(folder, exist_ok=True)
    tok, tokenizer_config = byte_level_bpe_tokenizer() if model_type == "roberta" else wordpiece_tokenizer()
    tok.save(os.path.join(folder, "tokenizer.json"))
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config, f, indent=2, sort_keys=True)
        f.write("\n")
    pad_id = tok.token_to_id(tokenizer_config["pad_token"])

    torch.manual_seed(seed)
    model, encoder_of, has_pooler = build(model_type, tok.get_vocab_size(), pad_id)
    randomize(model, torch.Generator().manual_seed(seed))
    model.eval()
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        if os.path.exists(os.path.join(folder, extra)):
            os.remove(os.path.join(folder, extra))

    # transformers reads the folder back as a user's code would: tokenizer and encoder
    tokenizer = AutoTokenizer.from_pretrained(folder)
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    for i, text in enumerate(TEXTS):
        assert tok.encode(text).ids == tokenizer(text)["input_ids"], (model_type, text)
    encoder = encoder_of(type(model).from_pretrained(folder)).double().eval()
    with torch.no_grad():
        output = encoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    hidden = output.last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).double()
    mean = (hidden * mask).sum(1) / mask.sum(1)
    cls = output.pooler_output if has_pooler else hidden[:, 0]
    expected = {
        "generated_by": f"scripts/hf_reference/make_tiny_bert.py (transformers {__import__('transformers').__version__}"
                        f", torch {torch.__version__}, float64)",
        "model_type": model_type,
        "texts": TEXTS,
        "ids": [tok.encode(t).ids for t in TEXTS],
        "input_ids": batch["input_ids"].tolist(),
        "attention_mask": batch["attention_mask"].tolist(),
        "cls_through_pooler": has_pooler,
        "last_hidden_state": rounded(hidden.tolist()),
        "pooled_cls": rounded(cls.tolist()),
        "pooled_mean": rounded(mean.tolist()),
    }
    with open(os.path.join(out, f"tiny-{model_type}-expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
    print(f"wrote {folder} ({size} bytes): vocab {tok.get_vocab_size()}, pad {pad_id}, "
          f"ids {[len(i) for i in expected['ids']]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    for model_type in ("bert", "roberta", "distilbert"):
        make(model_type, args.out, args.seed)


if __name__ == "__main__":
    main()
