#!/usr/bin/env python3
"""Do two reports of one recipe (same seed) say the same thing, to the last digit?

Usage: python3 scripts/same_report.py REPORT_A.json REPORT_B.json

Compares every value of two report.json files exactly, except what differs between two runs of the same code on the
same machine: wall-clock timings (metric rows tokens_per_s, fit_seconds, sample_seconds; run.stages[].seconds) and the
run's identity (run.run_id, run.started_at, run.ended_at). For refactors that must not change behaviour: run the
quickstart on the old and the new code and compare the two reports. Exit code 0 when they agree, 1 otherwise.
"""
import json
import sys

TIMING_METRICS = {"tokens_per_s", "fit_seconds", "sample_seconds"}
RUN_IDENTITY = {"run_id", "started_at", "ended_at"}


def comparable(report):
    report = json.loads(json.dumps(report))
    report["metrics"] = [row for row in report.get("metrics", []) if row.get("metric") not in TIMING_METRICS]
    run = report.get("run", {})
    for key in RUN_IDENTITY:
        run.pop(key, None)
    for stage in run.get("stages", []):
        stage.pop("seconds", None)
    return report


def differences(a, b, path=""):
    if type(a) is not type(b):
        yield f"{path}: {a!r} vs {b!r}"
    elif isinstance(a, dict):
        for key in sorted(a.keys() | b.keys()):
            if key not in a or key not in b:
                yield f"{path}.{key}: only in {'B' if key not in a else 'A'}"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} vs {len(b)} items"
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} vs {b!r}"


def count_values(x):
    if isinstance(x, dict):
        return sum(count_values(v) for v in x.values())
    if isinstance(x, list):
        return sum(count_values(v) for v in x)
    return 1


def main(file_a, file_b):
    with open(file_a) as fa, open(file_b) as fb:
        a, b = comparable(json.load(fa)), comparable(json.load(fb))
    found = list(differences(a, b))
    print(f"report.json: {count_values(a)} values compared (timings and run identity left out), {len(found)} differ")
    for line in found[:30]:
        print("  ", line)
    return 0 if not found else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
