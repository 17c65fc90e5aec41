package dev.bnnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.ImportOptions;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import dev.bnnc.frontend.onnx.OnnxRuntimeReference;
import dev.bnnc.frontend.onnx.QonnxReference;
import dev.bnnc.ir.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: files written, exit codes, one-line errors. */
class CliTest {
    static final Path KWS = Path.of("../examples/models/alibaba_kws.onnx");

    record Run(int status, String out, String err) {}

    static Run bnnc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void compileWritesTheClassAndTheReport(@TempDir Path dir) throws IOException {
        Run r = bnnc("compile", KWS.toString(), "--target", "java", "--out", dir.toString(), "--name", "Kws", "--package", "demo.kws");
        assertEquals(0, r.status(), r.err());
        Path source = dir.resolve("demo/kws/Kws.java");
        String java = Files.readString(source);
        assertTrue(java.contains("public final class Kws"));
        JavaSourceCompiler.compile("demo.kws.Kws", java); // with --release 8

        JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("bnnc-report.json"))).getAsJsonObject();
        long weightBytes = report.get("weightBytes").getAsLong();
        assertEquals(weightBytes, report.get("float32WeightBytes").getAsLong(), "a float model keeps float32 weights");
        // The model has about 7.2k parameters (and BatchNorm already folded by the exporter).
        assertTrue(weightBytes > 4 * 7000 && weightBytes < 4 * 8000, "weightBytes " + weightBytes);
        var layers = report.getAsJsonArray("layers");
        assertEquals(10, layers.size(), "9 convolutions and the dense classifier");
        long sum = 0;
        for (var l : layers) {
            JsonObject layer = l.getAsJsonObject();
            assertFalse(layer.get("binary").getAsBoolean());
            assertTrue(layer.has("name") && layer.has("op"));
            sum += layer.get("weightBytes").getAsLong();
        }
        assertEquals(weightBytes, sum, "every weight belongs to a layer in this model");
        try (Stream<Path> files = Files.list(dir.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".bnnc-staging")), "staging cleaned up");
        }
    }

    /** The same model and flags give byte-identical files, whatever the run (DESIGN: deterministic output). */
    @Test
    void outputIsByteIdenticalAcrossRuns(@TempDir Path dir) throws IOException {
        for (Path model : List.of(KWS, TFC)) {
            for (String target : List.of("java", "c")) {
                List<Path> outs = List.of(dir.resolve(target + "-a"), dir.resolve(target + "-b"));
                for (Path out : outs) {
                    Run r = bnnc("compile", model.toString(), "--target", target, "--out", out.toString(), "--name", "m");
                    assertEquals(0, r.status(), r.err());
                }
                try (Stream<Path> files = Files.list(outs.get(0))) {
                    for (Path f : files.toList()) {
                        assertTrue(Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(outs.get(1).resolve(f.getFileName()))),
                                model + " " + target + ": " + f.getFileName() + " differs between runs");
                    }
                }
            }
        }
    }

    @Test
    void malformedModelIsOneLineWithExitStatus2AndNoOutput(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        Path out = dir.resolve("out");
        Run r = bnnc("compile", bad.toString(), "--out", out.toString(), "--name", "M");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bnnc: error: ") && r.err().contains("bad.onnx"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void unsupportedOpNamesOpDomainAndNode(@TempDir Path dir) throws IOException {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", 1, 4);
        m.node("Frobnicate").domain("com.example").name("frob1").inputs("x").outputs("y");
        m.output("y");
        Path model = dir.resolve("m.onnx");
        Files.write(model, m.build().toByteArray());
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Run r = bnnc("compile", model.toString(), "--out", out.toString(), "--name", "M");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("Frobnicate") && r.err().contains("com.example") && r.err().contains("frob1"), r.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count(), "the output folder stays as it was");
        }

        Run debug = bnnc("compile", model.toString(), "--out", out.toString(), "--name", "M", "--debug");
        assertEquals(2, debug.status());
        assertTrue(debug.err().contains("\tat dev.bnnc."), "--debug shows the stack trace");

        Run inspect = bnnc("inspect", model.toString());
        assertEquals(2, inspect.status());
        assertTrue(inspect.out().contains("unsupported ops:") && inspect.out().contains("com.example:Frobnicate (first at node 'frob1')"),
                inspect.out());
    }

    @Test
    void externalDataOutsideTheModelFolderIsRejected(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.bin");
        Files.write(secret, new byte[16]);
        Path models = Files.createDirectories(dir.resolve("models"));
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", 4);
        m.initializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT.getNumber()).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin"))
                .build());
        m.node("Add").inputs("x", "w").outputs("y");
        m.output("y");
        Path model = models.resolve("m.onnx");
        Files.write(model, m.build().toByteArray());
        Run r = bnnc("compile", model.toString(), "--out", dir.resolve("out").toString(), "--name", "M");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("secret.bin"), r.err());
    }

    @Test
    void badFlagsAreExitStatus2() {
        assertEquals(2, bnnc("compile", KWS.toString(), "--out", "x").status(), "--name is required");
        Run shape = bnnc("compile", KWS.toString(), "--out", "x", "--name", "M", "--input-shape", "1,a");
        assertEquals(2, shape.status());
        assertTrue(shape.err().contains("--input-shape '1,a'"), shape.err());
        Run name = bnnc("compile", KWS.toString(), "--out", "x", "--name", "not-a-class");
        assertEquals(2, name.status());
        Run pass = bnnc("compile", KWS.toString(), "--out", "x", "--name", "M", "--dump-after", "no-such-pass");
        assertEquals(2, pass.status());
        assertTrue(pass.err().contains("no pass named 'no-such-pass'"), pass.err());
        Run target = bnnc("compile", KWS.toString(), "--out", "x", "--name", "M", "--target", "rust");
        assertEquals(2, target.status());
        assertEquals(1, target.err().lines().count(), "one line, not the usage: " + target.err());
        assertTrue(target.err().startsWith("bnnc: error: ") && target.err().contains("'rust'")
                && target.err().contains("bnnc compile --help"), target.err());
        Run unknown = bnnc("inspect", KWS.toString(), "--no-such-flag");
        assertEquals(2, unknown.status());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("--no-such-flag") && unknown.err().contains("bnnc inspect --help"), unknown.err());
    }

    @Test
    void verifyPassesOnTheBundledModelAndFailsWithStatus1OnMismatch() {
        Run ok = bnnc("verify", KWS.toString(), "--random", "3");
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(ok.out().contains("interpreter") && ok.out().contains("generated java") && ok.out().contains("PASS"), ok.out());
        Run fail = bnnc("verify", KWS.toString(), "--random", "1", "--tolerance", "-1");
        assertEquals(1, fail.status(), fail.out());
        assertTrue(fail.out().contains("FAIL"), fail.out());
    }

    @Test
    void inspectShowsCensusLayersAndIr() {
        Run r = bnnc("inspect", KWS.toString(), "--ir");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Conv=9"), r.out());
        assertTrue(r.out().contains("input  x:0 f32[1,49,10,1]"), r.out());
        assertTrue(r.out().contains("Conv__58"), r.out());
        assertTrue(r.out().contains("graph tf2onnx("), r.out());
    }

    static final Path TFC = Path.of("../examples/models/TFC_1W1A.onnx");

    @Test
    void binarizeFlagChoosesTheBinaryLayers(@TempDir Path dir) throws IOException {
        Run on = bnnc("compile", TFC.toString(), "--out", dir.resolve("on").toString(), "--name", "Tfc");
        assertEquals(0, on.status(), on.err());
        JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("on/bnnc-report.json"))).getAsJsonObject();
        for (var l : report.getAsJsonArray("layers")) {
            assertTrue(l.getAsJsonObject().get("binary").getAsBoolean(), l.toString());
        }
        assertTrue(report.get("storageSaving").getAsDouble() > 1);

        Run off = bnnc("compile", TFC.toString(), "--out", dir.resolve("off").toString(), "--name", "Tfc", "--binarize", "off");
        assertEquals(0, off.status(), off.err());
        JsonObject floats = JsonParser.parseString(Files.readString(dir.resolve("off/bnnc-report.json"))).getAsJsonObject();
        for (var l : floats.getAsJsonArray("layers")) {
            assertFalse(l.getAsJsonObject().get("binary").getAsBoolean(), l.toString());
        }

        Run bad = bnnc("compile", TFC.toString(), "--out", dir.resolve("bad").toString(), "--name", "Tfc", "--binarize", "sometimes");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--binarize 'sometimes'"), bad.err());
        Run unknown = bnnc("compile", KWS.toString(), "--out", dir.resolve("u").toString(), "--name", "K", "--binarize", "force=nope");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("no layer named 'nope'"), unknown.err());
    }

    @Test
    void inspectSaysWhichLayersAreBinaryAndWhyOthersAreNot() {
        Run r = bnnc("inspect", KWS.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("kept float: its input is not Sign(x) or BipolarQuant(x)"), r.out());
        Run forced = bnnc("inspect", KWS.toString(), "--binarize", "force=hidden");
        assertEquals(0, forced.status(), forced.err());
        assertTrue(forced.out().contains("BinaryConv binary") && forced.out().contains("accuracy is not preserved"), forced.out());
    }

    /** --emit-onnx: the model after the passes, binary layers included, runs in ONNX Runtime as the original does. */
    @Test
    void emitOnnxWritesTheOptimizedModelForOnnxRuntime(@TempDir Path dir) {
        for (Path model : List.of(KWS, TFC)) {
            Path file = dir.resolve("optimized-" + model.getFileName());
            Run r = bnnc("compile", model.toString(), "--out", dir.resolve("out").toString(), "--name", "M", "--emit-onnx",
                    file.toString());
            assertEquals(0, r.status(), r.err());
            ModelProto original = OnnxImporter.readModel(model);
            List<List<Tensor>> cases = GoldenCheck.randomInputs(OnnxImporter.importModel(original, null, ImportOptions.defaults()), 4, 9);
            ModelProto emitted = OnnxImporter.readModel(file);
            for (List<Tensor> inputs : cases) {
                Tensor expected = OnnxRuntimeReference.run(QonnxReference.needsRewrite(original) ? QonnxReference.rewrite(original)
                        : original, inputs).get(0);
                ErrorStats error = ErrorStats.compare(OnnxRuntimeReference.run(emitted, inputs).get(0), expected);
                assertTrue(error.within(1e-5), model + ": " + error);
            }
        }
    }

    @Test
    void dumpAfterPrintsTheIrOfThatPass(@TempDir Path dir) {
        Run r = bnnc("compile", KWS.toString(), "--out", dir.toString(), "--name", "M", "--dump-after", "form-dense");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().startsWith("// IR after form-dense\ngraph tf2onnx("), r.err());
        assertTrue(r.err().contains("= Dense "), r.err());
    }
}
