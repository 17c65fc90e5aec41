#!/usr/bin/env bash
# Microseconds per step of a model's generated Java on this machine (one thread, the JVM's C2).
#
#   tools/javasteps.sh MODEL.onnx [bnnc compile options]
#
# Compiles the model with bnnc (--target java), wraps each step call of run() in System.nanoTime
# (each step stays a method of its own), and runs tools/javasteps/StepTimes: REPEAT inferences
# (default 10000) to warm up, then REPEAT timed, on one pseudo-random input; prints each step's
# mean and their total. For comparing schedules step by step (old and new code alternately);
# JMH (README, Benchmarks) gives the figures to quote. Set JAVA to run another JDK's java.
# Single-input, single-output models only.
set -euo pipefail
# shellcheck source=tools/generated-c.sh
. "$(dirname "${BASH_SOURCE[0]}")/generated-c.sh"
java="${JAVA:-java}"
require_tools javasteps "$java" javac perl
repeat="${REPEAT:-10000}"
"$root/bnnc" compile "$model" --target java --out "$work" --name StepTimed "$@" >/dev/null
source="$work/StepTimed.java"
grep -q 'public static final int\[\] INPUT_SHAPE' "$source" \
    || { echo "javasteps: $(basename "$model") has several inputs or outputs" >&2; exit 2; }
# Each "stepN_name(...);" line of run() timed into STEP_NANOS[N]; the names listed in STEP_NAMES.
perl -0pi -e '
    my @names;
    s{^(\s+)(step(\d+)_\w+)(\(.*\);)$}{push @names, $2; "$1long t$3 = System.nanoTime(); $2$4 STEP_NANOS[$3] += System.nanoTime() - t$3;"}mge;
    my $list = join(", ", map { "\"$_\"" } @names);
    s{(public final class StepTimed \{\n)}{$1    static final String[] STEP_NAMES = {$list};\n    static final long[] STEP_NANOS = new long[STEP_NAMES.length];\n};
' "$source"
javac -nowarn -d "$work" "$source" "$here/javasteps/StepTimes.java"
echo "$(basename "$model"): microseconds per step ($java, $repeat inferences after as many to warm up)"
"$java" -cp "$work" StepTimes "$repeat"
