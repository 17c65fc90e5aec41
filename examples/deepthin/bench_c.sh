#!/usr/bin/env bash
# Wall time per inference of an N×N float dense layer in generated C on this (x86-64) machine: dense,
# and compressed by DeepThin to 1%, 5% and 10% of its weights.
#
#   examples/deepthin/bench_c.sh [N...]        (default: 1024 4096)
#
# Needs examples/target/benchmarks.jar (mvn -q -pl examples -am package -DskipTests) for the layer
# (dev.bnnc.examples.DenseLayer, the JMH benchmark's layer). Builds with gcc -std=c99 -O3
# -march=native (set CFLAGS to change), runs the test driver on one input REPEAT times (enough for
# about a second), and prints microseconds per inference, the best of 3 runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1024 4096)
for n in "${sizes[@]}"; do
    java -cp "$root/examples/target/benchmarks.jar" dev.bnnc.examples.DenseLayer "$n" "$work/layer$n.onnx"
    perl -e 'srand(1); print pack("f<*", map { rand(2) - 1 } 1 .. $ARGV[0])' "$n" > "$work/in.bin"
    for weights in dense 0.01 0.05 0.10; do
        out="$work/$n-$weights"
        flags=()
        [ "$weights" = dense ] || flags=(--deepthin "$weights")
        BNNC_JAVA_OPTS=-Xmx4g "$root/bnnc" compile "$work/layer$n.onnx" --target c --test-main --out "$out" --name layer \
            "${flags[@]}" >/dev/null
        gcc -std=c99 ${CFLAGS:--O3 -march=native} -o "$out/layer" "$out/layer.c" "$out/layer_main.c" -lm
        # Calibrate REPEAT to about a second, then take the best of 3.
        repeat=10
        while :; do
            start=$(date +%s%N)
            "$out/layer" "$work/in.bin" "$out/out.bin" "$repeat"
            elapsed=$(( $(date +%s%N) - start ))
            [ "$elapsed" -gt 300000000 ] && break
            repeat=$(( repeat * 4 ))
        done
        repeat=$(( repeat * 1000000000 / elapsed + 1 ))
        best=""
        for _ in 1 2 3; do
            start=$(date +%s%N)
            "$out/layer" "$work/in.bin" "$out/out.bin" "$repeat"
            ns=$(( ($(date +%s%N) - start) / repeat ))
            if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
        done
        echo "$n×$n $weights: $(awk "BEGIN { printf \"%.1f\", $best / 1000 }") µs per inference (C, ${CFLAGS:--O3 -march=native}, $repeat runs)"
    done
done
