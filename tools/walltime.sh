#!/usr/bin/env bash
# Wall time per inference of a model's generated C on this machine (one thread).
#
#   tools/walltime.sh MODEL.onnx [bnnc compile options]
#
# Compiles the model with bnnc (--target c --test-main), builds it with the host gcc
# (-std=c99 -O3 -march=native, or CFLAGS), and times the test driver running REPEAT inferences
# (default 20000) on one pseudo-random input, 7 times: the best run, less the same driver run for
# 0 inferences (start-up and I/O), divided by REPEAT. Report the machine's load with it.
set -euo pipefail
# shellcheck source=tools/generated-c.sh
. "$(dirname "${BASH_SOURCE[0]}")/generated-c.sh"
require_tools walltime gcc perl
repeat="${REPEAT:-20000}"
compile_model "$@"
# shellcheck disable=SC2086 # CFLAGS holds several flags
gcc -std=c99 ${CFLAGS:--O3 -march=native} -o "$work/model" "$work/model.c" "$work/model_main.c" -lm

# best NS: the shortest of 7 runs of the driver for N inferences, in nanoseconds
best() {
    local shortest=
    for _ in 1 2 3 4 5 6 7; do
        local start end
        start="$(date +%s%N)"
        "$work/model" "$work/in.bin" "$work/out.bin" "$1"
        end="$(date +%s%N)"
        if [ -z "$shortest" ] || [ $((end - start)) -lt "$shortest" ]; then
            shortest=$((end - start))
        fi
    done
    echo "$shortest"
}
base="$(best 0)"
total="$(best "$repeat")"
perl -e 'printf "%s: %.2f us per inference (gcc %s, %d inferences, best of 7)\n", @ARGV[0], ($ARGV[1] - $ARGV[2]) / $ARGV[3] / 1000, $ARGV[4], $ARGV[3]' \
    "$(basename "$model")" "$total" "$base" "$repeat" "${CFLAGS:--O3 -march=native}"
