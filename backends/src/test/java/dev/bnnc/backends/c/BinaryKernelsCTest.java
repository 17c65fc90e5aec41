package dev.bnnc.backends.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bnnc.backends.BinaryKernelGraphs;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.passes.plan.BufferPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated C of the binary kernels against the interpreter, bit for bit, on the graphs of
 * {@link BinaryKernelGraphs}: built with the host compiler (the portable kernels on x86-64) and
 * for aarch64 under qemu (the NEON kernels, where the input has no zero, and the portable ones).
 */
class BinaryKernelsCTest {
    private static final BinaryKernelGraphs GRAPHS = new BinaryKernelGraphs();
    private static final Map<String, Graph> ALL = GRAPHS.all();

    static Stream<Arguments> cases() {
        return ALL.keySet().stream().flatMap(name -> Stream.of(Arguments.of(name, "host"), Arguments.of(name, "aarch64")));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void generatedCEqualsInterpreter(String name, String machine) {
        CToolchain toolchain = machine.equals("host") ? CToolchain.host() : CToolchain.aarch64();
        assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
        Graph g = ALL.get(name);
        Value in = g.inputs().get(0);
        int[] outSizes = g.outputs().stream().mapToInt(v -> v.type().size()).toArray();
        List<float[]> inputs = GRAPHS.inputs(g, 5);
        List<float[][]> cases = new ArrayList<>();
        inputs.forEach(data -> cases.add(new float[][] {data}));
        CSources c = CBackend.generate(BufferPlanner.plan(g), "binary", "a test graph");
        try (CProgram p = toolchain.build(c, new int[] {in.type().size()}, outSizes)) {
            List<float[][]> actual = p.run(cases);
            for (int trial = 0; trial < inputs.size(); trial++) {
                List<Tensor> expected = Interpreter.run(g, List.of(Tensor.ofFloats(in.type().shape(), inputs.get(trial))));
                for (int k = 0; k < outSizes.length; k++) {
                    assertArrayEquals(expected.get(k).toFloatArray(), actual.get(trial)[k], name + " trial " + trial + " output " + k);
                }
            }
        }
    }
}
