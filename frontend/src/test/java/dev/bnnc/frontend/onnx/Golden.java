package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;

/**
 * Golden check of the importer: the imported graph, run by the IR interpreter, must give what ONNX
 * Runtime gives for the original model, on random inputs. The exporter is checked on the same cases:
 * the imported graph, exported, must give it too (see {@link ExportRoundTrip}).
 */
public final class Golden {
    private static final List<GoldenExtension> EXTENSIONS =
            ServiceLoader.load(GoldenExtension.class).stream().map(ServiceLoader.Provider::get).toList();

    /** Relative tolerance, with a small absolute floor for results near zero. */
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;

    private Golden() {}

    /** Random float inputs in [-2, 2) (integer inputs in [0, 4)). */
    static void check(OnnxModelBuilder model) {
        check(model.build(), -2, 2);
    }

    /** Random float inputs in [lo, hi), e.g. positive ones for Log and Sqrt. */
    static void check(OnnxModelBuilder model, float lo, float hi) {
        check(model.build(), lo, hi);
    }

    static void check(ModelProto model, float lo, float hi) {
        Graph g = OnnxImporter.importModel(model, null, ImportOptions.defaults());
        Random random = new Random(42);
        List<Tensor> inputs = new ArrayList<>();
        for (Value in : g.inputs()) {
            inputs.add(randomTensor(in.type(), random, lo, hi));
        }
        check(model, g, inputs);
    }

    /** The given float values, cycled through each input (NaN, infinities and signed zeros, say). */
    static void check(OnnxModelBuilder model, float... values) {
        ModelProto proto = model.build();
        Graph g = OnnxImporter.importModel(proto, null, ImportOptions.defaults());
        List<Tensor> inputs = new ArrayList<>();
        for (Value in : g.inputs()) {
            float[] a = new float[in.type().size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = values[i % values.length];
            }
            inputs.add(Tensor.adoptFloats(in.type().shape(), a));
        }
        check(proto, g, inputs);
    }

    private static void check(ModelProto model, Graph g, List<Tensor> inputs) {
        List<Tensor> expected = OnnxRuntimeReference.run(model, inputs);
        List<Tensor> actual = Interpreter.run(g, inputs);
        assertEquals(expected.size(), actual.size(), "number of outputs");
        for (int i = 0; i < expected.size(); i++) {
            assertClose(g.outputs().get(i).name(), expected.get(i), actual.get(i));
        }
        ExportRoundTrip.check(g, inputs, expected);
        for (GoldenExtension e : EXTENSIONS) {
            e.check(model, g, inputs, expected);
        }
    }

    static Tensor randomTensor(TensorType type, Random random, float lo, float hi) {
        if (type.dtype() == DType.I64) {
            long[] a = new long[type.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(4);
            }
            return Tensor.adoptLongs(type.shape(), a);
        }
        float[] a = new float[type.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = lo + random.nextFloat() * (hi - lo);
        }
        return Tensor.adoptFloats(type.shape(), a);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.type(), actual.type(), what + ": type");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.doubleAt(i);
            double a = actual.doubleAt(i);
            boolean same = e == a || (Double.isNaN(e) && Double.isNaN(a));
            if (!same && !(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
                fail(what + "[" + i + "]: expected " + e + ", got " + a + " (expected " + expected + ", got "
                        + actual + ")");
            }
        }
    }
}
