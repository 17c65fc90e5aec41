package dev.bnnc.frontend.onnx.export;

import dev.bnnc.frontend.onnx.OnnxModelBuilder.NodeBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Gemm;
import java.util.Arrays;

/**
 * Layers with weights: Conv, Gemm, MatMul and BatchNormalization as they are; Dense, FactoredDense
 * and ChannelAffine decomposed.
 */
final class LayerExport {
    private LayerExport() {}

    static void conv(Conv op, Node n, ExportContext ctx) {
        convAttributes(ctx.emit(n, "Conv", ctx.names(n.inputs())), op, n.input(1).type().shape());
    }

    /** Sets a Conv node's attributes, given its weight's shape [M, C/group, K...]. */
    static void convAttributes(NodeBuilder node, Conv op, Shape weight) {
        int[] w = weight.dims();
        node.intsAttr("kernel_shape", Arrays.stream(w, 2, w.length).asLongStream().toArray())
                .intsAttr("strides", ExportContext.toLongs(op.strides()))
                .intsAttr("pads", ExportContext.toLongs(op.pads()))
                .intsAttr("dilations", ExportContext.toLongs(op.dilations()))
                .intAttr("group", op.group());
    }

    static void gemm(Gemm op, Node n, ExportContext ctx) {
        ctx.emit(n, "Gemm", ctx.names(n.inputs()))
                .floatAttr("alpha", op.alpha())
                .floatAttr("beta", op.beta())
                .intAttr("transA", op.transA() ? 1 : 0)
                .intAttr("transB", op.transB() ? 1 : 0);
    }

    static void matMul(Node n, ExportContext ctx) {
        ctx.emit(n, "MatMul", ctx.names(n.inputs()));
    }

    /** MatMul with the [K, N] weight, then Add of the bias, which broadcasts along the last axis. */
    static void dense(Node n, ExportContext ctx) {
        denseWith(n, ctx.name(n.input(1)), n.inputs().size() > 2 ? n.input(2) : null, ctx);
    }

    private static void denseWith(Node n, String weight, Value bias, ExportContext ctx) {
        String x = ctx.name(n.input(0));
        if (bias == null) {
            ctx.emit(n, "MatMul", x, weight);
            return;
        }
        ctx.emit(n, "Add", ctx.step(n, "matmul", "MatMul", x, weight), ctx.name(bias));
    }

    /**
     * The weight rebuilt in the graph, as PyTorch exports a DeepThin layer (and as the importer
     * recognizes it): MatMul of the factors, flattened, cut to K·N values, reshaped (to [N, K] and
     * transposed, for the transposed form); then as Dense.
     */
    static void factoredDense(FactoredDense op, Node n, ExportContext ctx) {
        int k = op.inFeatures();
        int outputs = op.outFeatures();
        long size = (long) n.input(1).type().dim(0) * n.input(2).type().dim(1);
        String p = ctx.step(n, "product", "MatMul", ctx.name(n.input(1)), ctx.name(n.input(2)));
        String flat = LayoutExport.reshapeStep(n, "flatten", p, new long[] {size}, ctx);
        if (size > (long) k * outputs) {
            flat = ctx.step(n, "cut", "Slice", flat, ctx.longs(n, "cut_starts", 0), ctx.longs(n, "cut_ends", (long) k * outputs));
        }
        long[] matrix = op.transposed() ? new long[] {outputs, k} : new long[] {k, outputs};
        String weight = LayoutExport.reshapeStep(n, "weight", flat, matrix, ctx);
        if (op.transposed()) {
            weight = ctx.step(n, "transpose", "Transpose", node -> node.intsAttr("perm", new long[] {1, 0}), weight);
        }
        denseWith(n, weight, n.inputs().size() > 3 ? n.input(3) : null, ctx);
    }

    static void batchNorm(BatchNorm op, Node n, ExportContext ctx) {
        ctx.emit(n, "BatchNormalization", ctx.names(n.inputs())).floatAttr("epsilon", op.epsilon());
    }

    /** {@code x * scale + shift}, with scale and shift shaped [C, 1, ...] to broadcast along the axis. */
    static void channelAffine(ChannelAffine op, Node n, ExportContext ctx) {
        int rank = n.input(0).type().rank();
        String scaled = ctx.step(n, "scale", "Mul", ctx.name(n.input(0)),
                alongAxis(n, "scale", n.input(1), op.axis(), rank, ctx));
        ctx.emit(n, "Add", scaled, alongAxis(n, "shift", n.input(2), op.axis(), rank, ctx));
    }

    /** A per-channel vector reshaped to broadcast along {@code axis} of a rank-{@code rank} tensor. */
    private static String alongAxis(Node n, String role, Value vector, int axis, int rank, ExportContext ctx) {
        if (axis == rank - 1) {
            return ctx.name(vector);
        }
        long[] shape = new long[rank - axis];
        Arrays.fill(shape, 1);
        shape[0] = vector.type().dim(0);
        return LayoutExport.reshapeStep(n, role + "_along_axis", ctx.name(vector), shape, ctx);
    }
}
