package dev.bnnc.frontend.onnx.export;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.OpVisitor;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Softmax;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import dev.bnnc.ir.ops.Unary;

/** Writes the ONNX nodes of one IR node: dispatch to the mapping of the op's family. */
final class OpExporter implements OpVisitor<Void, Node> {
    private final ExportContext ctx;

    OpExporter(ExportContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A constant becomes an initializer, unless only binary layers read it: they write their weights
     * and per-channel parameters in the float form they need. A graph output of packed signs fails
     * when the outputs are declared.
     */
    @Override
    public Void visit(Constant op, Node n) {
        Value v = n.output();
        boolean onlyBinaryUsers = ctx.graph().users(v).stream().allMatch(u -> u.op() instanceof BinaryLayerOp);
        if (v.type().dtype() != DType.BITS && !(onlyBinaryUsers && !ctx.graph().outputs().contains(v))) {
            ctx.model().initializer(ctx.name(v), op.value());
        }
        return null;
    }

    @Override
    public Void visit(Identity op, Node n) {
        ElementwiseExport.identity(n, ctx);
        return null;
    }

    @Override
    public Void visit(Unary op, Node n) {
        ElementwiseExport.unary(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(LeakyRelu op, Node n) {
        ElementwiseExport.leakyRelu(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Elu op, Node n) {
        ElementwiseExport.elu(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Selu op, Node n) {
        ElementwiseExport.selu(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Clip op, Node n) {
        ElementwiseExport.clip(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Binary op, Node n) {
        ElementwiseExport.binary(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Cast op, Node n) {
        ElementwiseExport.cast(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Conv op, Node n) {
        LayerExport.conv(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Gemm op, Node n) {
        LayerExport.gemm(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(MatMul op, Node n) {
        LayerExport.matMul(n, ctx);
        return null;
    }

    @Override
    public Void visit(Dense op, Node n) {
        LayerExport.dense(n, ctx);
        return null;
    }

    @Override
    public Void visit(FactoredDense op, Node n) {
        LayerExport.factoredDense(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(BatchNorm op, Node n) {
        LayerExport.batchNorm(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(ChannelAffine op, Node n) {
        LayerExport.channelAffine(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Softmax op, Node n) {
        ReductionExport.softmax(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Pool op, Node n) {
        ReductionExport.pool(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Reduce op, Node n) {
        ReductionExport.reduce(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Pad op, Node n) {
        LayoutExport.pad(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Reshape op, Node n) {
        LayoutExport.reshape(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Transpose op, Node n) {
        LayoutExport.transpose(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Concat op, Node n) {
        LayoutExport.concat(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Split op, Node n) {
        LayoutExport.split(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Slice op, Node n) {
        LayoutExport.slice(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Gather op, Node n) {
        LayoutExport.gather(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Tile op, Node n) {
        LayoutExport.tile(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(Expand op, Node n) {
        LayoutExport.expand(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(PackSigns op, Node n) {
        BinaryExport.packSigns(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(BinaryConv op, Node n) {
        BinaryExport.layer(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(BinaryDense op, Node n) {
        BinaryExport.layer(op, n, ctx);
        return null;
    }

    @Override
    public Void visit(BinaryDepthwiseConv1d op, Node n) {
        BinaryExport.layer(op, n, ctx);
        return null;
    }
}
