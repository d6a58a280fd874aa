#!/usr/bin/env python3
"""Write every shipped starter dataset of the workbench from code: deterministic, seeded, standard library only.

    python3 datasets/generate.py           rewrite every file
    python3 datasets/generate.py --check   regenerate in memory; exit 1 if any shipped file differs (CI runs this)

Each output file has its own random stream keyed by its path (see generator/common.py), so a change to one generator
leaves the bytes of all other files alone. See datasets/README.md for what ships and how it is made.
"""
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

from generator import build  # noqa: E402  (after the bytecode switch on purpose)

ROOT = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    check = "--check" in argv
    unknown = [a for a in argv if a != "--check"]
    if unknown:
        print("usage: generate.py [--check]", file=sys.stderr)
        return 2
    outputs = build.all_files()
    differing = []
    for relative, data in outputs.items():
        path = os.path.join(ROOT, relative)
        if check:
            try:
                with open(path, "rb") as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current != data:
                differing.append(relative)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    if check:
        # A file in a generated folder that the generator does not write is stale (renamed or removed output). The
        # tasks/ folders hold hand-written evaluation task files (YAML), not generated data.
        for folder in sorted({relative.split("/")[0] for relative in outputs}):
            for entry in sorted(os.listdir(os.path.join(ROOT, folder))):
                if f"{folder}/{entry}" not in outputs and entry != "tasks":
                    differing.append(f"{folder}/{entry} (not generated)")
        if differing:
            print("datasets differ from generate.py output (run python3 datasets/generate.py): "
                  + ", ".join(differing), file=sys.stderr)
            return 1
        print(f"datasets: {len(outputs)} files match generate.py")
        return 0
    total = sum(len(d) for d in outputs.values())
    for relative, data in outputs.items():
        print(f"{len(data):>9,d}  {relative}")
    print(f"{total:>9,d}  total bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
