#!/usr/bin/env python3
"""Do two runs of one recipe (same seed) hold the same results, to the last digit?

Usage: python3 scripts/same_run_metrics.py RUN_FOLDER_A RUN_FOLDER_B

Compares every metrics.jsonl row (value, n, interval) except wall-clock timings, the predictions/ files byte for byte
and every checkpoint's model.safetensors. For refactors that must not change behaviour: run the quickstart on the old
and the new code and compare the two run folders. Exit code 0 when they agree, 1 otherwise.
"""
import filecmp
import json
import pathlib
import sys

TIMINGS = {"tokens_per_s", "fit_seconds", "sample_seconds"}


def metric_rows(folder):
    rows = {}
    for line in (folder / "metrics.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["metric"] not in TIMINGS:
            rows[(r["stage"], r["subject"], r["dataset"], r["split"], r["metric"])] = (
                r["value"], r["n"], r["ci_low"], r["ci_high"])
    return rows


def main(a, b):
    a, b = pathlib.Path(a), pathlib.Path(b)
    ra, rb = metric_rows(a), metric_rows(b)
    differ = sorted(k for k in ra.keys() | rb.keys() if ra.get(k) != rb.get(k))
    print(f"metrics: {len(ra)} rows (timings left out), {len(differ)} differ")
    for k in differ[:20]:
        print("  ", k, ra.get(k), "vs", rb.get(k))
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file()
                   and (p.parts[len(a.parts)] == "predictions" or p.name == "model.safetensors"))
    changed = [f for f in files if not (b / f).is_file() or not filecmp.cmp(a / f, b / f, shallow=False)]
    print(f"files: {len(files)} predictions and weights files, {len(changed)} differ")
    for f in changed[:20]:
        print("  ", f)
    return 0 if not differ and not changed else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
