#!/usr/bin/env bash
# Microseconds per step of a model's generated C on this machine (one thread, the host gcc).
#
#   tools/csteps.sh MODEL.onnx [bnnc compile options]
#
# Compiles the model with bnnc (--target c --test-main), wraps each step call of the run function
# in clock_gettime (each step kept a function of its own: -DBNNC_STEP_ATTRIBUTES='__attribute__((noipa))'),
# builds it with gcc -O3 -march=native (or CFLAGS) and runs REPEAT inferences (default 20000) on
# one pseudo-random input; prints each step's mean and their total. The clock adds some 20-40 ns
# per step, so the total exceeds tools/walltime.sh's figure: for seeing where the time goes, not
# for quoting a model's time. Single-input, single-output models only.
set -euo pipefail
# shellcheck source=tools/generated-c.sh
. "$(dirname "${BASH_SOURCE[0]}")/generated-c.sh"
require_tools csteps gcc perl
repeat="${REPEAT:-20000}"
compile_model "$@"
# Each "    stepN_name(...);" line of the run function timed into step_ns[N], named in step_names.
perl -0pi -e '
    my @names;
    s#^(    )(step(\d+)_\w+)(\(.*\);)$#push @names, $2; $1 . "{ struct timespec a_, b_; clock_gettime(CLOCK_MONOTONIC, &a_); "
        . $2 . $4 . " clock_gettime(CLOCK_MONOTONIC, &b_); step_ns[" . $3 . "] += (b_.tv_sec - a_.tv_sec) * 1000000000L + (b_.tv_nsec - a_.tv_nsec); }"#mge;
    my $list = join(", ", map { "\"$_\"" } @names);
    my $count = @names;
    s#\n\#include#\n\#include <time.h>\nconst char *step_names[] = {$list};\nlong step_ns[$count];\nint step_count = $count;\n\#include#;
' "$work/model.c"
perl -0pi -e 's{(\n    return fclose)}{\n    {\n        extern const char *step_names[]; extern long step_ns[]; extern int step_count;\n        double all = 0;\n        for (int s = 0; s < step_count; s++) {\n            all += step_ns[s];\n            printf("  %-50s %10.3f\\n", step_names[s], step_ns[s] / 1e3 / repeat);\n        }\n        printf("  %-50s %10.3f\\n", "total", all / 1e3 / repeat);\n    }$1}' "$work/model_main.c"
grep -q 'step_names\[s\]' "$work/model_main.c" || { echo "csteps: the test driver has no return fclose to hook into" >&2; exit 2; }
# C99 as tools/walltime.sh builds it (gnu99 would let gcc contract multiplies and adds into FMAs);
# clock_gettime is POSIX.
# shellcheck disable=SC2086 # CFLAGS holds several flags
gcc -std=c99 -D_POSIX_C_SOURCE=199309L ${CFLAGS:--O3 -march=native} "-DBNNC_STEP_ATTRIBUTES=__attribute__((noipa))" \
    -o "$work/model" "$work/model.c" "$work/model_main.c" -lm
echo "$(basename "$model"): microseconds per step (gcc ${CFLAGS:--O3 -march=native}, $repeat inferences)"
"$work/model" "$work/in.bin" "$work/out.bin" "$repeat"
