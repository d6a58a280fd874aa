#!/usr/bin/env python3
"""Loads the workbench's exports of the tiny Llama-family fixtures with transformers and PEFT; records the result.

Usage:
  WORKBENCH_LLAMA_EXPORT=/tmp/llama-export mvn -B -ntp -o test -Dtest=LlamaExportTest
  /work/venv/bin/python scripts/hf_reference/check_llama_export.py /tmp/llama-export \
      workbench/src/test/resources/hf/llama/export-check.json

For each fixture NAME, the Java test wrote NAME-merged/ (LoRA adapters on every projection merged into the weights),
NAME-peft/ (the base weights unchanged, the adapter in NAME-peft/adapter/ in PEFT's layout) and NAME-workbench.json
(the adapted model's logits in the workbench). This script loads NAME-merged with AutoModelForCausalLM and NAME-peft
with PeftModel.from_pretrained on AutoModelForCausalLM, computes the logits of the same ids, and writes per fixture
and kind the largest difference from the workbench's logits and transformers' logits at the last position (which
LlamaExportTest compares with the workbench within 1e-4, so the committed check stays tied to the code). Exits 1 when
any difference reaches 1e-4.
"""
import json
import platform
import sys

import peft
import torch
import transformers
from peft import PeftModel
from transformers import AutoModelForCausalLM

from make_tiny_llama import dump

NAMES = ["llama", "mistral", "qwen2", "qwen3"]


def logits_of(model, ids):
    model.eval()
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].double()


def main():
    folder, out = sys.argv[1], sys.argv[2]
    result = {"versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                           "peft": peft.__version__, "python": platform.python_version()}}
    worst = 0.0
    for name in NAMES:
        with open(f"{folder}/{name}-workbench.json") as f:
            workbench = json.load(f)
        ids, vocab = workbench["ids"], workbench["vocab_size"]
        expected = torch.tensor(workbench["adapted_logits"], dtype=torch.float64).reshape(len(ids), vocab)
        merged = AutoModelForCausalLM.from_pretrained(f"{folder}/{name}-merged", dtype=torch.float32)
        base = AutoModelForCausalLM.from_pretrained(f"{folder}/{name}-peft", dtype=torch.float32)
        adapted = PeftModel.from_pretrained(base, f"{folder}/{name}-peft/adapter")
        result[name] = {}
        for kind, model in (("merged", merged), ("peft", adapted)):
            logits = logits_of(model, ids)
            diff = (logits - expected).abs().max().item()
            worst = max(worst, diff)
            result[name][kind] = {"max_abs_diff": float("%.3g" % diff),
                                  "last_position_logits": [float("%.7g" % v) for v in logits[-1].tolist()]}
            print(f"{name} {kind}: max |transformers - workbench| = {diff:.2e}")
    with open(out, "w") as f:
        f.write(dump(result) + "\n")
    if worst >= 1e-4:
        sys.exit(1)


if __name__ == "__main__":
    main()
