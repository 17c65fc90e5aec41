#!/usr/bin/env bash
# Instructions per inference of a model's generated C on ARMv8-A, counted exactly under qemu.
#
#   tools/insncount.sh MODEL.onnx [bnnc compile options, e.g. --input-shape 1,1,49,40]
#
# Compiles the model with bnnc (--target c --test-main), builds it with aarch64-linux-gnu-gcc
# -O3 -march=armv8-a -static, and runs it under qemu-aarch64 with the counting plugin
# (tools/qemu-insncount) for 1 and for 11 inferences on the same pseudo-random input: the difference
# divided by 10 is the count of one inference, start-up and I/O cancelled out.
# Needs: gcc, aarch64-linux-gnu-gcc, qemu-aarch64 (qemu-user, not qemu-user-static), perl.
# Set CFLAGS to change the optimization flags (default: -O3). For a thinnable model (--tba or
# --variant), set INTERVAL to count that variant (default: the first interval).
set -euo pipefail
if [ $# -lt 1 ]; then
    sed -n '2,/^set/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
model="$1"
shift
for tool in gcc aarch64-linux-gnu-gcc qemu-aarch64 perl; do
    command -v "$tool" >/dev/null || { echo "insncount: $tool is not on the PATH" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$root/bnnc" compile "$model" --target c --test-main --out "$work" --name model "$@" >/dev/null
gcc -O2 -shared -fPIC -o "$work/libinsncount.so" "$here/qemu-insncount/insncount.c"
aarch64-linux-gnu-gcc -std=c99 ${CFLAGS:--O3} -march=armv8-a -static -o "$work/model" \
    "$work/model.c" "$work/model_main.c" -lm

# One case: every input's floats, uniform in [-1, 1) from a fixed seed.
floats="$(sed -n 's/^#define MODEL_INPUT[0-9]*_SIZE \([0-9]*\)$/\1/p' "$work/model.h" | awk "{ s += \$1 } END { print s }")"
perl -e 'srand(1); print pack("f<*", map { rand(2) - 1 } 1 .. $ARGV[0])' "$floats" > "$work/in.bin"

count() {
    qemu-aarch64 -plugin "$work/libinsncount.so" -d plugin "$work/model" "$work/in.bin" "$work/out.bin" "$1" ${INTERVAL:+"$INTERVAL"} 2>&1 \
        | sed -n 's/^insns_total=\([0-9]*\).*/\1/p'
}
one="$(count 1)"
eleven="$(count 11)"
echo "$(basename "$model")${INTERVAL:+ at interval $INTERVAL}: $(( (eleven - one) / 10 )) aarch64 instructions per inference"
