package dev.bnnc.backends.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bnnc.backends.BinaryKernelGraphs;
import dev.bnnc.backends.kernels.SimdKernelSet;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.passes.plan.BufferPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated C of the binary kernels against the interpreter, bit for bit, on the graphs of
 * {@link BinaryKernelGraphs}: built with the host compiler (the portable kernels on x86-64), with
 * it and -march=native (on x86-64 with AVX-512 VPOPCNTDQ, the AVX-512 kernels where the input has
 * no zero) and for aarch64 under qemu (the NEON kernels, where the input has no zero, and the
 * portable ones).
 */
class BinaryKernelsCTest {
    private static final BinaryKernelGraphs GRAPHS = new BinaryKernelGraphs();
    private static final Map<String, Graph> ALL = GRAPHS.all();

    static Stream<Arguments> cases() {
        List<CToolchain> toolchains = CToolchain.checked();
        return ALL.keySet().stream().flatMap(name -> toolchains.stream().map(t -> Arguments.of(name, Named.of(t.label(), t))));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void generatedCEqualsInterpreter(String name, CToolchain toolchain) {
        Graph g = ALL.get(name);
        assertEqualsInterpreter(name, g, GRAPHS.inputs(g, 5), toolchain);
    }

    static Stream<Arguments> packedInputCases() {
        List<CToolchain> toolchains = CToolchain.checked();
        return BinaryKernelGraphs.PACKED_INPUTS.stream()
                .flatMap(name -> toolchains.stream().map(t -> Arguments.of(name, Named.of(t.label(), t))));
    }

    /**
     * The packing kernels (SIMD and portable) take their fast path only after proving no element ±0 or NaN: a
     * lone one, at every place of the input in turn, must send the step to the exact kernel.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("packedInputCases")
    void aLoneZeroOrNanAnywhereIsSeen(String name, CToolchain toolchain) {
        Graph g = ALL.get(name);
        assertEqualsInterpreter(name, g, GRAPHS.loneSpecials(g), toolchain);
    }

    private static void assertEqualsInterpreter(String name, Graph g, List<float[]> inputs, CToolchain toolchain) {
        assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
        Value in = g.inputs().get(0);
        int[] outSizes = g.outputs().stream().mapToInt(v -> v.type().size()).toArray();
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

    /**
     * -march=native defines the macros of the x86 kernels the CPU has (AVX-512 with VPOPCNTDQ, else
     * AVX2): the native cases above then run them, not the portable kernels.
     */
    @Test
    void theNativeBuildHasTheX86KernelsOfTheCpu(@TempDir Path dir) throws IOException {
        CToolchain toolchain = CToolchain.hostNative();
        assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "skipped: no /proc/cpuinfo to read the CPU's features from");
        List<String> flags = List.of(Files.readString(cpuinfo).replaceAll("(?s).*?\\nflags\\s*:([^\\n]*).*", "$1").trim().split("\\s+"));
        boolean avx512 = flags.containsAll(List.of("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vpopcntdq"));
        assumeTrue(avx512 || flags.contains("avx2"), "skipped: this CPU has neither AVX-512 VPOPCNTDQ nor AVX2");
        SimdKernelSet expected = avx512 ? SimdKernelSet.AVX512 : SimdKernelSet.AVX2;
        Path probe = Files.writeString(dir.resolve("probe.c"), "#if !(" + expected.features() + ")\n#error no " + expected
                + " kernels\n#endif\nint bnnc_probe;\n");
        toolchain.checkCompiles(probe);
    }
}
