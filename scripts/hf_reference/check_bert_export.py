#!/usr/bin/env python3
"""Loads the workbench's export of a fine-tuned tiny BERT classifier with transformers; records the result.

Usage:
  WORKBENCH_BERT_EXPORT=/tmp/bert-export mvn -B -ntp -o test -Dtest=BertExportTest
  /work/venv/bin/python scripts/hf_reference/check_bert_export.py /tmp/bert-export \
      workbench/src/test/resources/hf/tiny-bert-export-check.json

The Java test wrote bert-classifier/ (a LoRA-adapted BERT classifier with CLS pooling through the pooler, exported
merged as BertForSequenceClassification) and bert-workbench.json (the texts, the padded batch the workbench ran and
its logits). This script loads the folder with AutoTokenizer and AutoModelForSequenceClassification, checks that the
tokenizer gives the workbench's ids for the texts, computes the logits of the batch, and writes the largest difference
from the workbench's logits and transformers' logits (which BertExportTest compares with the workbench within 1e-4).
Exits 1 when the ids differ or the difference reaches 1e-4.
"""
import json
import platform
import sys

import torch
import transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from make_tiny_llama import dump


def main():
    folder, out = sys.argv[1], sys.argv[2]
    with open(f"{folder}/bert-workbench.json") as f:
        workbench = json.load(f)
    export = f"{folder}/bert-classifier"
    tokenizer = AutoTokenizer.from_pretrained(export)
    encoded = tokenizer(workbench["texts"], padding=True, return_tensors="pt")
    ids_equal = encoded["input_ids"].tolist() == workbench["input_ids"]
    model = AutoModelForSequenceClassification.from_pretrained(export, dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(workbench["input_ids"]),
                       attention_mask=torch.tensor(workbench["attention_mask"])).logits.double()
    expected = torch.tensor(workbench["logits"], dtype=torch.float64).reshape(logits.shape)
    diff = (logits - expected).abs().max().item()
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    print(f"{type(model).__name__}: ids equal {ids_equal}, labels {labels}, "
          f"max |transformers - workbench| = {diff:.2e}")
    result = {"versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                           "python": platform.python_version()},
              "class": type(model).__name__, "labels": labels, "ids_equal": ids_equal,
              "max_abs_diff": float("%.3g" % diff),
              "logits": [[float("%.7g" % v) for v in row] for row in logits.tolist()]}
    with open(out, "w") as f:
        f.write(dump(result) + "\n")
    if diff >= 1e-4 or not ids_equal or labels != workbench["labels"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
