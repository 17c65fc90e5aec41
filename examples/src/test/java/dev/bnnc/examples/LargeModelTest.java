package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-layer MLP with 12.6 million float parameters (50 MB of weights): the generated class must get
 * past the JVM's 64 KB method and constant-pool limits, compile with javac and run.
 */
class LargeModelTest {
    @Test
    void twelveMillionParameterMlpCompilesAndMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        ModelProto model = Mlp.twelveMillion();
        Path file = dir.resolve("mlp12m.onnx");
        Files.write(file, model.toByteArray());
        Compilation c = ModelCompiler.compile(file, ModelCompiler.Options.defaults());
        GoldenCheck.Result r = GoldenCheck.run(c, OnnxImporter.readModel(file), GoldenCheck.randomInputs(c.optimized(), 2, 3));
        ErrorStats gen = r.generated().get(0).stats().get(0);
        assertTrue(gen.within(1e-4), "generated: " + gen);
    }
}
