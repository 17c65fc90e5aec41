package dev.bnnc.examples;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * One fully connected layer as ONNX, float or binarized (a Sign on the input and weights
 * {@code sign(W) * alpha} per output, as a binarized PyTorch Linear exports after folding), with the
 * same seeded latent weights: the pair the dense benchmark compares.
 */
public final class DenseLayer {
    private DenseLayer() {}

    public static ModelProto of(int in, int out, boolean binary) {
        Random random = new Random(13);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * 0.05f;
        }
        if (binary) {
            for (int o = 0; o < out; o++) {
                double alpha = 0;
                for (int i = 0; i < in; i++) {
                    alpha += Math.abs(w[o * in + i]);
                }
                float a = (float) (alpha / in);
                for (int i = 0; i < in; i++) {
                    w[o * in + i] = w[o * in + i] < 0 ? -a : a;
                }
            }
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = (float) random.nextGaussian() * 0.1f;
        }
        OnnxModelBuilder m = new OnnxModelBuilder(binary ? "binary_dense" : "float_dense").opset(13);
        m.input("x", 1, in);
        m.initializer("w", w, out, in).initializer("b", b, out);
        String x = "x";
        if (binary) {
            m.node("Sign").inputs("x").outputs("s");
            x = "s";
        }
        m.node("Gemm").inputs(x, "w", "b").outputs("y").intAttr("transB", 1);
        m.output("y");
        return m.build();
    }

    /** Writes a float N×N layer to a file (for the C benchmarks of examples/deepthin/bench_c.sh). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DenseLayer N OUT.onnx");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        Files.write(Path.of(args[1]), of(n, n, false).toByteArray());
    }
}
