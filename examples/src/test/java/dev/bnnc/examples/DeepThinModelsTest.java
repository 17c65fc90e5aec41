package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.CompileReport;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Target;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.export.OnnxExporter;
import dev.bnnc.ir.Tensor;
import dev.bnnc.passes.deepthin.DeepThinMode;
import dev.bnnc.passes.deepthin.ImportMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DeepThin end to end: the PyTorch MLP trained with a DeepThin layer (examples/deepthin, exported
 * with constant folding off) compiles with its weight still factored, and its generated Java and C
 * give ONNX Runtime's outputs; an MLP compressed post-training with {@code --deepthin 0.05} keeps at
 * most 8% of its float32 weight bytes, and its generated code gives what ONNX Runtime computes on
 * its {@code --emit-onnx} export.
 */
class DeepThinModelsTest {
    private static final Path DEEPTHIN_MLP = Path.of("deepthin/deepthin_mlp.onnx");
    /** The factors [126, 8] and [8, 131] and the bias [256] of the DeepThin layer, as float32. */
    private static final long FACTORED_LAYER_BYTES = 4L * (126 * 8 + 8 * 131 + 256);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "host", "aarch64"})
    void deepThinMlpStaysFactoredAndMatchesOnnxRuntime(String machine) {
        Compilation c = ModelCompiler.compile(DEEPTHIN_MLP, ModelCompiler.Options.defaults());
        CompileReport.Layer layer = CompileReport.of(c, "java", "M").layers().get(0);
        assertEquals("FactoredDense", layer.op());
        assertEquals(FACTORED_LAYER_BYTES, layer.weightBytes(), "the factors' bytes, not the 64×256 weight's");
        assertMatches(c, OnnxImporter.readModel(DEEPTHIN_MLP), machine, 1e-4);
    }

    @Test
    void foldingTheFactoredWeightGivesADenseLayer() {
        ModelCompiler.Options fold = ModelCompiler.Options.defaults()
                .withDeepThin(new DeepThinMode(ImportMode.FOLD, 0, Set.of()));
        CompileReport.Layer layer = CompileReport.of(ModelCompiler.compile(DEEPTHIN_MLP, fold), "java", "M").layers().get(0);
        assertEquals("Dense", layer.op());
        assertEquals(4L * (64 * 256 + 256), layer.weightBytes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "host", "aarch64"})
    void compressedMlpKeepsAtMostEightPercentAndMatchesItsExport(String machine, @TempDir Path dir)
            throws Exception {
        int[] widths = {256, 1024, 512, 16};
        Path file = dir.resolve("mlp.onnx");
        Files.write(file, Mlp.of(widths).toByteArray());
        ModelCompiler.Options options = ModelCompiler.Options.defaults()
                .withDeepThin(new DeepThinMode(ImportMode.AUTO, 0.05, Set.of()));
        Compilation c = ModelCompiler.compile(file, options);
        CompileReport report = CompileReport.of(c, "java", "M");
        long float32 = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            float32 += 4L * (widths[l] + 1) * widths[l + 1];
        }
        assertEquals(float32, report.float32WeightBytes());
        assertTrue(report.weightBytes() <= 0.08 * float32, report.weightBytes() + " of " + float32 + " bytes");
        assertTrue(report.layers().stream().allMatch(l -> l.op().equals("FactoredDense") && l.deepThin() != null));
        ModelProto exported = OnnxExporter.export(c.optimized());
        assertMatches(c, exported, machine, 1e-4);
    }

    private static void assertMatches(Compilation c, ModelProto model, String machine, double tolerance) {
        List<List<Tensor>> inputs = GoldenCheck.randomInputs(c.optimized(), 4, 6);
        GoldenCheck.Result r;
        if (machine.equals("java")) {
            r = GoldenCheck.run(c, model, inputs);
        } else {
            CToolchain toolchain = machine.equals("host") ? CToolchain.host() : CToolchain.aarch64();
            assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
            r = GoldenCheck.run(c, Map.of(1, model), inputs, Target.c, List.of(toolchain)).get(0);
        }
        ErrorStats interp = r.interpreter().get(0);
        ErrorStats generated = r.generated().get(0).stats().get(0);
        assertTrue(interp.within(tolerance), "interpreter: " + interp);
        assertTrue(generated.within(tolerance), r.generated().get(0).label() + ": " + generated);
        String arch = System.getProperty("os.arch");
        if (!machine.equals("aarch64") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertTrue(r.generated().get(0).equalsInterpreter(), r.generated().get(0).label() + " equals the interpreter bit for bit");
        }
    }
}
