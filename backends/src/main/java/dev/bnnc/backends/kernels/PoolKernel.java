package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import java.util.Arrays;

/**
 * MaxPool / AveragePool over each (batch, channel) plane. Window positions outside the input are
 * skipped; an average divides the window's sum (taken in row-major order) by the number of
 * positions inside the input, or, with count_include_pad, inside the input and its explicit pads.
 * Planes are pooled {@link #PLANES} at a time, each with its own accumulator: the sums keep their
 * order, but the planes' chains of dependent additions overlap (a DS-CNN's 32 planes pooled over
 * 120 positions each took 1.8 us in C one plane after another).
 */
final class PoolKernel {
    /** Planes pooled together, with as many accumulators. */
    private static final int PLANES = 8;

    private PoolKernel() {}

    static void emit(Pool op, Node node, StepEnv env, CodeWriter w) {
        int planes = node.input(0).type().dim(0) * node.input(0).type().dim(1);
        int together = Math.min(PLANES, planes);
        int whole = planes - planes % together;
        w.open("for (int pl = 0; pl < " + whole + "; pl += " + together + ")");
        planes(op, node, env, w, together);
        w.close();
        if (whole < planes) {
            w.loop("pl", whole, planes);
            planes(op, node, env, w, 1);
            w.close();
        }
    }

    /** The planes pl .. pl + count - 1. */
    private static void planes(Pool op, Node node, StepEnv env, CodeWriter w, int count) {
        Value x = node.input(0);
        Value y = node.output();
        Dialect d = env.dialect();
        int r = op.spatialRank();
        int[] in = x.type().shape().dims();
        int[] out = y.type().shape().dims();
        int inPlane = x.type().shape().sizeOf(2, r + 2);
        int outPlane = y.type().shape().sizeOf(2, r + 2);
        int[] inStrides = LoopNest.rowMajor(Arrays.copyOfRange(in, 2, r + 2));
        boolean max = op.kind() == PoolKind.MAX;

        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("pl", inPlane)) + ";");
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), Index.times("pl", outPlane)) + ";");
        StringBuilder yIndex = new StringBuilder("yb");
        int[] outStrides = LoopNest.rowMajor(Arrays.copyOfRange(out, 2, r + 2));
        for (int i = 0; i < r; i++) {
            w.loop("o" + i, 0, out[i + 2]);
            yIndex.append(" + ").append(Index.times("o" + i, outStrides[i]));
        }
        for (int g = 0; g < count; g++) {
            w.line("float acc" + g + " = " + (max ? d.floatLiteral(Float.NEGATIVE_INFINITY) : "0.0f") + ";");
        }
        if (!max) {
            w.line("int count = 1;");
            for (int i = 0; i < r; i++) {
                // positions of this window along axis i that count towards the divisor
                int lo = op.countIncludePad() ? -op.pads().get(i) : 0;
                int hi = op.countIncludePad() ? in[i + 2] + op.pads().get(i + r) : in[i + 2];
                w.line("int n" + i + " = 0;");
                w.loop("k" + i, 0, op.kernel().get(i));
                w.line("int q" + i + " = " + position(op, i) + ";");
                w.line("if (q" + i + " >= " + lo + " && q" + i + " < " + hi + ") n" + i + "++;");
                w.close();
                w.line("count *= n" + i + ";");
            }
        }
        StringBuilder xIndex = new StringBuilder("xb");
        for (int i = 0; i < r; i++) {
            w.loop("k" + i, 0, op.kernel().get(i));
            w.line("int q" + i + " = " + position(op, i) + ";");
            w.line("if (q" + i + " < 0 || q" + i + " >= " + in[i + 2] + ") continue;");
            xIndex.append(" + ").append(Index.times("q" + i, inStrides[i]));
        }
        w.line("int at = " + xIndex + ";");
        for (int g = 0; g < count; g++) {
            String v = env.array(x) + "[" + Index.plus("at", String.valueOf(g * inPlane)) + "]";
            w.line(max ? "acc" + g + " = " + d.fmax("acc" + g, v) + ";" : "acc" + g + " += " + v + ";");
        }
        for (int i = 0; i < r; i++) {
            w.close();
        }
        for (int g = 0; g < count; g++) {
            w.line(env.array(y) + "[" + Index.plus(yIndex.toString(), String.valueOf(g * outPlane)) + "] = "
                    + (max ? "acc" + g : "acc" + g + " / (float) count") + ";");
        }
        for (int i = 0; i < r; i++) {
            w.close();
        }
    }

    /** Input position of window element k<i> for output o<i>. */
    private static String position(Pool op, int i) {
        return Index.times("o" + i, op.strides().get(i)) + " - " + op.pads().get(i) + " + "
                + Index.times("k" + i, op.dilations().get(i));
    }
}
