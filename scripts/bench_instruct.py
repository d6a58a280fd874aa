#!/usr/bin/env python3
"""Instruction fine-tuning benchmark (BENCHMARKS.md, "Instruction fine-tuning and task scores").

Fine-tunes the shipped base (models/general-micro) on real public instruction data from the shared data folder and
scores base and fine-tuned on held-out items with the shipped task files, through `bin/workbench run`:

  gsm8k    GSM8K train (completion format: question -> worked answer), scored on the first N problems of the official
           test split with datasets/education/tasks/word-problems.yaml (lm-eval's gsm8k exact match)
  medquad  MedQuAD (alpaca: question -> answer), split 90/10 here by a seeded shuffle of the rows, scored on the
           held-out 10% with datasets/medical/tasks/health-qa.yaml (ROUGE-L, SQuAD F1)
  llama    the same pipeline on the tiny random Qwen2 fixture (a Llama-family folder with a chat template; its scores
           are those of a random model: this row measures the pipeline, not a model)

Writes recipes, split files and runs under --out (never into the repository) and prints each run's Summary rows and
wall time. Usage: python3 scripts/bench_instruct.py [--shared ../shared/data] [--out /tmp/bench-instruct]
    [--steps 300] [--limit 200] [--only gsm8k,medquad,llama]
"""
import argparse
import csv
import json
import pathlib
import random
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def recipe(name, domain, base, context, instructions, steps, tasks, template="auto"):
    """A recipe as JSON (a YAML subset), with absolute paths so it runs from any folder."""
    return {
        "name": name, "seed": 42, "domain": domain,
        "base_model": dict(base, context_length=context),
        "corpus": {"instructions": instructions},
        "split": {"method": "random", "validation": 0.05, "test": 0.0, "dedupe": True},
        "training": {"batch_size": 8, "max_steps": steps, "learning_rate": 1.0e-3,
                     "warmup_steps": max(1, steps // 10), "eval_every_steps": max(1, steps // 3),
                     "checkpoint_every_steps": max(1, steps // 3)},
        "finetune": {"tasks": ["instruct"], "method": "full", "chat_template": template, "packing": True},
        "evaluate": {"tasks": tasks},
        "report": {"formats": ["markdown", "json"]},
    }


def medquad_split(shared, out):
    """MedQuAD's rows shuffled with seed 0: the first 90% train, the rest held out (same columns)."""
    with open(shared / "medical" / "medquad_qa.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    random.Random(0).shuffle(rows)
    cut = int(len(rows) * 0.9)
    paths = {}
    for part, chunk in (("train", rows[:cut]), ("heldout", rows[cut:])):
        path = out / f"medquad-{part}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(chunk)
        paths[part] = path
    return paths, len(rows[:cut]), len(rows[cut:])


def run(recipe_path, out):
    start = time.time()
    proc = subprocess.run([str(REPO / "bin" / "workbench"), "run", str(recipe_path), "--runs", str(out / "runs"),
                           "--reports", str(out / "reports")], capture_output=True, text=True)
    wall = time.time() - start
    log = proc.stdout + proc.stderr
    (out / (recipe_path.stem + ".log")).write_text(log)
    if proc.returncode != 0:
        print(log[-3000:], file=sys.stderr)
        raise SystemExit(f"{recipe_path.name}: exit {proc.returncode}")
    report = sorted((out / "reports" / recipe_path.stem).glob("*/report.md"))[-1]
    summary = [line for line in report.read_text().splitlines() if line.startswith("| ") and "finetuned" in line]
    return wall, summary, [line for line in log.splitlines() if line.startswith(("finetune: instruct", "evaluate: task",
                                                                                   "instruct: ", "run "))]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    p.add_argument("--out", default="/tmp/bench-instruct")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--only", default="gsm8k,medquad,llama")
    a = p.parse_args()
    shared, out = pathlib.Path(a.shared).resolve(), pathlib.Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    micro = {"checkpoint": str(REPO / "models" / "general-micro")}
    tasks_dir = REPO / "datasets"
    recipes = {}
    if "gsm8k" in a.only:
        recipes["gsm8k"] = recipe(
            "bench-gsm8k", "education", micro, 256,
            {"path": str(shared / "education" / "gsm8k_train.csv"), "format": "completion",
             "columns": {"prompt": "question", "completion": "answer"}}, a.steps,
            [{"path": str(tasks_dir / "education" / "tasks" / "word-problems.yaml"), "task": "gsm8k",
              "dataset_path": str(shared / "education" / "gsm8k_test.csv"), "limit": a.limit,
              "apply_chat_template": True}])
    if "medquad" in a.only:
        split, n_train, n_held = medquad_split(shared, out)
        print(f"medquad: {n_train} train / {n_held} held-out rows (seed 0)")
        recipes["medquad"] = recipe(
            "bench-medquad", "medical", micro, 256,
            {"path": str(split["train"]), "format": "alpaca",
             "columns": {"instruction": "question", "output": "answer"}}, a.steps,
            [{"path": str(tasks_dir / "medical" / "tasks" / "health-qa.yaml"), "task": "medquad",
              "dataset_path": str(split["heldout"]), "limit": min(a.limit, 100), "apply_chat_template": True}])
    if "llama" in a.only:
        fixture = REPO / "workbench" / "src" / "test" / "resources" / "hf" / "llama" / "qwen2"
        recipes["llama"] = recipe(
            "bench-tiny-qwen2", "education", {"hf": str(fixture)}, 64,
            {"path": str(tasks_dir / "education" / "word-problems.jsonl")}, min(a.steps, 60),
            [{"path": str(tasks_dir / "education" / "tasks" / "word-problems.yaml"), "limit": 20,
              "apply_chat_template": True}], template="chatml")
    for key, r in recipes.items():
        path = out / f"{r['name']}.yaml"
        path.write_text(json.dumps(r, indent=2))
        wall, summary, lines = run(path, out)
        print(f"\n## {key}: {r['name']} ({wall:.0f} s wall)")
        for line in lines:
            print("  " + line)
        for line in summary:
            print(line)


if __name__ == "__main__":
    main()
