#!/usr/bin/env bash
# The GPU check, run where there is python3 with torch (CUDA or not) and no Java: put gpu-check.tar.xz next to this
# file and run `bash run.sh [OUT_DIR]`. Everything the workbench does here goes through its own commands:
#   1. doctor finds the torch python3 imports and says whether DJL can use it (prebuilt bridge, or a build needed);
#   2. `workbench native build` compiles DJL's bridge from the packed DJL source against it if needed, and the
#      workbench's libtorch extension (fused attention and AdamW, source inside the jar);
#   3. doctor again in own-libtorch mode (WORKBENCH_TORCH), which loads that libtorch;
#   4. a small `bench train --device` next to PyTorch eager, explicit attention and SDPA (scripts/bench_train.py);
#   5. with CUDA: the quickstart with --set training.devices=[gpu].
# Without CUDA (a CPU torch, or no GPU visible) it says so and runs 1-4 on the CPU: the dry run of this script.
# Writes OUT_DIR/log.txt and OUT_DIR/report.json (what ran, exit codes, seconds, verdicts). Knobs: WB_PYTHON (python3),
# WB_WORK (unpack folder), WORKBENCH_NATIVE_DIR (reuse a bridge built before), WB_STEPS (bench steps, default 4).
set -uo pipefail
G="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(mkdir -p "${1:-$PWD/gpu-check-out}" && cd "${1:-$PWD/gpu-check-out}" && pwd)"
exec > >(tee "$OUT/log.txt") 2>&1
PY=${WB_PYTHON:-python3}
W=${WB_WORK:-$(mktemp -d /tmp/gpu-check.XXXXXX)}
mkdir -p "$W"
START=$SECONDS
declare -a STEPS=()
say() { echo; echo "=== [$((SECONDS - START))s] $*"; }
# step NAME CMD...: runs and records name, exit code and seconds for report.json
step() {
  local name=$1 t=$SECONDS rc; shift
  say "$name"; "$@"; rc=$?
  STEPS+=("{\"step\": \"$name\", \"exit\": $rc, \"seconds\": $((SECONDS - t))}")
  return $rc
}
report() {
  local IFS=,
  printf '{"commit": "%s", "torch": "%s", "cuda": %s, "gpu": "%s", "mode": "%s", "steps": [%s]}\n' \
    "$(cat "$W/COMMIT" 2>/dev/null)" "${TORCH_VERSION:-}" "${CUDA:-false}" "${GPU_NAME:-}" "${MODE:-}" \
    "${STEPS[*]}" > "$OUT/report.json"
  echo; echo "report: $OUT/report.json"; cat "$OUT/report.json"
}
trap report EXIT

say "unpack $(du -h "$G/gpu-check.tar.xz" | cut -f1) into $W"
tar -xJf "$G/gpu-check.tar.xz" -C "$W" || { echo "FATAL: cannot unpack"; exit 10; }
JAVA="$W/jre/bin/java"
"$JAVA" -version 2>&1 | head -1 || { echo "FATAL: the packed Java does not start here"; exit 11; }

say "torch"
eval "$("$PY" - <<'PYEOF'
import os, torch
print(f"TORCH_DIR='{os.path.dirname(torch.__file__)}'")
print(f"TORCH_VERSION='{torch.__version__}'")
ok = torch.cuda.is_available()
print(f"CUDA={'true' if ok else 'false'}")
print(f"GPU_NAME='{torch.cuda.get_device_name(0) if ok else ''}'")
print(f"CUDA_BUILD='{torch.version.cuda or ''}'")
PYEOF
)" || { echo "FATAL: $PY cannot import torch"; exit 12; }
echo "torch $TORCH_VERSION at $TORCH_DIR; CUDA build ${CUDA_BUILD:-none}; CUDA available: $CUDA ${GPU_NAME:+($GPU_NAME)}"
if [ "$CUDA" = true ]; then DEV=gpu; MODE=cuda; else
  DEV=cpu; MODE=cpu-dry-run
  echo "no CUDA: ${CUDA_BUILD:+a CUDA build of torch but no GPU visible}${CUDA_BUILD:-torch is a CPU build}; checking on the CPU instead (dry run)"
fi

export OPT_OUT_TRACKING=true DJL_OFFLINE=true
export WORKBENCH_NATIVE_DIR=${WORKBENCH_NATIVE_DIR:-$W/native}
wb() {
  (cd "$W/home" && "$JAVA" -Xss8m --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
    -DDJL_DISABLE_PROGRESS_BAR=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -Dworkbench.home="$W/home" \
    -XX:ErrorFile="$OUT/hs_err_%p.log" -jar "$W/app/workbench.jar" "$@")
}

# own-libtorch mode from the start: the package has no CPU natives, and doctor then says what this torch needs
# (and stops before loading anything) instead of failing to load natives that are not there
export WORKBENCH_TORCH="$TORCH_DIR"
step "doctor (discovery)" wb doctor --python "$PY"
# always: builds DJL's bridge when this torch has none, and the workbench's libtorch extension (fused SDPA and AdamW;
# its source is inside the jar) when missing; does nothing when both exist
step "native build" wb native build --djl-source "$W/djl" --torch "$TORCH_DIR" --jobs "$(nproc)" ||
  { echo "FATAL: the bridge or the extension did not build; see the log above"; exit 20; }
step "doctor (own libtorch)" wb doctor --python none || { echo "FATAL: DJL does not load this torch"; exit 21; }
# on a GPU: nano and small, next to PyTorch eager with explicit attention and with SDPA, on the same device
step "bench train ($DEV)" wb bench train --device "$DEV" --presets "$([ "$DEV" = gpu ] && echo nano,small || echo nano)" \
  --batch-sizes 8 --steps "${WB_STEPS:-4}" --warmup 1 --python "$PY"
if [ "$DEV" = gpu ]; then
  step "quickstart on gpu" wb run recipes/quickstart.yaml --set "training.devices=[gpu]"
else
  echo "quickstart on gpu: skipped (no CUDA)"
fi
say "done in $((SECONDS - START))s"
