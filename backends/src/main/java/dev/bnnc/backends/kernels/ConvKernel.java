package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import java.util.Arrays;

/**
 * Direct N-d convolution, weight-stationary: for each output channel and each (input channel,
 * kernel tap) it adds {@code w * x} over the output positions that tap reaches. Per output element
 * the sum runs over input channels, then taps in row-major order, from 0, with the bias added last:
 * the interpreter's order, so results agree bit for bit. With stride 1 the innermost loop walks
 * input and output contiguously, which the JIT / C compiler vectorizes.
 */
final class ConvKernel {
    private ConvKernel() {}

    static void emit(Conv op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value wt = node.input(1);
        Value y = node.output();
        int r = op.spatialRank();
        int[] in = x.type().shape().dims();
        int[] out = y.type().shape().dims();
        int[] k = wt.type().shape().dims();
        int batch = in[0];
        int channels = in[1];
        int m = out[1];
        int group = op.group();
        int cg = channels / group;
        int mg = m / group;
        int inPlane = x.type().shape().sizeOf(2, r + 2);
        int outPlane = y.type().shape().sizeOf(2, r + 2);
        int taps = wt.type().shape().sizeOf(2, r + 2);

        w.loop("n", 0, batch);
        w.loop("m", 0, m);
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), "(n * " + m + " + m) * " + outPlane) + ";");
        w.loop("p", 0, outPlane).line(env.array(y) + "[yb + p] = 0.0f;").close();
        w.loop("c", 0, cg);
        String channel = group == 1 ? "c" : "m / " + mg + " * " + cg + " + c";
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), "(n * " + channels + " + " + channel + ") * " + inPlane) + ";");
        w.line("int wb = " + Index.plus(String.valueOf(env.offset(wt)), "(m * " + cg + " + c) * " + taps) + ";");
        String[] kv = new String[r];
        for (int i = 0; i < r; i++) {
            kv[i] = "k" + i;
            w.loop(kv[i], 0, k[i + 2]);
            emitBounds(w, env, i, in[i + 2], out[i + 2], k[i + 2], op.strides().get(i), op.dilations().get(i), op.pads().get(i));
        }
        int[] kStrides = LoopNest.rowMajor(Arrays.copyOfRange(k, 2, r + 2));
        w.line("float wv = " + env.array(wt) + "[wb + " + Index.linear(0, kv, kStrides) + "];");
        int[] inStrides = LoopNest.rowMajor(Arrays.copyOfRange(in, 2, r + 2));
        int[] outStrides = LoopNest.rowMajor(Arrays.copyOfRange(out, 2, r + 2));
        StringBuilder yIndex = new StringBuilder("yb");
        StringBuilder xIndex = new StringBuilder("xb");
        for (int i = 0; i < r; i++) {
            String o = "o" + i;
            w.open("for (int " + o + " = lo" + i + "; " + o + " < hi" + i + "; " + o + "++)");
            // position in the input: o*stride - pad + k*dilation
            String pos = "(" + Index.times(o, op.strides().get(i)) + " - " + op.pads().get(i) + " + "
                    + Index.times(kv[i], op.dilations().get(i)) + ")";
            yIndex.append(" + ").append(Index.times(o, outStrides[i]));
            xIndex.append(" + ").append(Index.times(pos, inStrides[i]));
        }
        w.line(env.array(y) + "[" + yIndex + "] += wv * " + env.array(x) + "[" + xIndex + "];");
        for (int i = 0; i < r; i++) {
            w.close(); // o loops
        }
        for (int i = 0; i < r; i++) {
            w.close(); // k loops
        }
        w.close(); // c
        if (node.inputs().size() > 2) {
            Value b = node.input(2);
            w.line("float bv = " + env.at(b, "m") + ";");
            w.loop("p", 0, outPlane).line(env.array(y) + "[yb + p] += bv;").close();
        }
        w.close(); // m
        w.close(); // n
    }

    /**
     * Declares {@code lo<i>}, {@code hi<i>}: the output positions along spatial axis i whose input
     * position {@code o*s - pad + k*d} lies inside the input, for the current tap {@code k<i>}.
     */
    private static void emitBounds(CodeWriter w, StepEnv env, int i, int in, int out, int kernel, int s, int d, int pad) {
        // lo = max(0, ceil((pad - k*d) / s)); truncating division is exact enough, as max() clamps negatives.
        w.line("int lo" + i + " = " + env.dialect().imax("0", "(" + pad + " - k" + i + " * " + d + " + " + (s - 1) + ") / " + s) + ";");
        // hi = min(out, floor((in - 1 + pad - k*d) / s) + 1); shift the numerator to be non-negative so
        // that truncating division floors.
        int shift = ((kernel - 1) * d) / s + 1;
        w.line("int hi" + i + " = " + env.dialect().imin(String.valueOf(out),
                "(" + (in - 1 + pad + shift * s) + " - k" + i + " * " + d + ") / " + s + " - " + (shift - 1)) + ";");
    }
}
