package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-layer MLP with 12.6 million float parameters (50 MB of weights): the generated class must get
 * past the JVM's 64 KB method and constant-pool limits, compile with javac and run.
 */
class LargeModelTest {
    static final int[] WIDTHS = {1024, 4096, 2048, 16};

    /** The MLP as ONNX: Gemm + Relu, Gemm + Relu, Gemm, with seeded random weights. */
    static ModelProto mlp() {
        Random random = new Random(5);
        OnnxModelBuilder m = new OnnxModelBuilder("mlp12m").opset(13);
        m.input("x", 1, WIDTHS[0]);
        String h = "x";
        for (int l = 0; l + 1 < WIDTHS.length; l++) {
            int in = WIDTHS[l];
            int out = WIDTHS[l + 1];
            float[] w = new float[in * out];
            float scale = (float) Math.sqrt(2.0 / in);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * scale;
            }
            float[] b = new float[out];
            for (int i = 0; i < out; i++) {
                b[i] = (float) random.nextGaussian() * 0.1f;
            }
            m.initializer("w" + l, w, out, in).initializer("b" + l, b, out);
            m.node("Gemm").inputs(h, "w" + l, "b" + l).outputs("g" + l).intAttr("transB", 1);
            h = "g" + l;
            if (l + 2 < WIDTHS.length) {
                m.node("Relu").inputs(h).outputs("r" + l);
                h = "r" + l;
            }
        }
        m.output(h);
        return m.build();
    }

    @Test
    void twelveMillionParameterMlpCompilesAndMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        ModelProto model = mlp();
        Path file = dir.resolve("mlp12m.onnx");
        Files.write(file, model.toByteArray());
        Compilation c = ModelCompiler.compile(file, ModelCompiler.Options.defaults());
        GoldenCheck.Result r = GoldenCheck.run(c, OnnxImporter.readModel(file), GoldenCheck.randomInputs(c.optimized(), 2, 3));
        ErrorStats gen = r.generated().get(0);
        assertTrue(gen.within(1e-4), "generated: " + gen);
    }
}
