package dev.bnnc.cli.verify;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.passes.plan.Variant;
import dev.bnnc.frontend.onnx.OnnxRuntimeReference;
import dev.bnnc.frontend.onnx.QonnxReference;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The golden-output test: ONNX Runtime on the original model, the reference interpreter on the
 * optimized IR, and the generated Java class, all on the same inputs.
 */
public final class GoldenCheck {
    private GoldenCheck() {}

    /** Worst errors over all cases, per graph output. */
    public record Result(List<Value> outputs, List<ErrorStats> interpreter, List<ErrorStats> generated, int cases,
                         boolean generatedEqualsInterpreter) {
        public boolean passed(double tolerance) {
            return interpreter.stream().allMatch(s -> s.within(tolerance)) && generated.stream().allMatch(s -> s.within(tolerance));
        }
    }

    /**
     * Compiles the generated Java for {@code c} and checks it and the interpreter against ONNX
     * Runtime (on the model with QONNX BipolarQuant rewritten into standard ops, if it has any).
     */
    public static Result run(Compilation c, ModelProto model, List<List<Tensor>> inputs) {
        return run(c, compile(c), c.variants().get(0), model, inputs);
    }

    /** The generated Java class of {@code c}, compiled with {@code --release 8} and loaded. */
    public static Class<?> compile(Compilation c) {
        JavaTarget target = new JavaTarget("bnnc.verify", "VerifiedModel");
        return JavaSourceCompiler.compile(target.qualifiedName(), target.generate(c));
    }

    /**
     * Checks one variant of a compiled (possibly thinnable) model against ONNX Runtime on
     * {@code model}, or, when there is no ONNX model of the variant (null), the generated code
     * against the interpreter alone.
     */
    public static Result run(Compilation c, Class<?> cls, Variant variant, ModelProto model, List<List<Tensor>> inputs) {
        Graph g = variant.plan().graph();
        GeneratedModel generated = new GeneratedModel(cls, g.inputs(), g.outputs(), c.thinnable() ? variant.interval() : null);
        List<ErrorStats> interp = new ArrayList<>();
        List<ErrorStats> gen = new ArrayList<>();
        boolean bitExact = true;
        ModelProto runnable = model == null ? null : QonnxReference.needsRewrite(model) ? QonnxReference.rewrite(model) : model;
        try (OnnxRuntimeReference ort = runnable == null ? null : new OnnxRuntimeReference(runnable)) {
            for (List<Tensor> in : inputs) {
                List<Tensor> expected = Interpreter.run(g, in);
                List<Tensor> expectedByOrt = ort == null ? expected : ort.run(in);
                List<Tensor> actual = generated.run(in);
                accumulate(interp, expected, expectedByOrt);
                accumulate(gen, actual, expectedByOrt);
                bitExact &= expected.equals(actual);
            }
        }
        return new Result(g.outputs(), interp, gen, inputs.size(), bitExact);
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
