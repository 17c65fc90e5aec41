#!/usr/bin/env bash
# Instructions per inference of a model's generated C on ARMv8-A, counted exactly under qemu.
#
#   tools/insncount.sh [--steps] MODEL.onnx [bnnc compile options, e.g. --input-shape 1,1,49,40]
#
# Compiles the model with bnnc (--target c --test-main), builds it with aarch64-linux-gnu-gcc
# -O3 -march=armv8-a -static, and runs it under qemu-aarch64 with the counting plugin
# (tools/qemu-insncount) for 1 and for 11 inferences on the same pseudo-random input: the difference
# divided by 10 is the count of one inference, start-up and I/O cancelled out.
# With --steps, also the count of every step (each kept a function of its own, opaque to the
# optimizer of its caller: built with -DBNNC_STEP_ATTRIBUTES='__attribute__((noipa))', so the total
# can differ a little from the plain build's; the outputs are checked to be the same), with each
# layer's multiply-accumulates from bnnc-report.json: for binary layers the sign products / 128
# too, the popcount bound of NEON (one 128-bit cnt each).
# Needs: gcc, aarch64-linux-gnu-gcc, qemu-aarch64 (qemu-user, not qemu-user-static), perl.
# Set CFLAGS to change the optimization flags (default: -O3). For a thinnable model (--tba or
# --variant), set INTERVAL to count that variant (default: the first interval).
set -euo pipefail
steps=
if [ "${1:-}" = --steps ]; then
    steps=1
    shift
fi
# shellcheck source=tools/generated-c.sh
. "$(dirname "${BASH_SOURCE[0]}")/generated-c.sh"
require_tools insncount gcc aarch64-linux-gnu-gcc aarch64-linux-gnu-nm qemu-aarch64 perl
compile_model "$@"
gcc -O2 -shared -fPIC -o "$work/libinsncount.so" "$here/qemu-insncount/insncount.c"
build() {
    # shellcheck disable=SC2086 # CFLAGS holds several flags
    aarch64-linux-gnu-gcc -std=c99 ${CFLAGS:--O3} -march=armv8-a -static "$@" "$work/model.c" "$work/model_main.c" -lm
}
build -o "$work/model"
if [ -n "$steps" ]; then
    build -o "$work/model-steps" "-DBNNC_STEP_ATTRIBUTES=__attribute__((noipa))"
fi

# run PROGRAM REPEAT OUTPUT [,PLUGIN OPTIONS]: the plugin's report
run() {
    qemu-aarch64 -plugin "$work/libinsncount.so${4:-}" -d plugin "$1" "$work/in.bin" "$3" "$2" ${INTERVAL:+"$INTERVAL"} 2>&1 >/dev/null
}
total() {
    sed -n 's/^insns_total=\([0-9]*\).*/\1/p' "$1"
}
run "$work/model" 1 "$work/out" > "$work/one"
run "$work/model" 11 "$work/out" > "$work/eleven"
echo "$(basename "$model")${INTERVAL:+ at interval $INTERVAL}: $(( ($(total "$work/eleven") - $(total "$work/one")) / 10 )) aarch64 instructions per inference"
if [ -n "$steps" ]; then
    # The step functions' entry points (gcc may split off parts of one, as step.part.0).
    aarch64-linux-gnu-nm "$work/model-steps" | awk '$2 ~ /^[tT]$/ && $3 ~ /^(v[0-9]+_)?step[0-9]+_/ { print "0x" $1, $3 }' \
        > "$work/entries"
    run "$work/model-steps" 1 "$work/out-steps" ",entries=$work/entries" > "$work/one"
    run "$work/model-steps" 11 "$work/out-steps" ",entries=$work/entries" > "$work/eleven"
    cmp -s "$work/out" "$work/out-steps" \
        || { echo "insncount: the per-step build computes other outputs than the plain one" >&2; exit 1; }
    perl -MJSON::PP -e '
        my ($one, $eleven, $report) = @ARGV;
        sub counts {
            my %c;
            open my $f, "<", $_[0] or die;
            while (<$f>) {
                next unless /^insns_entry (\S+) (\d+)/;
                (my $step = $1) =~ s/\..*//;  # parts and clones count for their step
                $c{$step} += $2;
            }
            return %c;
        }
        my %one = counts($one);
        my %eleven = counts($eleven);
        open my $r, "<", $report or die;
        my $layers = decode_json(do { local $/; <$r> })->{layers};
        my %layer = map { (my $s = $_->{name}) =~ s/[^A-Za-z0-9_]/_/g; (substr($s, 0, 40) => $_) } @$layers;
        my ($sum, $bound) = (0, 0);
        printf "  %-48s %12s %10s %10s\n", "step", "instructions", "MACs", "MACs/128";
        for my $step (sort { ($a =~ /step(\d+)/)[0] <=> ($b =~ /step(\d+)/)[0] } grep { $_ ne "-" } keys %eleven) {
            my $n = ($eleven{$step} - ($one{$step} // 0)) / 10;
            $sum += $n;
            (my $name = $step) =~ s/^(v\d+_)?step\d+_//;
            my $l = $layer{$name};
            my $macs = $l ? $l->{macs} : "";
            my $cnt = $l && $l->{binary} ? int(($l->{macs} + 127) / 128) : "";
            $bound += $cnt || 0;
            printf "  %-48s %12d %10s %10s\n", $step, $n, $macs, $cnt;
        }
        my $outside = ($eleven{"-"} - $one{"-"}) / 10;
        printf "  %-48s %12d\n", "(outside the steps)", $outside;
        printf "  %-48s %12d %10s %10d\n", "(sum; binary layers: popcount bound)", $sum + $outside, "", $bound;
    ' "$work/one" "$work/eleven" "$work/bnnc-report.json"
fi
