package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bnnc.backends.c.CProgram;
import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.CTarget;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.cli.Main;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Target;
import dev.bnnc.cli.Thinnable;
import dev.bnnc.cli.UserException;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.OnnxRuntimeReference;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Tensor;
import dev.bnnc.passes.plan.Variant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thinnable BiFSMN (TBA) end to end: per-width graphs merged into one artifact, and one graph
 * thinned at run time, each variant checked against ONNX Runtime on that width's own export, in
 * Java (bit for bit against the interpreter) and in C on each available toolchain.
 */
class ThinnableModelsTest {
    private static final Path DIR = Path.of("bifsmn");
    private static final int[] INTERVALS = {1, 2, 4, 8};

    private static Compilation compile(String file) {
        return ModelCompiler.compile(DIR.resolve(file), ModelCompiler.Options.defaults());
    }

    private static void assertVariantsMatch(Compilation c, Map<Integer, Path> references) {
        List<List<Tensor>> inputs = GoldenCheck.randomInputs(c.optimized(), 12, 3);
        Map<Integer, ModelProto> models = new TreeMap<>();
        references.forEach((interval, file) -> models.put(interval, OnnxImporter.readModel(file)));
        List<CToolchain> toolchains = CToolchain.checked().stream().filter(CToolchain::available).toList();
        List<GoldenCheck.Result> java = GoldenCheck.run(c, models, inputs, Target.java, List.of());
        assertEquals(c.variants().stream().map(Variant::interval).toList(), java.stream().map(GoldenCheck.Result::interval).toList());
        for (GoldenCheck.Result r : java) {
            assertTrue(r.generated().get(0).equalsInterpreter(), "interval " + r.interval() + ": Java equals the interpreter");
        }
        List<GoldenCheck.Result> all = new ArrayList<>(java);
        all.addAll(GoldenCheck.run(c, models, inputs, Target.c, toolchains));
        for (GoldenCheck.Result r : all) {
            for (var g : r.generated()) {
                ErrorStats s = g.stats().get(0);
                assertTrue(s.within(2e-3), "interval " + r.interval() + " " + g.label() + ": " + s);
            }
        }
    }

    @Test
    void perWidthGraphsMergeIntoOneArtifactMatchingEachWidth() {
        Map<Integer, Compilation> widths = new TreeMap<>();
        Map<Integer, Path> files = new TreeMap<>();
        for (int l : INTERVALS) {
            files.put(l, DIR.resolve("bifsmn_tba_L" + l + ".onnx"));
            if (l != 1) {
                widths.put(l, compile(files.get(l).getFileName().toString()));
            }
        }
        Compilation merged = Thinnable.merge(compile("bifsmn_tba_L1.onnx"), widths, Optional.empty());
        assertEquals(8, merged.blocks().size());
        assertEquals(List.of(1, 2, 4, 8), merged.variants().stream().map(Variant::interval).toList());
        assertVariantsMatch(merged, files);
    }

