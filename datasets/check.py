#!/usr/bin/env python3
"""Sanity numbers for the shipped datasets, with the standard library only.

- labelled.csv: multinomial naive Bayes on lower-cased word counts (add-one smoothing), seeded 80/20 split;
  prints accuracy next to the majority-class rate. The data is meant to be learnable but not trivial (0.75-0.9).
- table.csv: a CART decision tree (Gini, depth 6, min 20 rows per leaf) on the target column, same split; prints
  accuracy next to the majority-class rate. Missing cells go to their own branch side.
- text.txt: size, documents, share of distinct word 8-grams, gzip ratio (compressed / raw).

Usage: python3 datasets/check.py [DATASET ...]     (default: every folder with data)
"""
import csv
import gzip
import math
import os
import random
import re
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.abspath(__file__))
TOKEN = re.compile(r"[a-z0-9']+")
SPLIT_SEED = 20240601


def split(rows, seed=SPLIT_SEED, test_share=0.2):
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = int(len(rows) * (1 - test_share))
    return [rows[i] for i in order[:cut]], [rows[i] for i in order[cut:]]


def majority_rate(train_labels, test_labels):
    top = Counter(train_labels).most_common(1)[0][0]
    return sum(1 for y in test_labels if y == top) / len(test_labels)


# --- labelled text --------------------------------------------------------------------------------------------------

def naive_bayes(train, test):
    class_docs = Counter(label for _, label in train)
    word_counts = {label: Counter() for label in class_docs}
    vocabulary = set()
    for text, label in train:
        tokens = TOKEN.findall(text.lower())
        word_counts[label].update(tokens)
        vocabulary.update(tokens)
    totals = {label: sum(c.values()) for label, c in word_counts.items()}
    v = len(vocabulary)
    correct = 0
    for text, label in test:
        tokens = [t for t in TOKEN.findall(text.lower()) if t in vocabulary]
        best, best_score = None, -math.inf
        for c in class_docs:
            score = math.log(class_docs[c] / len(train))
            denominator = totals[c] + v
            score += sum(math.log((word_counts[c][t] + 1) / denominator) for t in tokens)
            if score > best_score:
                best, best_score = c, score
        correct += best == label
    return correct / len(test)


def check_labelled(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(f)]
    train, test = split(rows)
    accuracy = naive_bayes(train, test)
    base = majority_rate([y for _, y in train], [y for _, y in test])
    others = [naive_bayes(*split(rows, SPLIT_SEED + k)) for k in range(1, 5)]
    counts = Counter(y for _, y in rows)
    print(f"  labelled.csv  rows={len(rows)} classes={len(counts)} (largest {max(counts.values())}, smallest "
          f"{min(counts.values())})")
    print(f"                naive Bayes accuracy={accuracy:.3f} (5 splits: {min(others + [accuracy]):.3f}-"
          f"{max(others + [accuracy]):.3f}, mean {(sum(others) + accuracy) / 5:.3f})  majority={base:.3f}")
    return accuracy


# --- table ----------------------------------------------------------------------------------------------------------

def column_kinds(header, rows, target):
    kinds = {}
    for j, name in enumerate(header):
        if name == target:
            continue
        values = [r[j] for r in rows if r[j] != ""]
        try:
            [float(v) for v in values]
            kinds[j] = "number"
        except ValueError:
            kinds[j] = "category"
    return kinds


def gini(counter, n):
    return 1.0 - sum((c / n) ** 2 for c in counter.values()) if n else 0.0


def best_split(rows, ys, kinds, min_leaf):
    n = len(rows)
    parent = gini(Counter(ys), n)
    best = (0.0, None)
    for j, kind in kinds.items():
        present = [(r[j], y) for r, y in zip(rows, ys) if r[j] != ""]
        missing = Counter(y for r, y in zip(rows, ys) if r[j] == "")
        if kind == "number":
            present = sorted((float(v), y) for v, y in present)
            left = Counter()
            right = Counter(y for _, y in present)
            for i in range(len(present) - 1):
                left[present[i][1]] += 1
                right[present[i][1]] -= 1
                if present[i][0] == present[i + 1][0]:
                    continue
                nl, nr = i + 1, len(present) - i - 1
                # Missing cells join the side they fit best; try both.
                for miss_left in (True, False):
                    l = left + missing if miss_left else left
                    r = right if miss_left else right + missing
                    ln = nl + (sum(missing.values()) if miss_left else 0)
                    rn = n - ln
                    if ln < min_leaf or rn < min_leaf:
                        continue
                    gain = parent - (ln * gini(l, ln) + rn * gini(r, rn)) / n
                    if gain > best[0]:
                        best = (gain, (j, "number", (present[i][0] + present[i + 1][0]) / 2, miss_left))
        else:
            for level in set(v for v, _ in present) | ({""} if missing else set()):
                l = Counter(y for r, y in zip(rows, ys) if r[j] == level)
                ln = sum(l.values())
                rn = n - ln
                if ln < min_leaf or rn < min_leaf:
                    continue
                r = Counter(ys) - l
                gain = parent - (ln * gini(l, ln) + rn * gini(r, rn)) / n
                if gain > best[0]:
                    best = (gain, (j, "category", level, None))
    return best[1]


