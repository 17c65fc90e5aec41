package dev.bnnc.examples;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Float MLPs with seeded random weights (He initialization), as ONNX: Gemm + Relu layers. The
 * 12.6-million-parameter one (1024-4096-2048-16, 50 MB of weights) tests and measures how bnnc
 * copes with large models; it is generated, not committed.
 */
public final class Mlp {
    private Mlp() {}

    public static ModelProto twelveMillion() {
        return of(1024, 4096, 2048, 16);
    }

    /** An MLP with the given layer widths (input first). */
    public static ModelProto of(int... widths) {
        Random random = new Random(5);
        OnnxModelBuilder m = new OnnxModelBuilder("mlp").opset(13);
        m.input("x", 1, widths[0]);
        String h = "x";
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
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
            if (l + 2 < widths.length) {
                m.node("Relu").inputs(h).outputs("r" + l);
                h = "r" + l;
            }
        }
        m.output(h);
        return m.build();
    }

    /** Writes the 12.6M-parameter MLP to the given file (for the compile-time benchmark). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Mlp OUT.onnx");
            System.exit(2);
        }
        Files.write(Path.of(args[0]), twelveMillion().toByteArray());
    }
}
