package dev.bnnc.cli.verify;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.CTarget;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.cli.Target;
import dev.bnnc.frontend.onnx.OnnxRuntimeReference;
import dev.bnnc.frontend.onnx.QonnxReference;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.passes.plan.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The golden-output test: ONNX Runtime on the original model (with QONNX BipolarQuant rewritten
 * into standard ops, if it has any), the reference interpreter on the optimized IR, and the
 * generated code, all on the same inputs. Generated Java is compiled in memory; generated C is
 * built and run with each toolchain available here (the host compiler, and aarch64 under qemu).
 */
public final class GoldenCheck {
    private GoldenCheck() {}

    /**
     * Worst errors of one run of the generated code (a language, and for C a toolchain), per graph
     * output, and whether it gave the interpreter's outputs bit for bit on every case.
     */
    public record Generated(String label, List<ErrorStats> stats, boolean equalsInterpreter) {}

    /**
     * Worst errors over all cases of one variant (its interval; 1 unless thinnable), per graph
     * output; toolchains that could not run, with the reason.
     */
    public record Result(int interval, List<Value> outputs, List<ErrorStats> interpreter, List<Generated> generated,
                         List<String> skipped, int cases) {
        public boolean passed(double tolerance) {
            return interpreter.stream().allMatch(s -> s.within(tolerance))
                    && generated.stream().allMatch(g -> g.stats().stream().allMatch(s -> s.within(tolerance)));
        }
    }

    /** Checks the generated Java for {@code c} (one variant) and the interpreter against ONNX Runtime. */
    public static Result run(Compilation c, ModelProto model, List<List<Tensor>> inputs) {
        return run(c, Map.of(c.variants().get(0).interval(), model), inputs, Target.java, List.of()).get(0);
    }

    /** Generated code, built once, run on cases at an interval (null: the plain entry point). */
    private record Runner(String label, BiFunction<List<List<Tensor>>, Integer, List<List<Tensor>>> run) {}

    /**
     * Checks every variant of {@code c} (its only one, unless thinnable), in order: the generated
     * code of {@code target} (for C, built with each available toolchain of {@code toolchains}) and
     * the interpreter against ONNX Runtime on the variant's model in {@code references} (by
     * interval); or, for a variant without a model, the generated code against the interpreter
     * alone. The code is generated and built once for all variants.
     */
    public static List<Result> run(Compilation c, Map<Integer, ModelProto> references, List<List<Tensor>> inputs, Target target,
                                   List<CToolchain> toolchains) {
        Graph g = c.optimized();
        List<Runner> runners = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<GeneratedC> builds = new ArrayList<>();
        try {
            if (target == Target.java) {
                JavaTarget java = new JavaTarget("bnnc.verify", "VerifiedModel");
                Class<?> cls = JavaSourceCompiler.compile(java.qualifiedName(), java.generate(c));
                runners.add(new Runner("java", (cases, interval) -> {
                    GeneratedModel instance = new GeneratedModel(cls, g.inputs(), g.outputs(), interval);
                    return cases.stream().map(instance::run).toList();
                }));
            } else {
                CSources sources = new CTarget("bnnc_verified").generate(c);
                for (CToolchain tc : toolchains) {
                    if (!tc.available()) {
                        skipped.add(tc.label() + ": " + tc.unavailable().orElseThrow());
                        continue;
                    }
                    GeneratedC build = GeneratedC.build(sources, g, tc);
                    builds.add(build);
                    runners.add(new Runner("c " + tc.label(), build::run));
                }
            }
            List<Result> results = new ArrayList<>();
            for (Variant v : c.variants()) {
                results.add(check(v, references.get(v.interval()), inputs, c.thinnable() ? v.interval() : null, runners, skipped));
            }
            return results;
        } finally {
            builds.forEach(GeneratedC::close);
        }
    }

    private static Result check(Variant variant, ModelProto model, List<List<Tensor>> inputs, Integer interval,
                                List<Runner> runners, List<String> skipped) {
        Graph g = variant.plan().graph();
        List<List<Tensor>> reference = new ArrayList<>();
        List<List<Tensor>> interpreted = new ArrayList<>();
        List<ErrorStats> interp = new ArrayList<>();
        ModelProto runnable = model == null ? null : QonnxReference.needsRewrite(model) ? QonnxReference.rewrite(model) : model;
        try (OnnxRuntimeReference ort = runnable == null ? null : new OnnxRuntimeReference(runnable)) {
            for (List<Tensor> in : inputs) {
                List<Tensor> ours = Interpreter.run(g, in);
                List<Tensor> expected = ort == null ? ours : ort.run(in);
                reference.add(expected);
                interpreted.add(ours);
                accumulate(interp, ours, expected);
            }
        }
        List<Generated> generated = new ArrayList<>();
        for (Runner r : runners) {
            generated.add(compare(r.label(), r.run().apply(inputs, interval), reference, interpreted));
        }
        return new Result(variant.interval(), g.outputs(), interp, generated, skipped, inputs.size());
    }

    private static Generated compare(String label, List<List<Tensor>> outs, List<List<Tensor>> reference,
                                     List<List<Tensor>> interpreted) {
        List<ErrorStats> stats = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            accumulate(stats, outs.get(i), reference.get(i));
        }
        return new Generated(label, stats, outs.equals(interpreted));
    }

    private static void accumulate(List<ErrorStats> worst, List<Tensor> actual, List<Tensor> reference) {
        for (int k = 0; k < actual.size(); k++) {
            ErrorStats s = ErrorStats.compare(actual.get(k), reference.get(k));
            if (worst.size() <= k) {
                worst.add(s);
            } else {
                worst.set(k, worst.get(k).worst(s));
            }
        }
    }

    /** {@code n} inputs for {@code g}, uniform in [-1, 1), from a fixed seed. */
    public static List<List<Tensor>> randomInputs(Graph g, int n, long seed) {
        Random random = new Random(seed);
        List<List<Tensor>> cases = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            List<Tensor> in = new ArrayList<>();
            for (Value v : g.inputs()) {
                float[] data = new float[v.type().size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = random.nextFloat() * 2 - 1;
                }
                in.add(Tensor.adoptFloats(v.type().shape(), data));
            }
            cases.add(in);
        }
        return cases;
    }
}
