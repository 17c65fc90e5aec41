package dev.bnnc.backends.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.bnnc.backends.BinaryKernelGraphs;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.passes.plan.BufferPlanner;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated XNOR-popcount kernels against the interpreter's plain definition, bit for bit, on
 * the graphs of {@link BinaryKernelGraphs}: padding, strides, groups, depthwise, more than 64
 * channels, exact zeros, threshold chains, fused element-wise tails.
 */
class BinaryKernelsJavaTest {
    private static final BinaryKernelGraphs GRAPHS = new BinaryKernelGraphs();
    private static final Map<String, Graph> ALL = GRAPHS.all();

    static Stream<String> graphs() {
        return ALL.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("graphs")
    void generatedJavaEqualsInterpreter(String name) throws ReflectiveOperationException {
        Graph g = ALL.get(name);
        assertEqualsInterpreter(name, g, GRAPHS.inputs(g, 5));
    }

    /** The packing's check for ±0 and NaN (products of four elements) must see one such element wherever it is. */
    @ParameterizedTest
    @MethodSource("packedInputGraphs")
    void aLoneZeroOrNanAnywhereIsSeen(String name) throws ReflectiveOperationException {
        Graph g = ALL.get(name);
        assertEqualsInterpreter(name, g, GRAPHS.loneSpecials(g));
    }

    static Stream<String> packedInputGraphs() {
        return BinaryKernelGraphs.PACKED_INPUTS.stream();
    }

    private static void assertEqualsInterpreter(String name, Graph g, List<float[]> inputs) throws ReflectiveOperationException {
        String source = JavaBackend.generate(BufferPlanner.plan(g), "t", "Binary", "a test graph");
        Class<?> cls = JavaSourceCompiler.compile("t.Binary", source);
        Object model = cls.getConstructor().newInstance();
        Value in = g.inputs().get(0);
        int trial = 0;
        for (float[] data : inputs) {
            List<Tensor> expected = Interpreter.run(g, List.of(Tensor.ofFloats(in.type().shape(), data)));
            float[][] outputs = new float[expected.size()][];
            for (int k = 0; k < outputs.length; k++) {
                outputs[k] = new float[expected.get(k).size()];
            }
            if (outputs.length == 1) {
                cls.getMethod("run", float[].class, float[].class).invoke(model, data, outputs[0]);
            } else {
                cls.getMethod("run", float[][].class, float[][].class).invoke(model, new float[][] {data}, outputs);
            }
            for (int k = 0; k < outputs.length; k++) {
                assertArrayEquals(expected.get(k).toFloatArray(), outputs[k], name + " trial " + trial + " output " + k);
            }
            trial++;
        }
    }
}
