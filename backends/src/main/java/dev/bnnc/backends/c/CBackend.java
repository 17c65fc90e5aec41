package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.Dialect;
import dev.bnnc.backends.kernels.KernelEmitter;
import dev.bnnc.backends.kernels.SimdKernelSet;
import dev.bnnc.backends.kernels.StepEnv;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.passes.plan.Buffer;
import dev.bnnc.passes.plan.ExecutionPlan;
import dev.bnnc.passes.plan.Variant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Renders an {@link ExecutionPlan} as C99: {@code name.h} declares the API, {@code name.c} holds the
 * weights as {@code static const} arrays, one {@code static void} function per step with loops
 * specialized to the step's shapes (the kernels the Java backend renders too, see
 * {@link KernelEmitter}), and the run functions. Nothing is allocated: scratch memory is one
 * workspace of {@code NAME_WORKSPACE_BYTES} bytes, static for {@code name_run}, the caller's for
 * {@code name_run_ws}.
 */
public final class CBackend {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default",
            "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
            "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
            "unsigned", "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary");
    /** Workspace regions start at multiples of this many bytes (a cache line), for vector loads. */
    private static final int REGION_ALIGNMENT = 64;

    private CBackend() {}

    /** Whether {@code name} can prefix the generated functions and macros. */
    public static boolean isValidName(String name) {
        return IDENTIFIER.matcher(name).matches() && !KEYWORDS.contains(name);
    }

    /** Generates {@code name.h} and {@code name.c}; {@code sourceDescription} names the model in comments. */
    public static CSources generate(ExecutionPlan plan, String name, String sourceDescription) {
        return generate(List.of(new Variant(1, plan)), name, sourceDescription);
    }

    /**
     * Generates a (possibly thinnable) model: with several variants, weights equal by content are
     * defined once and {@code name_run_thin(input, output, interval)} runs one variant.
     */
    public static CSources generate(List<Variant> variants, String name, String sourceDescription) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a C identifier");
        }
        return new Generator(variants, name, comment(sourceDescription)).build();
    }

    /** Text safe inside a C block comment. */
    private static String comment(String text) {
        return text.replace("*/", "* /");
    }

    private static final class Generator {
        private final List<Variant> variants;
        private final Graph graph;
        private final String name;
        private final String macro;
        private final String source;
        private final CHelpers helpers = new CHelpers();
        private final Dialect dialect = new CDialect(helpers);
        /** Weight arrays by content, so a tensor used twice is emitted once; in first-use order. */
        private final Map<Tensor, String> weights = new LinkedHashMap<>();
        /** Scratch row tables by slot: the most floats any step lays out in it. */
        private final Map<Integer, Integer> scratch = new TreeMap<>();
        /** Scratch word arrays by slot: the most words any step needs. */
        private final Map<Integer, Integer> wordScratch = new TreeMap<>();
        /** The SIMD kernel sets some step has sections of. */
        private final Set<SimdKernelSet> usedSimd = EnumSet.noneOf(SimdKernelSet.class);

        Generator(List<Variant> variants, String name, String source) {
            this.variants = List.copyOf(variants);
            this.graph = variants.get(0).plan().graph();
            this.name = name;
            this.macro = name.toUpperCase(Locale.ROOT);
            this.source = source;
        }

        boolean single() {
            return graph.inputs().size() == 1 && graph.outputs().size() == 1;
        }

        boolean thinnable() {
            return variants.size() > 1;
        }

        CSources build() {
            StringBuilder steps = new StringBuilder();
            Map<Integer, List<String>> calls = new LinkedHashMap<>();
            for (Variant v : variants) {
                calls.put(v.interval(), new PlanEmitter(v.plan(), thinnable() ? "v" + v.interval() + "_" : "").calls(steps));
            }
            Workspace ws = new Workspace();
            String allCalls = calls.values().stream().flatMap(List::stream).reduce("", (a, b) -> a + "\n" + b);
            String weightDefinitions = weightDefinitions(withoutSimd(steps.toString()) + allCalls, steps.toString());
            return new CSources(name, header(ws), source(ws, weightDefinitions, steps.toString(), calls),
                    thinnable() ? List.copyOf(calls.keySet()) : List.of());
        }

        /**
         * The weight arrays that {@code code} reads. Kernels may ask for a constant's array and then
         * inline its value instead (a scalar operand); such arrays are left out. Arrays only SIMD
         * kernels read ({@code all} is all the code) are defined under the guards of those that do,
         * as an unused static array is an error under -Werror.
         */
        private String weightDefinitions(String code, String all) {
            StringBuilder defs = new StringBuilder();
            Map<String, StringBuilder> guarded = new LinkedHashMap<>();
            weights.forEach((t, array) -> {
                Pattern used = Pattern.compile("\\b" + array + "\\b");
                if (used.matcher(code).find()) {
                    defs.append(CWeights.define(array, t)).append('\n');
                    return;
                }
                List<String> readers = new ArrayList<>();
                for (SimdKernelSet simd : SimdKernelSet.values()) {
                    if (used.matcher(String.join("", sections(all, simd.guard()))).find()) {
                        readers.add("defined(" + simd.guard() + ")");
                    }
                }
                if (!readers.isEmpty()) {
                    guarded.computeIfAbsent(String.join(" || ", readers), k -> new StringBuilder())
                            .append(CWeights.define(array, t)).append('\n');
                }
            });
            guarded.forEach((condition, arrays) -> defs.append("#if ").append(condition).append('\n').append(arrays).append("#endif\n\n"));
            return defs.toString();
        }

        /** The sections of {@code code} compiled under {@code guard}. */
        private static List<String> sections(String code, String guard) {
            return section(guard).matcher(code).results().map(MatchResult::group).toList();
        }

        private static Pattern section(String guard) {
            return Pattern.compile("(?s)#if defined\\(" + guard + "\\)\n.*?#endif\n");
        }

        /** {@code code} without the SIMD kernels' sections. */
        private static String withoutSimd(String code) {
            for (SimdKernelSet simd : SimdKernelSet.values()) {
                code = section(simd.guard()).matcher(code).replaceAll("");
            }
            return code;
        }

        /** Every array a step may use, as {type, name}. */
        private List<String[]> pointers() {
            List<String[]> all = new ArrayList<>();
            for (int k = 0; k < graph.inputs().size(); k++) {
                all.add(new String[] {"const float", "in" + k});
            }
            for (int k = 0; k < graph.outputs().size(); k++) {
                all.add(new String[] {"float", "out" + k});
            }
            all.add(new String[] {"float", "arena"});
            all.add(new String[] {"uint64_t", "words"});
            for (int slot : scratch.keySet()) {
                all.add(new String[] {"float", "rows" + slot});
            }
            for (int slot : wordScratch.keySet()) {
                all.add(new String[] {"uint64_t", "scratch_words" + slot});
            }
            return all;
        }

        private String weight(Tensor t, String label) {
            String existing = weights.get(t);
            if (existing != null) {
                return existing;
            }
            String array = "W" + weights.size() + (label.isEmpty() ? "" : "_" + sanitize(label, 32));
            weights.put(t, array);
            return array;
        }

        private static String sanitize(String s, int max) {
            String r = s.replaceAll("[^A-Za-z0-9_]", "_");
            return r.length() > max ? r.substring(0, max) : r;
        }

        /** Where the run function finds each region of the workspace, in bytes. */
        private final class Workspace {
            final Map<String, Integer> offsets = new LinkedHashMap<>();
            final long bytes;

            Workspace() {
                long at = 0;
                at = place("words", 8L * variants.stream().mapToInt(v -> v.plan().wordArenaSize()).max().orElse(0), at);
                at = place("arena", 4L * variants.stream().mapToInt(v -> v.plan().arenaSize()).max().orElse(0), at);
                for (Map.Entry<Integer, Integer> e : scratch.entrySet()) {
                    at = place("rows" + e.getKey(), 4L * e.getValue(), at);
                }
                for (Map.Entry<Integer, Integer> e : wordScratch.entrySet()) {
                    at = place("scratch_words" + e.getKey(), 8L * e.getValue(), at);
                }
                bytes = at;
            }

            private long place(String region, long size, long at) {
                if (size == 0) {
                    return at;
                }
                if (at + size > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("the workspace exceeds 2 GB");
                }
                offsets.put(region, (int) at);
                return (at + size + REGION_ALIGNMENT - 1) / REGION_ALIGNMENT * REGION_ALIGNMENT;
            }
        }

        private String header(Workspace ws) {
            StringBuilder h = new StringBuilder();
            String guard = "BNNC_" + macro + "_H";
            h.append("/* Generated by bnnc from ").append(source).append(". Do not edit.\n *\n");
            if (single()) {
                h.append(" * ").append(name).append("_run(input, output) runs the model on one input: flat, row-major float arrays of\n")
                        .append(" * ").append(macro).append("_INPUT_SIZE and ").append(macro).append("_OUTPUT_SIZE elements:\n");
            } else {
                h.append(" * ").append(name).append("_run(inputs, outputs) runs the model: inputs[k] and outputs[k] are flat, row-major\n")
                        .append(" * float arrays of ").append(macro).append("_INPUTk_SIZE and ").append(macro)
                        .append("_OUTPUTk_SIZE elements (pass arrays such as\n * const float *inputs[")
                        .append(macro).append("_NUM_INPUTS] and float *outputs[").append(macro).append("_NUM_OUTPUTS]):\n");
            }
            for (int k = 0; k < graph.inputs().size(); k++) {
                h.append(" *   input  ").append(k).append(' ').append(describe(graph.inputs().get(k))).append('\n');
            }
            for (int k = 0; k < graph.outputs().size(); k++) {
                h.append(" *   output ").append(k).append(' ').append(describe(graph.outputs().get(k))).append('\n');
            }
            h.append(" *\n")
                    .append(" * ").append(name).append("_run uses a static workspace, so it is not reentrant: one call at a time.\n")
                    .append(" * ").append(name).append("_run_ws is reentrant: each concurrent call passes its own workspace of\n")
                    .append(" * ").append(macro).append("_WORKSPACE_BYTES bytes, aligned at least for uint64_t (as malloc returns;\n")
                    .append(" * 64-byte alignment is best). Inputs, outputs and the workspace must not overlap. Nothing\n")
                    .append(" * is allocated. Compile ").append(name).append(".c as C99 or later and link with libm (-lm); on\n")
                    .append(" * ARMv8 (and ARMv7 with NEON and VFPv4) the dense and convolution loops use NEON FMA.\n */\n");
            h.append("#ifndef ").append(guard).append('\n').append("#define ").append(guard).append("\n\n");
            if (single()) {
                define(h, "INPUT_SIZE", graph.inputs().get(0).type().size());
                define(h, "OUTPUT_SIZE", graph.outputs().get(0).type().size());
            } else {
                define(h, "NUM_INPUTS", graph.inputs().size());
                define(h, "NUM_OUTPUTS", graph.outputs().size());
                for (int k = 0; k < graph.inputs().size(); k++) {
                    define(h, "INPUT" + k + "_SIZE", graph.inputs().get(k).type().size());
                }
                for (int k = 0; k < graph.outputs().size(); k++) {
                    define(h, "OUTPUT" + k + "_SIZE", graph.outputs().get(k).type().size());
                }
            }
            define(h, "WORKSPACE_BYTES", ws.bytes);
            h.append("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
            h.append("void ").append(name).append("_run(").append(ioParams()).append(");\n");
            h.append("void ").append(name).append("_run_ws(void *workspace, ").append(ioParams()).append(");\n");
            if (thinnable()) {
                h.append("\n/* Thinnable model: interval L runs only the backbone blocks i with (i + 1) % L == 0. The\n")
                        .append(" * intervals: ").append(variants.stream().map(v -> String.valueOf(v.interval())).toList())
                        .append("; ").append(name).append("_run runs the first. Returns 0, or -1 for another interval. */\n");
                define(h, "NUM_INTERVALS", variants.size());
                h.append("int ").append(name).append("_run_thin(").append(ioParams()).append(", int interval);\n");
                h.append("int ").append(name).append("_run_thin_ws(void *workspace, ").append(ioParams()).append(", int interval);\n");
            }
            h.append("\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* ").append(guard).append(" */\n");
            return h.toString();
        }

        private void define(StringBuilder h, String what, long value) {
            h.append("#define ").append(macro).append('_').append(what).append(' ').append(value).append('\n');
        }

        private String ioParams() {
            return single() ? "const float *input, float *output" : "const float *const *inputs, float *const *outputs";
        }

        private static String describe(Value v) {
            StringBuilder sb = new StringBuilder("\"").append(comment(v.name())).append("\" float");
            for (int d : v.type().shape().dims()) {
                sb.append('[').append(d).append(']');
            }
            return sb.toString();
        }

        private String source(Workspace ws, String weightDefinitions, String steps, Map<Integer, List<String>> calls) {
            StringBuilder c = new StringBuilder();
            c.append("/* Generated by bnnc from ").append(source).append(". Do not edit; the API is in ").append(name)
                    .append(".h. */\n");
            c.append("#include \"").append(name).append(".h\"\n\n");
            c.append("#include <math.h>\n#include <stdint.h>\n#include <string.h>\n\n");
            for (SimdKernelSet simd : usedSimd) {
                c.append("#if ").append(simd.features()).append("\n#include <").append(simd.header()).append(">\n#define ")
                        .append(simd.guard()).append(" 1\n#endif\n\n");
            }
            if (helpers.usesNeon()) {
                // A64 only: the float helpers' fused multiply-adds by scalar and by lane are A64 intrinsics;
                // 32-bit ARM takes the portable loops.
                c.append("#if defined(__ARM_NEON) && defined(__aarch64__)\n#include <arm_neon.h>\n#define BNNC_NEON 1\n#endif\n\n");
            }
            if (helpers.usesAvx()) {
                c.append("#if defined(__AVX__)\n#include <immintrin.h>\n#endif\n\n");
            }
            c.append("#if defined(__GNUC__)\n#define BNNC_ALIGNED __attribute__((aligned(").append(REGION_ALIGNMENT)
                    .append(")))\n#else\n#define BNNC_ALIGNED\n#endif\n\n");
            c.append("/* Defined as __attribute__((noipa)), each step stays a function of its own: for per-step\n")
                    .append(" * profiles (tools/insncount.sh --steps). */\n")
                    .append("#ifndef BNNC_STEP_ATTRIBUTES\n#define BNNC_STEP_ATTRIBUTES\n#endif\n\n");
            c.append(helpers.render());
            c.append(weightDefinitions);
            c.append(steps);
            runFunctions(c, ws, calls);
            return c.toString();
        }

        /**
         * The entry points: {@code name_run_ws} runs the steps on the caller's workspace and
         * {@code name_run} on a static one; a thinnable model gets a function per variant, and
         * {@code name_run_thin(_ws)} choosing one by interval (plain {@code name_run} runs the first).
         */
        private void runFunctions(StringBuilder c, Workspace ws, Map<Integer, List<String>> calls) {
            String args = single() ? "input, output" : "inputs, outputs";
            String staticWs = ws.bytes > 0 ? name + "_workspace" : "0";
            if (ws.bytes > 0) {
                c.append("static uint64_t ").append(name).append("_workspace[(").append(macro)
                        .append("_WORKSPACE_BYTES + 7) / 8] BNNC_ALIGNED;\n\n");
            }
            if (!thinnable()) {
                body(c, "void " + name + "_run_ws(void *workspace, " + ioParams() + ")", ws, calls.values().iterator().next());
            } else {
                calls.forEach((interval, steps) -> body(c, "static void " + name + "_v" + interval + "(void *workspace, "
                        + ioParams() + ")", ws, steps));
                c.append("int ").append(name).append("_run_thin_ws(void *workspace, ").append(ioParams()).append(", int interval) {\n");
                c.append("    switch (interval) {\n");
                for (int interval : calls.keySet()) {
                    c.append("    case ").append(interval).append(": ").append(name).append("_v").append(interval)
                            .append("(workspace, ").append(args).append("); return 0;\n");
                }
                c.append("    default: return -1;\n    }\n}\n\n");
                c.append("int ").append(name).append("_run_thin(").append(ioParams()).append(", int interval) {\n");
                c.append("    return ").append(name).append("_run_thin_ws(").append(staticWs).append(", ").append(args)
                        .append(", interval);\n}\n\n");
                c.append("void ").append(name).append("_run_ws(void *workspace, ").append(ioParams()).append(") {\n");
                c.append("    ").append(name).append("_v").append(calls.keySet().iterator().next()).append("(workspace, ")
                        .append(args).append(");\n}\n\n");
            }
            c.append("void ").append(name).append("_run(").append(ioParams()).append(") {\n");
            c.append("    ").append(name).append("_run_ws(").append(staticWs).append(", ").append(args).append(");\n}\n");
        }

        /** A function with {@code signature} whose body runs {@code calls} on the workspace's regions. */
        private void body(StringBuilder c, String signature, Workspace ws, List<String> calls) {
            String all = String.join("\n", calls);
            c.append(signature).append(" {\n");
            boolean usesWorkspace = false;
            for (String[] p : pointers()) {
                if (!Pattern.compile("\\b" + p[1] + "\\b").matcher(all).find()) {
                    continue;
                }
                String init;
                if (p[1].startsWith("in")) {
                    init = single() ? "input" : "inputs[" + p[1].substring(2) + "]";
                } else if (p[1].startsWith("out")) {
                    init = single() ? "output" : "outputs[" + p[1].substring(3) + "]";
                } else {
                    init = "(" + p[0] + " *) ((char *) workspace + " + ws.offsets.get(p[1]) + ")";
                    usesWorkspace = true;
                }
                c.append("    ").append(p[0]).append(" *").append(p[1]).append(" = ").append(init).append(";\n");
            }
            if (!usesWorkspace) {
                c.append("    (void) workspace;\n");
            }
            List<String> unusedIo = single() ? List.of("input", "output") : List.of("inputs", "outputs");
            for (String io : unusedIo) {
                String prefix = io.startsWith("in") ? "in" : "out";
                if (!Pattern.compile("\\b" + prefix + "\\d+\\b").matcher(all).find()) {
                    c.append("    (void) ").append(io).append(";\n");
                }
            }
            for (String call : calls) {
                c.append("    ").append(call).append('\n');
            }
            c.append("}\n\n");
        }

        /** The steps of one variant, and where its values live. */
        private final class PlanEmitter {
            private final ExecutionPlan plan;
            private final Graph g;
            private final String prefix;

            PlanEmitter(ExecutionPlan plan, String prefix) {
                this.plan = plan;
                this.g = plan.graph();
                this.prefix = prefix;
            }

            /** Writes the step functions into {@code out}; returns the statements that run them and fill the outputs. */
            List<String> calls(StringBuilder out) {
                List<String> calls = new ArrayList<>();
                for (int i = 0; i < plan.steps().size(); i++) {
                    calls.add(step(i, plan.steps().get(i), out));
                }
                for (int k : plan.copiedOutputs()) {
                    Value v = g.outputs().get(k);
                    String from = array(v);
                    int offset = plan.buffer(v).offset();
                    calls.add("memcpy(out" + k + ", " + (offset == 0 ? from : from + " + " + offset) + ", "
                            + v.type().size() + " * sizeof(float));");
                }
                return calls;
            }

            /** Writes the function of step {@code index} and returns the statement that calls it. */
            private String step(int index, Node n, StringBuilder out) {
                String body = KernelEmitter.body(n, plan.tail(n), new Env());
                for (SimdKernelSet simd : SimdKernelSet.values()) {
                    Optional<String> section = simd.body(n, plan.tail(n), new Env());
                    if (section.isPresent()) {
                        usedSimd.add(simd);
                        body = "#if defined(" + simd.guard() + ")\n" + section.get() + "#endif\n" + body;
                    }
                }
                List<String[]> params = new ArrayList<>();
                for (String[] candidate : pointers()) {
                    if (Pattern.compile("\\b" + candidate[1] + "\\b").matcher(body).find()) {
                        params.add(candidate);
                    }
                }
                String function = prefix + "step" + index + "_" + sanitize(n.name(), 40);
                out.append("/* ").append(comment(n.name())).append(": ").append(n.op().opName()).append(". */\n");
                out.append("static BNNC_STEP_ATTRIBUTES void ").append(function).append('(');
                if (params.isEmpty()) {
                    out.append("void");
                }
                for (int i = 0; i < params.size(); i++) {
                    out.append(i > 0 ? ", " : "").append(params.get(i)[0]).append(" *restrict ").append(params.get(i)[1]);
                }
                out.append(") {\n");
                body.lines().forEach(line -> out.append(line.startsWith("#") ? "" : "    ").append(line).append('\n'));
                out.append("}\n\n");
                return function + "(" + String.join(", ", params.stream().map(p -> p[1]).toList()) + ");";
            }


            private String array(Value v) {
                Buffer b = plan.buffer(v);
                return switch (b.storage()) {
                    case INPUT -> "in" + b.index();
                    case OUTPUT -> "out" + b.index();
                    case ARENA -> "arena";
                    case WORDS -> "words";
                    case CONSTANT -> weight(g.constant(v).orElseThrow(), v.name());
                };
            }

            /** Where the kernels of a step find its values. */
            private final class Env implements StepEnv {
                @Override
                public Dialect dialect() {
                    return dialect;
                }

                @Override
                public String array(Value v) {
                    return PlanEmitter.this.array(v);
                }

                @Override
                public int offset(Value v) {
                    return plan.buffer(v).offset();
                }

                @Override
                public Optional<Tensor> constant(Value v) {
                    return g.constant(v);
                }

                @Override
                public String constantRows(Tensor t, int rowLength) {
                    return weight(t, "");
                }

                @Override
                public String derivedConstant(Tensor t) {
                    return weight(t, "derived");
                }

                @Override
                public String scratchRows(int slot, int rows, int length) {
                    scratch.merge(slot, rows * length, Math::max);
                    return "rows" + slot;
                }

                @Override
                public String scratchWords(int slot, int length) {
                    wordScratch.merge(slot, length, Math::max);
                    return "scratch_words" + slot;
                }
            }
        }
    }
}
