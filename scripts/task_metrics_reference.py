#!/usr/bin/env python3
"""Reference values of the evaluation-task metrics, the golden fixture TaskMetricsTest compares workbench with
(workbench/src/test/resources/dev/workbench/eval/task/task-metrics-golden.json). CI has no Python; it reads the
committed fixture. Regenerate with:

    python3 scripts/task_metrics_reference.py workbench/src/test/resources/dev/workbench/eval/task/task-metrics-golden.json

Each metric comes from its reference definition:
- rouge_l: Google's rouge-score package (pip install rouge-score; from rouge_score import rouge_scorer),
  RougeScorer(["rougeL"]) with its default tokenizer and no stemmer, the F-measure.
- f1: the SQuAD v2.0 official evaluation script's normalize_answer / compute_f1 (repeated below as published; the
  script is not a package).
- exact_match: lm-evaluation-harness's regex filter (re.findall, group_select, fallback, strip) followed by
  Hugging Face evaluate's exact_match (regexes_to_ignore removed with re.sub, then lower case, then
  string.punctuation removed), with the options of lm-eval's gsm8k task.
- acc / acc_norm: lm-eval's multiple-choice definitions with numpy: argmax(lls) == gold and
  argmax(lls / len(choice)) == gold.
"""
import collections
import json
import re
import string
import sys

import numpy as np
from rouge_score import rouge_scorer


# ---- SQuAD v2.0 evaluation script ----
def normalize_answer(s):
    def remove_articles(text):
        regex = re.compile(r'\b(a|an|the)\b', re.UNICODE)
        return re.sub(regex, ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def get_tokens(s):
    if not s:
        return []
    return normalize_answer(s).split()


def compute_f1(a_gold, a_pred):
    gold_toks = get_tokens(a_gold)
    pred_toks = get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


# ---- lm-eval RegexFilter.apply for one response ----
def regex_filter(resp, pattern, group_select=0, fallback="[invalid]"):
    match = re.compile(pattern).findall(resp)
    if match:
        match = match[group_select]
        if isinstance(match, tuple):
            match = [m for m in match if m]
            match = match[0] if match else fallback
        match = match.strip()
    else:
        match = fallback
    return match


# ---- Hugging Face evaluate exact_match for one pair ----
def exact_match(pred, ref, regexes_to_ignore=(), ignore_case=False, ignore_punctuation=False):
    for s in regexes_to_ignore:
        pred = re.sub(s, "", pred)
        ref = re.sub(s, "", ref)
    if ignore_case:
        pred = pred.lower()
        ref = ref.lower()
    if ignore_punctuation:
        table = str.maketrans("", "", string.punctuation)
        pred = pred.translate(table)
        ref = ref.translate(table)
    return float(pred == ref)


TEXT_PAIRS = [
    ("the cat sat on the mat", "the cat sat on the mat"),
    ("a cat sat down", "the cat sat"),
    ("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog"),
    ("Please restart your router, then try again.", "Try restarting the router and then try again!"),
    ("", "an empty prediction"),
    ("only punctuation ...", "!!!"),
    ("Take 2 tablets every 4-6 hours; do not exceed 8 per day.",
     "Adults: 2 tablets every 4 to 6 hours, no more than 8 tablets in 24 hours."),
    ("Café au lait costs $3.50 at the café", "cafe au lait costs 3 50"),
    ("The the THE a an answer", "answer"),
    ("You can reset your PIN in the app under Settings > Security.",
     "To reset your PIN, open the app and go to Settings, then Security."),
    ("glaucoma damages the optic nerve", "Glaucoma is a group of diseases that damage the eye's optic nerve."),
    ("x y z x y z", "z y x"),
]

GSM8K_FILTER = r"#### (\-?[0-9\.\,]+)"
GSM8K_OPTIONS = dict(regexes_to_ignore=[",", "\\$", "(?s).*#### ", "\\.$"], ignore_case=True,
                     ignore_punctuation=False)
GSM8K_CASES = [
    ("Janet sells 16 - 3 - 4 = 9 eggs.\nShe makes 9 * 2 = $18.\n#### 18", "18"),
    ("The total is 1,000 apples.\n#### 1,000", "1000"),
    ("#### 18.", "18"),
    ("#### -5", "-5"),
    ("The answer is 18.", "18"),
    ("#### 12\n#### 13", "13"),
    ("#### 3.50", "3.5"),
    ("Step one.\n####  42  ", "42"),
    ("#### 7", "Natalia sold 48/2 = 24 clips in May.\n#### 7"),
]

MC_CASES = [
    # log-likelihoods, choices, gold
    ([-4.0, -6.0, -5.0], [" Paris", " Lyon is a city in France", " Nice"], 0),
    ([-4.0, -6.0, -5.0], [" a", " a much longer choice", " mid"], 1),
    ([-10.0, -12.0], [" no", " yes, it is"], 1),
    ([-3.0, -3.0, -9.0], [" tie", " tie", " other"], 1),
    ([-2.5, -7.5, -7.0, -9.0], [" x", " Hypertension is high blood pressure", " Anaemia", " diabetes"], 2),
]


def main():
    scorer = rouge_scorer.RougeScorer(["rougeL"])
    text = []
    for pred, ref in TEXT_PAIRS:
        text.append({"prediction": pred, "reference": ref,
                     "rouge_l": scorer.score(ref, pred)["rougeL"].fmeasure,
                     "f1": float(compute_f1(ref, pred))})
    gsm8k = []
    for output, target in GSM8K_CASES:
        answer = regex_filter(output, GSM8K_FILTER)
        gsm8k.append({"output": output, "target": target, "answer": answer,
                      "answer_last": regex_filter(output, GSM8K_FILTER, group_select=-1),
                      "exact_match": exact_match(answer, target, **GSM8K_OPTIONS),
                      "exact_match_last": exact_match(regex_filter(output, GSM8K_FILTER, group_select=-1), target,
                                                      **GSM8K_OPTIONS)})
    mc = []
    for lls, choices, gold in MC_CASES:
        lls_arr = np.array(lls)
        lengths = np.array([float(len(c)) for c in choices])
        mc.append({"loglikelihoods": lls, "choices": choices, "gold": gold,
                   "acc": 1.0 if np.argmax(lls_arr) == gold else 0.0,
                   "acc_norm": 1.0 if np.argmax(lls_arr / lengths) == gold else 0.0})
    out = {"generator": "scripts/task_metrics_reference.py", "text": text, "gsm8k": gsm8k,
           "multiple_choice": mc}
    data = json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            f.write(data)
    else:
        sys.stdout.write(data)


if __name__ == "__main__":
    main()
