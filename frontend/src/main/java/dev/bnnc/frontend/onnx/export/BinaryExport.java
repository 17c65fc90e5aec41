package dev.bnnc.frontend.onnx.export;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryFloatForm;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.PackSigns;
import java.util.Arrays;
import java.util.List;

/**
 * Packed signs and the binary layers in their float form, which computes exactly what the
 * XNOR-popcount kernels do: packed signs are -1/0/+1 floats (their zero mask is the same tensor),
 * the dot products a Conv or MatMul over them (sums of small integers, exact in float), and the
 * epilogue per channel, the integer thresholds as comparisons made of Sign.
 */
final class BinaryExport {
    private BinaryExport() {}

    /** {@code Sign(x)}; bipolar signs as the Bipolar op. */
    static void packSigns(PackSigns op, Node n, ExportContext ctx) {
        String x = ctx.name(n.input(0));
        if (op.bipolar()) {
            ElementwiseExport.bipolar(n, x, ctx);
        } else {
            ctx.emit(n, "Sign", x);
        }
    }

    static void layer(BinaryLayerOp op, Node n, ExportContext ctx) {
        List<TensorType> types = n.inputs().stream().map(Value::type).toList();
        Value weightWords = n.input(op.weightInput());
        BinaryFloatForm form = op.floatForm(types, ctx.constantOperand(n, weightWords));
        String x = relayout(n, ctx.name(n.input(0)), producerLayout(n.input(0), ctx), form.input(), form.inputLayout().axis(), ctx);
        String w = ctx.constant(n, "weight_signs", form.weight());
        String dot = form.dot() instanceof Conv conv
                ? ctx.step(n, "dot", "Conv", node -> LayerExport.convAttributes(node, conv, form.weight().shape()), x, w)
                : ctx.step(n, "dot", "MatMul", x, w);
        int rank = form.dot().inferTypes(List.of(TensorType.f32(form.input().dims()), form.weight().type())).get(0).rank();
        int axis = op.channelAxis(rank);
        Tensor first = ctx.constantOperand(n, n.input(op.parameterInput()));
        Tensor second = ctx.constantOperand(n, n.input(op.parameterInput() + 1));
        if (op.output() == BinaryOutput.AFFINE) {
            String scaled = ctx.step(n, "scale", "Mul", dot, perChannel(n, "scale", first, 0, axis, rank, ctx));
            ctx.emit(n, "Add", scaled, perChannel(n, "bias", second, 0, axis, rank, ctx));
            return;
        }
        // Integer dots: dot >= t exactly when dot - (t - 1/2) > 0, which is never 0.
        String minusHi = ctx.step(n, "minus_hi", "Sub", dot, perChannel(n, "hi_less_half", second, 0.5, axis, rank, ctx));
        if (op.output() == BinaryOutput.SIGNS) {
            ctx.emit(n, "Sign", minusHi);
            return;
        }
        // +1 at or above hi, -1 below lo, else 0: the mean of the two comparisons.
        String atLeastHi = ctx.step(n, "at_least_hi", "Sign", minusHi);
        String atLeastLo = ctx.step(n, "at_least_lo", "Sign",
                ctx.step(n, "minus_lo", "Sub", dot, perChannel(n, "lo_less_half", first, 0.5, axis, rank, ctx)));
        String sum = ctx.step(n, "sum", "Add", atLeastHi, atLeastLo);
        ctx.emit(n, "Mul", sum, ctx.scalar(n, "half", DType.F32, 0.5));
    }

    /** The logical shape of packed signs as their producer's float form has them, and their packed axis. */
    private record Layout(Shape shape, int axis) {}

    private static Layout producerLayout(Value packed, ExportContext ctx) {
        Node p = ctx.graph().producer(packed).orElseThrow();
        if (p.op() instanceof PackSigns ps) {
            return new Layout(p.input(0).type().shape(), ps.axis());
        }
        BinaryLayerOp op = (BinaryLayerOp) p.op();
        List<TensorType> types = p.inputs().stream().map(Value::type).toList();
        BinaryFloatForm form = op.floatForm(types, ctx.constantOperand(p, p.input(op.weightInput())));
        Shape out = form.dot().inferTypes(List.of(TensorType.f32(form.input().dims()), form.weight().type())).get(0).shape();
        return new Layout(out, op.packAxis());
    }

    /**
     * Signs {@code x} (as their producer lays them out) transposed to the logical shape
     * {@code shape} with packed axis {@code axis} that a layer reads: both pack into the same words
     * (the other axes in order, then the packed one), so a PackSigns may pack along any axis.
     */
    private static String relayout(Node n, String x, Layout from, Shape shape, int axis, ExportContext ctx) {
        if (from.shape().equals(shape) && from.axis() == axis) {
            return x;
        }
        long[] perm = new long[shape.rank()];
        for (int i = 0; i < perm.length; i++) {
            // Axis i's place among the words' axes, then the source axis at that place.
            int place = i == axis ? perm.length - 1 : i < axis ? i : i - 1;
            perm[i] = place == perm.length - 1 ? from.axis() : place < from.axis() ? place : place + 1;
        }
        return ctx.step(n, "relayout", "Transpose", node -> node.intsAttr("perm", perm), x);
    }

    /**
     * A per-channel parameter as a float initializer, less {@code offset}, shaped [C, 1, ...] to
     * broadcast along {@code axis} of a rank-{@code rank} tensor.
     */
    private static String perChannel(Node n, String role, Tensor values, double offset, int axis, int rank,
                                     ExportContext ctx) {
        int channels = values.size();
        float[] v = new float[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = (float) ((values.type().dtype() == DType.I64 ? values.longAt(c) : values.floatAt(c)) - offset);
        }
        int[] shape = new int[rank - axis];
        Arrays.fill(shape, 1);
        shape[0] = channels;
        return ctx.constant(n, role, Tensor.adoptFloats(Shape.of(shape), v));
    }
}
