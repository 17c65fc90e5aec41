package dev.bnnc.cli;

import static dev.bnnc.cli.CliTest.bnnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bnnc.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DeepThin flags as a user meets them: the report's per-layer errors, inspect, and bad input. */
class DeepThinCliTest {
    private static final Path DENSE = Path.of("../examples/deepthin/dense_mlp.onnx");
    private static final Path FACTORED = Path.of("../examples/deepthin/deepthin_mlp.onnx");

    @Test
    void compressionReportsEachLayersErrorAndWritesItsOnnx(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("thin.onnx");
        Run r = bnnc("compile", DENSE.toString(), "--out", dir.resolve("out").toString(), "--name", "M", "--deepthin", "0.25",
                "--deepthin-layers", "/2/Gemm", "--emit-onnx", onnx.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.size(onnx) > 0);
        JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("out/bnnc-report.json"))).getAsJsonObject();
        List<JsonObject> layers = report.getAsJsonArray("layers").asList().stream().map(e -> e.getAsJsonObject()).toList();
        assertEquals(List.of("Dense", "FactoredDense", "Dense"), layers.stream().map(l -> l.get("op").getAsString()).toList());
        JsonObject thin = layers.get(1).getAsJsonObject("deepThin");
        assertEquals(512, thin.get("inFeatures").getAsInt());
        long parameters = thin.get("parameters").getAsLong();
        assertTrue(parameters <= 0.25 * 512 * 512 && parameters > 0.24 * 512 * 512, "parameters " + parameters);
        double error = thin.get("relativeError").getAsDouble();
        double plain = thin.get("plainRelativeError").getAsDouble();
        assertTrue(error > 0 && error < 1 && plain > 0 && plain < 1, thin.toString());
        assertFalse(layers.get(0).has("deepThin"), "only the chosen layer");
        assertEquals(4L * (parameters + 512), layers.get(1).get("weightBytes").getAsLong(), "the factors and the bias");

        Run inspect = bnnc("inspect", DENSE.toString(), "--deepthin", "0.25", "--deepthin-layers", "/2/Gemm");
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains("DeepThin 512x512 as [") && inspect.out().contains("plain rank"), inspect.out());
    }

    @Test
    void importFlagKeepsOrFoldsTheFactoredLayer() {
        Run keep = bnnc("inspect", FACTORED.toString());
        assertTrue(keep.out().contains("FactoredDense") && keep.out().contains("kept factored"), keep.out());
        Run fold = bnnc("inspect", FACTORED.toString(), "--deepthin-import", "fold");
        assertEquals(0, fold.status(), fold.err());
        assertFalse(fold.out().contains("FactoredDense"), fold.out());
    }

    @Test
    void badDeepThinFlagsAreOneLineExitStatus2AndWriteNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        String[][] cases = {
            {"--deepthin", "1.5"},
            {"--deepthin", "abc"},
            {"--deepthin", "0.1", "--deepthin-layers", "nope"},
            {"--deepthin-layers", "/2/Gemm"},
            {"--deepthin-import", "sometimes"},
        };
        String[] named = {"--deepthin 1.5", "'abc'", "'nope'", "--deepthin RATIO", "'sometimes'"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[6 + cases[i].length];
            System.arraycopy(new String[] {"compile", DENSE.toString(), "--out", out.toString(), "--name", "M"}, 0, args, 0, 6);
            System.arraycopy(cases[i], 0, args, 6, cases[i].length);
            Run r = bnnc(args);
            assertEquals(2, r.status(), String.join(" ", cases[i]) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("bnnc: error: ") && r.err().contains(named[i]), r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }
}