    /** Merging widths goes through maps of tensors and variants: its output must still be the same every time. */
    @Test
    void mergedArtifactIsTheSameEveryTime() {
        List<String> java = new ArrayList<>();
        List<CSources> c = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Map<Integer, Compilation> widths = new TreeMap<>();
            for (int l : new int[] {2, 4, 8}) {
                widths.put(l, compile("bifsmn_tba_L" + l + ".onnx"));
            }
            Compilation merged = Thinnable.merge(compile("bifsmn_tba_L1.onnx"), widths, Optional.empty());
            java.add(new JavaTarget("t", "Tba").generate(merged));
            c.add(new CTarget("tba").generate(merged));
        }
        assertEquals(java.get(0), java.get(1));
        assertEquals(c.get(0), c.get(1));
    }

    @Test
    void oneGraphThinnedAtRunTimeMatchesThePyTorchThinnedExports() {
        Compilation thin = Thinnable.thin(compile("bifsmn_tba_L1.onnx"), List.of(8, 4, 2, 1), Optional.empty());
        assertVariantsMatch(thin, Map.of(1, DIR.resolve("bifsmn_tba_L1.onnx"), 2, DIR.resolve("bifsmn_thin_L2.onnx"),
                4, DIR.resolve("bifsmn_thin_L4.onnx"), 8, DIR.resolve("bifsmn_thin_L8.onnx")));
    }

    /**
     * {@code bnnc tba} writes each variant as a plain ONNX model, the float network ({@code --binarize
     * off}) or the binary layers in their exact float form: in ONNX Runtime each file computes what
     * PyTorch's export of the same thinned network does, and the run-time thinning of the generated
     * code matches ONNX Runtime on the files.
     */
    @ParameterizedTest
    @ValueSource(strings = {"off", "auto"})
    void tbaCommandWritesEachVariantAsOnnx(String binarize, @TempDir Path out) throws Exception {
        StringWriter log = new StringWriter();
        int status = Main.execute(new String[] {"tba", DIR.resolve("bifsmn_tba_L1.onnx").toString(), "--intervals", "1,2,4,8",
                "--binarize", binarize, "--out", out.toString()}, new PrintWriter(log, true), new PrintWriter(log, true));
        assertEquals(0, status, log.toString());
        Map<Integer, Path> written = new TreeMap<>();
        for (int l : INTERVALS) {
            written.put(l, out.resolve("bifsmn_tba_L1_L" + l + ".onnx"));
        }
        List<List<Tensor>> cases = GoldenCheck.randomInputs(compile("bifsmn_tba_L1.onnx").optimized(), 4, 5);
        for (int l : new int[] {2, 4, 8}) {
            var pytorch = OnnxImporter.readModel(DIR.resolve("bifsmn_thin_L" + l + ".onnx"));
            var bnnc = OnnxImporter.readModel(written.get(l));
            for (List<Tensor> inputs : cases) {
                ErrorStats s = ErrorStats.compare(OnnxRuntimeReference.run(bnnc, inputs).get(0),
                        OnnxRuntimeReference.run(pytorch, inputs).get(0));
                assertTrue(s.within(1e-5), "interval " + l + ": " + s);
            }
        }
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("bnnc-tba-report.json"))).getAsJsonObject();
        assertEquals(8, report.getAsJsonArray("blocks").size());
        assertEquals(4, report.getAsJsonArray("variants").size());
        if (binarize.equals("off")) {
            assertVariantsMatch(Thinnable.thin(compile("bifsmn_tba_L1.onnx"), List.of(1, 2, 4, 8), Optional.empty()), written);
        }
    }

    @Test
    void tbaCommandRejectsAnIntervalThatDoesNotDivideTheBlocks(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("out");
        int status = Main.execute(new String[] {"tba", DIR.resolve("bifsmn_tba_L1.onnx").toString(), "--intervals", "1,3",
                "--out", out.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, status);
        assertEquals("bnnc: error: interval 3 does not divide the 8 blocks of the backbone", err.toString().strip());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void namedBackboneEqualsTheOneFound() {
        Compilation c = compile("bifsmn_tba_L1.onnx");
        var found = Thinnable.thin(c, List.of(1, 2), Optional.empty()).blocks();
        String spec = found.get(0).firstNode() + ".." + found.get(found.size() - 1).lastNode();
        var named = Thinnable.thin(c, List.of(1, 2), Optional.of(spec)).blocks();
        assertEquals(found, named);
        UserException bad = assertThrows(UserException.class, () -> Thinnable.thin(c, List.of(1, 2), Optional.of("x")));
        assertTrue(bad.getMessage().contains("expected FIRST..LAST"), bad.getMessage());
    }

    @Test
    void mismatchesAreClearErrors() {
        Compilation widest = compile("bifsmn_tba_L1.onnx");
        UserException wrong = assertThrows(UserException.class,
                () -> Thinnable.merge(widest, Map.of(2, compile("bifsmn_tba_L4.onnx")), Optional.empty()));
        assertTrue(wrong.getMessage().contains("bifsmn_tba_L4.onnx is not bifsmn_tba_L1.onnx with the blocks of interval 2 skipped"),
                wrong.getMessage());
        IrException three = assertThrows(IrException.class, () -> Thinnable.thin(widest, List.of(1, 3), Optional.empty()));
        assertTrue(three.getMessage().contains("interval 3 does not divide the 8 blocks"), three.getMessage());
        IrException none = assertThrows(IrException.class,
                () -> Thinnable.thin(ModelCompiler.compile(Path.of("models/alibaba_kws.onnx"), ModelCompiler.Options.defaults()),
                        List.of(1, 2), Optional.empty()));
        assertTrue(none.getMessage().startsWith("no thinnable backbone"), none.getMessage());
    }

    @Test
    void anUnsupportedIntervalIsRejectedByTheGeneratedCode() throws Exception {
        Compilation thin = Thinnable.thin(compile("bifsmn_tba_L1.onnx"), List.of(1, 2), Optional.empty());
        JavaTarget target = new JavaTarget("t", "Thin");
        Class<?> cls = JavaSourceCompiler.compile(target.qualifiedName(), target.generate(thin));
        Object model = cls.getConstructor().newInstance();
        var run = cls.getMethod("run", float[].class, float[].class, int.class);
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> run.invoke(model, new float[1024], new float[12], 4));
        assertTrue(e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage().contains("[1, 2]"), e.getCause().toString());
        // C: NAME_run_thin returns -1, which the test driver reports.
        CToolchain host = CToolchain.host();
        if (host.available()) {
            CSources sources = new CTarget("thin").generate(thin);
            List<float[][]> silence = List.<float[][]>of(new float[][] {new float[1024]});
            try (CProgram program = host.build(sources, new int[] {1024}, new int[] {12})) {
                IllegalStateException c = assertThrows(IllegalStateException.class, () -> program.run(silence, 4));
                assertTrue(c.getMessage().contains("unsupported interval"), c.getMessage());
                assertEquals(1, program.run(silence, 2).size());
            }
        }
    }
}
