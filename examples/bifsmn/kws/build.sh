# Sourced by examples/bifsmn/kws-demo and kws-evaluate: builds what they run, on first use and again
# when its inputs change. kws_build MODEL... compiles the committed models (hed: BiFSMN with HED, all TBA
# widths; nohed: the same without HED; fp: the full-precision teacher) to Java with ./bnnc, then the
# demo's Java sources (examples/src/main/java/dev/bnnc/examples/kws, JDK only) with them; sets KWS_CLASSES.
kws_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
kws_models="$kws_root/examples/bifsmn/kws/models"
kws_sources="$kws_root/examples/src/main/java/dev/bnnc/examples/kws"
kws_out="$kws_root/examples/target/kws"
KWS_CLASSES="$kws_out/classes"

kws_class() {
    case "$1" in
        hed) echo KwsBiFSMN ;;
        nohed) echo KwsBiFSMNNoHed ;;
        fp) echo KwsFullPrecision ;;
        *) echo "kws: unknown model $1" >&2; return 2 ;;
    esac
}

kws_stale() { # TARGET INPUT...: true when TARGET is missing or older than an input
    [ ! -e "$1" ] && return 0
    local target="$1"; shift
    [ -n "$(find "$@" -newer "$target" -print -quit 2>/dev/null)" ]
}

kws_build() {
    local model class onnx changed=0
    mkdir -p "$kws_out/generated"
    for model in "$@"; do
        class="$(kws_class "$model")"
        local source="$kws_out/generated/$model/dev/bnnc/examples/kws/generated/$class.java"
        if [ "$model" = fp ]; then
            onnx=("$kws_models/kws_fp.onnx")
        else
            onnx=("$kws_models/kws_${model}_L1.onnx" --variant "2=$kws_models/kws_${model}_L2.onnx"
                  --variant "4=$kws_models/kws_${model}_L4.onnx" --variant "8=$kws_models/kws_${model}_L8.onnx")
        fi
        if kws_stale "$source" "$kws_models"/kws_"$model"*.onnx "$kws_root/cli/target/bnnc-cli.jar"; then
            echo "kws: compiling $class with bnnc..." >&2
            "$kws_root/bnnc" compile "${onnx[@]}" --target java --out "$kws_out/generated/$model" \
                --name "$class" --package dev.bnnc.examples.kws.generated >&2
            changed=1
        fi
    done
    if [ "$changed" = 1 ] || kws_stale "$KWS_CLASSES/.built" "$kws_sources"; then
        echo "kws: compiling the demo (javac)..." >&2
        rm -rf "$KWS_CLASSES" && mkdir -p "$KWS_CLASSES"
        javac -nowarn -d "$KWS_CLASSES" "$kws_sources"/*.java "$kws_out"/generated/*/dev/bnnc/examples/kws/generated/*.java >&2
        touch "$KWS_CLASSES/.built"
    fi
}
