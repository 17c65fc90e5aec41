# Shared by tools/insncount.sh and tools/walltime.sh (sourced, not run): a model compiled to C
# with its test driver, and an input for it. tools/javasteps.sh takes the setup only.
#
# Sets: here (tools/), root (the repository), model (the first argument, shifted off), work (a
# temporary folder, deleted on exit). With fewer than one argument, prints the calling script's
# header comment and exits 2.
if [ $# -lt 1 ]; then
    sed -n '2,/^set/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
model="$1"
shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# require_tools NAME TOOL...: exits 2 unless every tool is on the PATH
require_tools() {
    local name="$1"
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$name: $tool is not on the PATH" >&2; exit 2; }
    done
}

# compile_model [bnnc compile options]: work/model.h, model.c, model_main.c and bnnc-report.json;
# then work/in.bin, one case: every input's floats, uniform in [-1, 1) from a fixed seed
compile_model() {
    "$root/bnnc" compile "$model" --target c --test-main --out "$work" --name model "$@" >/dev/null
    local floats
    floats="$(sed -n 's/^#define MODEL_INPUT[0-9]*_SIZE \([0-9]*\)$/\1/p' "$work/model.h" | awk "{ s += \$1 } END { print s }")"
    perl -e 'srand(1); print pack("f<*", map { rand(2) - 1 } 1 .. $ARGV[0])' "$floats" > "$work/in.bin"
}
