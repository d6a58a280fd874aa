#!/usr/bin/env bash
# Own-libtorch mode, checked by hand (CI cannot: DJL's C++ source is on no package registry, and the project must not
# vendor it). Builds DJL 0.36's JNI bridge and the workbench's own libtorch extension (fused attention and AdamW,
# workbench/src/main/native/fused) against torch 2.13.0+cpu, then, with the workbench on that torch:
#   1. doctor (the engine reports libtorch 2.13.0 from the wheel, the fused ops are loaded),
#   2. the model, training-loop, resume, loss-scaling, data-parallel and fused-op tests, in a JVM that DJL points at
#      the wheel (the variables come from `workbench native env`: exactly what WORKBENCH_TORCH hands DJL); the
#      fused-op tests (fused vs unfused outputs, gradients and training losses within 1e-5) must not be skipped,
#   3. the quickstart recipe in both modes, validation losses side by side (they must be equal),
#   4. bench train next to PyTorch (eager and SDPA): bundled natives, own libtorch with the extension, and own libtorch
#      with the extension switched off (WORKBENCH_FUSED=off).
#
# Usage: scripts/native/check-own-libtorch.sh DJL_SOURCE_DIR [OUT_DIR]
#   DJL_SOURCE_DIR  a checkout of github.com/deepjavalibrary/djl at tag v0.36.0 (git clone -b v0.36.0 ...), never
#                   committed here
#   OUT_DIR         where the log goes (default: a temp folder, printed)
# Knobs: TORCH_PYTHON=python-with-torch (default: a fresh venv with torch==2.13.0+cpu from the configured pip index),
#        WORKBENCH_NATIVE_DIR (default: a temp folder: the bridge is rebuilt, about 6 min on 1 core; a folder that
#        holds a bridge for this torch already skips that step, the extension is built when missing: 15 s),
#        JOBS (compile jobs, default 1), SKIP_QUICKSTART=1, SKIP_BENCH=1, BENCH_PRESETS (default nano,micro).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
djl="${1:?usage: $0 DJL_SOURCE_DIR [OUT_DIR]}"
djl="$(cd "$djl" && pwd)"
out="${2:-$(mktemp -d /tmp/own-libtorch.XXXXXX)}"
mkdir -p "$out"
work="$(mktemp -d /tmp/own-libtorch-work.XXXXXX)"
exec > >(tee "$out/log.txt") 2>&1
say() { echo; echo "=== [$(date -u +%H:%M:%S)] $*"; }
wb() { "$here/bin/workbench" "$@"; }

say "commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet || echo ' (with local changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
if [ -z "${TORCH_PYTHON:-}" ]; then
  say "a temporary venv with torch 2.13.0+cpu"
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q 'torch==2.13.0+cpu' || "$work/venv/bin/pip" install -q 'torch==2.13.0'
  TORCH_PYTHON="$work/venv/bin/python"
fi
torch="$("$TORCH_PYTHON" -c 'import os, torch; print(os.path.dirname(torch.__file__))')"
echo "torch $("$TORCH_PYTHON" -c 'import torch; print(torch.__version__)') at $torch"
export WORKBENCH_NATIVE_DIR="${WORKBENCH_NATIVE_DIR:-$work/native}"

say "build the jar, then the bridge and the extension"
(cd "$here" && mvn -B -ntp -q -o -DskipTests package)
time wb native build --djl-source "$djl" --torch "$torch" --jobs "${JOBS:-1}"

say "doctor in own-libtorch mode"
WORKBENCH_TORCH="$torch" wb doctor --python none | grep -E '^(torch mode|engine|natives|gpus)'
WORKBENCH_TORCH="$torch" wb doctor --python none | grep -q "natives        loaded: libtorch 2.13" ||
  { echo "FAIL: DJL did not load the wheel's libtorch"; exit 1; }
WORKBENCH_TORCH="$torch" wb doctor --python none | grep -q "^fused ops      loaded" ||
  { echo "FAIL: the libtorch extension did not load"; exit 1; }

say "model, training-loop, resume, loss-scaling, data-parallel and fused-op tests on the wheel's libtorch"
tests=FusedOpsTest,FusedAttentionTest,FusedTrainingTest,AdamTest,GeneratorTest,LlamaTuningTest,CtganSynthesizerTest,TvaeSynthesizerTest,TrainingLoopTest,LossScalingTest,LossScalerTest,DataParallelTest,CheckpointIntegrityTest,GptModelTest,TrainabilityTest,AutogradScalarLifetimeTest,LoraTest,LlamaReferenceTest,BertReferenceTest,HfImporterTest
(
  eval "$(WORKBENCH_TORCH="$torch" wb native env)"   # DJL reads these from the environment first
  env | grep -E '^(PYTORCH_|ENGINE_CACHE_DIR|WORKBENCH_FUSED)' | sort
  # the fused-op tests print their max differences ("fused vs unfused ...")
  cd "$here" && mvn -B -ntp -o test -pl workbench -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false |
    grep -E 'Tests run:|FAIL|BUILD|fused vs unfused'
)
reports="$here/workbench/target/surefire-reports"
for t in FusedAttentionTest FusedTrainingTest; do
  grep -q 'skipped="0"' "$reports"/TEST-*."$t".xml || { echo "FAIL: $t was skipped: the extension did not load"; exit 1; }
done

losses() { grep -hoE '(language_model|classifier|classifier_probe): .*best validation loss [0-9.]+' "$1" || true; }
if [ -z "${SKIP_QUICKSTART:-}" ]; then
  say "quickstart, bundled natives (libtorch 2.7.1)"
  (cd "$here" && WORKBENCH_THREADS=1 bin/workbench run recipes/quickstart.yaml) > "$out/quickstart-bundled.txt" 2>&1
  say "quickstart, own libtorch (2.13.0 wheel)"
  (cd "$here" && WORKBENCH_THREADS=1 WORKBENCH_TORCH="$torch" bin/workbench run recipes/quickstart.yaml) \
    > "$out/quickstart-own.txt" 2>&1
  grep -hE 'done in' "$out"/quickstart-*.txt || true
  echo "bundled:"; losses "$out/quickstart-bundled.txt"
  echo "own:";     losses "$out/quickstart-own.txt"
  if [ "$(losses "$out/quickstart-bundled.txt" | grep -oE 'loss [0-9.]+')" = \
       "$(losses "$out/quickstart-own.txt" | grep -oE 'loss [0-9.]+')" ]; then
    echo "validation losses: EQUAL"
  else
    echo "validation losses: DIFFER"
  fi
fi

if [ -z "${SKIP_BENCH:-}" ]; then
  for mode in bundled own-fused own-unfused; do
    say "bench train, $mode, 1 thread, next to PyTorch eager and SDPA ($TORCH_PYTHON)"
    t=; [ "$mode" != bundled ] && t="$torch"
    f=; [ "$mode" = own-unfused ] && f=off
    (cd "$here" && WORKBENCH_TORCH="$t" WORKBENCH_FUSED="$f" WORKBENCH_THREADS=1 bin/workbench bench train \
      --presets "${BENCH_PRESETS:-nano,micro}" --batch-sizes 8 --steps 6 --warmup 2 --python "$TORCH_PYTHON")
  done
fi
say "done; log in $out/log.txt"
rm -rf "$work/venv"
