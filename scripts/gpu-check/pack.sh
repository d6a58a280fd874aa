#!/usr/bin/env bash
# Packs the GPU check for a machine with CUDA torch and no Java, no network, at most 64 MiB of files per call:
#   jre/      a jlink'd Java 17 runtime (with jdk.compiler and the JNI headers: `workbench native build` needs both)
#   app/      workbench.jar and its libraries WITHOUT the CPU natives (the `-P cuda` profile's dependency set),
#             third-party jars slimmed to their linux-x86_64 natives
#   djl/      the part of DJL v0.36.0's source the bridge build reads (from a checkout you bring; nothing committed)
#   home/     the quickstart recipe and data, scripts/bench_train.py (PyTorch's side of `bench train`)
#   run.sh    what to run there (see its header)
# Usage: scripts/gpu-check/pack.sh DJL_SOURCE_DIR [OUT_DIR]   -> OUT_DIR/gpu-check.tar.xz and OUT_DIR/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
djl="$(cd "${1:?usage: $0 DJL_SOURCE_DIR [OUT_DIR]}" && pwd)"
out="$(mkdir -p "${2:-$here/target/gpu-check}" && cd "${2:-$here/target/gpu-check}" && pwd)"
limit=$((64 * 1024 * 1024))
stage="$(mktemp -d /tmp/gpu-check-stage.XXXXXX)"
trap 'rm -rf "$stage"' EXIT

grep -q 'djl = "0.36.0"' "$djl/gradle/libs.versions.toml" 2>/dev/null ||
  { echo "pack: $djl is not DJL v0.36.0 (git -C $djl checkout v0.36.0)" >&2; exit 2; }

echo "pack: jar and libraries (-P cuda: the CPU natives are provided, so not copied)"
(cd "$here" && mvn -B -ntp -q -o -DskipTests package)
mkdir -p "$stage/app/lib"
cp "$here/workbench/target/workbench.jar" "$stage/app/"
(cd "$here" && mvn -B -ntp -q -o -P cuda -pl workbench dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$stage/app/lib")
if ls "$stage"/app/lib/pytorch-native-* > /dev/null 2>&1; then echo "pack: CPU natives were copied" >&2; exit 3; fi
# native libraries for other platforms are dead weight there (18 MB of the tokenizers jar alone)
python3 - "$stage/app/lib" <<'PY'
import os, re, sys, zipfile
other = re.compile(r'(^|/)(osx|darwin|mac|win|windows|linux-aarch64|aarch64|arm64|ppc64le|s390x)[^/]*/', re.I)
for name in sorted(os.listdir(sys.argv[1])):
    path = os.path.join(sys.argv[1], name)
    with zipfile.ZipFile(path) as z:
        drop = [i for i in z.infolist() if other.search(i.filename) and re.search(r'\.(so|dylib|dll|jnilib)$', i.filename)]
        if not drop:
            continue
        keep = [i for i in z.infolist() if i not in drop]
        with zipfile.ZipFile(path + '.new', 'w', zipfile.ZIP_DEFLATED) as n:
            for i in keep:
                n.writestr(i, z.read(i.filename))
    before = os.path.getsize(path)
    os.replace(path + '.new', path)
    print(f"pack: {name}: {len(drop)} other-platform natives dropped, {before >> 20} -> {os.path.getsize(path) >> 20} MiB")
PY

echo "pack: jlink'd runtime"
# --compress=0: xz shrinks stored modules far more than jlink's own zip compression does, and 64 MiB is the limit
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,jdk.compiler,jdk.crypto.ec,jdk.unsupported,jdk.zipfs
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=0 --output "$stage/jre"
mkdir -p "$stage/jre/include/linux"   # jni.h for the bridge build (jlink leaves headers out)
cp "$java_home/include/jni.h" "$stage/jre/include/"
cp "$java_home/include/linux/jni_md.h" "$stage/jre/include/linux/"

echo "pack: DJL's bridge source (read there, never committed here)"
for p in engines/pytorch/pytorch-native/CMakeLists.txt engines/pytorch/pytorch-native/src/main/native \
         engines/pytorch/pytorch-native/src/main/patch api/src/main/native gradle/libs.versions.toml \
         engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java; do
  mkdir -p "$stage/djl/$(dirname "$p")"; cp -r "$djl/$p" "$stage/djl/$p"
done

echo "pack: project files"
mkdir -p "$stage/home/recipes" "$stage/home/datasets" "$stage/home/scripts"
cp "$here/recipes/quickstart.yaml" "$stage/home/recipes/"
cp -r "$here/datasets/quickstart" "$stage/home/datasets/"
cp "$here/datasets/catalog.yaml" "$stage/home/datasets/" 2>/dev/null || true
cp "$here/scripts/bench_train.py" "$stage/home/scripts/"
cp "$here/scripts/gpu-check/run.sh" "$stage/run.sh"
git -C "$here" rev-parse --short HEAD > "$stage/COMMIT"

tar -C "$stage" -cJf "$out/gpu-check.tar.xz" .
cp "$here/scripts/gpu-check/run.sh" "$out/run.sh"
size=$(stat -c %s "$out/gpu-check.tar.xz")
echo "pack: $out/gpu-check.tar.xz: $((size / 1024 / 1024)) MiB ($size bytes; limit 64 MiB with run.sh)"
du -sh "$stage"/* | sed 's/^/pack:   unpacked /'
[ $((size + $(stat -c %s "$out/run.sh"))) -le $limit ] || { echo "pack: over 64 MiB" >&2; exit 4; }