def goes_left(row, rule):
    j, kind, value, miss_left = rule
    if kind == "number":
        return miss_left if row[j] == "" else float(row[j]) <= value
    return row[j] == value


def grow(rows, ys, kinds, depth, min_leaf):
    majority = Counter(ys).most_common(1)[0][0]
    if depth == 0 or len(set(ys)) == 1 or len(rows) < 2 * min_leaf:
        return majority
    rule = best_split(rows, ys, kinds, min_leaf)
    if rule is None:
        return majority
    left = [i for i, r in enumerate(rows) if goes_left(r, rule)]
    right = [i for i, r in enumerate(rows) if not goes_left(r, rule)]
    return (rule,
            grow([rows[i] for i in left], [ys[i] for i in left], kinds, depth - 1, min_leaf),
            grow([rows[i] for i in right], [ys[i] for i in right], kinds, depth - 1, min_leaf))


def predict(tree, row):
    while isinstance(tree, tuple):
        tree = tree[1] if goes_left(row, tree[0]) else tree[2]
    return tree


def check_table(path, target):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    t = header.index(target)
    train, test = split(rows)
    kinds = column_kinds(header, train, target)
    tree = grow(train, [r[t] for r in train], kinds, depth=6, min_leaf=20)
    accuracy = sum(predict(tree, r) == r[t] for r in test) / len(test)
    base = majority_rate([r[t] for r in train], [r[t] for r in test])
    missing = sum(1 for r in rows for v in r if v == "") / (len(rows) * len(header))
    balance = ", ".join(f"{k} {v / len(rows):.0%}" for k, v in Counter(r[t] for r in rows).most_common())
    print(f"  table.csv     rows={len(rows)} columns={len(header)} missing cells={missing:.1%}  target {target}: "
          f"{balance}")
    print(f"                decision tree accuracy={accuracy:.3f}  majority={base:.3f}")
    return accuracy, base


# --- text -----------------------------------------------------------------------------------------------------------

def text_stats(data):
    words = data.split()
    grams = [tuple(words[i:i + 8]) for i in range(len(words) - 7)]
    distinct = len(set(grams)) / len(grams) if grams else 0.0
    ratio = len(gzip.compress(data.encode("utf-8"), 9, mtime=0)) / len(data.encode("utf-8"))
    documents = len([d for d in data.split("\n\n") if d.strip()])
    return len(data.encode("utf-8")), documents, len(words), distinct, ratio


def check_text(path):
    with open(path, encoding="utf-8") as f:
        size, documents, words, distinct, ratio = text_stats(f.read())
    print(f"  text.txt      {size / 1024:.1f} KiB, {documents} documents, {words} words, distinct 8-grams "
          f"{distinct:.1%}, gzip ratio {ratio:.3f}")
    return distinct, ratio


TARGETS = {"medical": "readmitted", "quickstart": "readmitted", "customer-service": "satisfaction",
           "education": "final_result"}


def main(names):
    names = names or sorted(d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d))
                            and any(os.path.exists(os.path.join(ROOT, d, f))
                                    for f in ("labelled.csv", "text.txt", "table.csv")))
    total = 0
    for name in names:
        folder = os.path.join(ROOT, name)
        print(name)
        if os.path.exists(os.path.join(folder, "labelled.csv")):
            check_labelled(os.path.join(folder, "labelled.csv"))
        if os.path.exists(os.path.join(folder, "table.csv")):
            check_table(os.path.join(folder, "table.csv"), TARGETS[name])
        if os.path.exists(os.path.join(folder, "text.txt")):
            check_text(os.path.join(folder, "text.txt"))
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f"total size of the checked folders: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
