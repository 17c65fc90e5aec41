package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Target;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled models end to end in C, built with the host compiler, with it and -march=native on
 * x86-64 (the AVX-512 kernels where the CPU has them) and for aarch64 (run under qemu), against
 * ONNX Runtime on random inputs: relative error <= 1e-4 and the same arg-max for the float models
 * (as for Java), the binarized models' tolerances for those. On x86-64, where neither the portable
 * loops nor the AVX-512 kernels fuse a multiply-add (C99 contracts none), the C code gives the
 * interpreter's outputs bit for bit; on aarch64 the NEON kernels fuse them (one rounding instead of
 * two).
 */
class GeneratedCTest {
    static Stream<Arguments> models() {
        List<String[]> models = List.of(
                new String[] {"models/alibaba_kws.onnx", "1e-4"},
                new String[] {"dfsmn/dfsmn_kws.onnx", "1e-4"},
                new String[] {"bifsmn/bifsmn_float_twin.onnx", "1e-4"},
                new String[] {"models/TFC_1W1A.onnx", "1e-4"},
                new String[] {"bifsmn/bifsmn_ts.onnx", "2e-3"},
                new String[] {"bifsmn/bifsmn_dynamo.onnx", "2e-3"});
        List<CToolchain> toolchains = CToolchain.checked();
        return models.stream().flatMap(m -> toolchains.stream()
                .map(t -> Arguments.of(m[0], Double.parseDouble(m[1]), Named.of(t.label(), t))));
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("models")
    void generatedCMatchesOnnxRuntime(String model, double tolerance, CToolchain toolchain) {
        assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
        Path file = Path.of(model);
        Compilation c = ModelCompiler.compile(file, ModelCompiler.Options.defaults());
        GoldenCheck.Result r = GoldenCheck.run(c, Map.of(1, OnnxImporter.readModel(file)),
                GoldenCheck.randomInputs(c.optimized(), 20, 11), Target.c, List.of(toolchain)).get(0);
        GoldenCheck.Generated generated = r.generated().get(0);
        for (int k = 0; k < r.outputs().size(); k++) {
            ErrorStats s = generated.stats().get(k);
            assertTrue(s.within(tolerance), model + " " + generated.label() + ": " + s);
        }
        String arch = System.getProperty("os.arch");
        if (!toolchain.emulated() && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertTrue(generated.equalsInterpreter(), model + ": " + generated.label() + " equals the interpreter bit for bit");
        }
    }
}
