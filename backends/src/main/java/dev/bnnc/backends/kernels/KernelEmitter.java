package dev.bnnc.backends.kernels;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.Binary;
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
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.passes.plan.EpilogueFusion;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes the body of one step (one node of an execution plan) in a target {@link Dialect}. Loops are
 * specialized with the node's static shapes and attributes; constants are read from the backend's
 * weight arrays, scalars are inlined as literals.
 */
public final class KernelEmitter implements OpVisitor<Void, Node> {
    private final StepEnv env;
    private final CodeWriter w;
    private final ElementwiseExpressions fx;
    private final ElementTail tail;

    private KernelEmitter(StepEnv env, CodeWriter w, ElementTail tail) {
        this.env = env;
        this.w = w;
        this.fx = new ElementwiseExpressions(env.dialect());
        this.tail = tail;
    }

    /**
     * The statements computing {@code node}'s outputs from its inputs, with the element-wise nodes
     * of {@code tail} applied to each element before it is stored (see {@link EpilogueFusion}).
     */
    public static String body(Node node, List<Node> tail, StepEnv env) {
        if (!tail.isEmpty() && !EpilogueFusion.acceptsTail(node)) {
            throw new IllegalArgumentException("node " + node.name() + ": " + node.op().opName() + " takes no fused epilogue");
        }
        CodeWriter w = new CodeWriter();
        node.op().accept(new KernelEmitter(env, w, new ElementTail(node, tail, env)), node);
        return w.toString();
    }

    private Void map(Node n, UnaryOperator<String> f) {
        Value x = n.input(0);
        Value y = n.output();
        w.loop("i", 0, y.type().size());
        w.line("float v = " + env.at(x, "i") + ";");
        w.line(env.at(y, "i") + " = " + f.apply("v") + ";");
        w.close();
        return null;
    }

    @Override
    public Void visit(Unary op, Node n) {
        return map(n, v -> fx.unary(op.fn(), v));
    }

    @Override
    public Void visit(LeakyRelu op, Node n) {
        return map(n, v -> fx.leakyRelu(op, v));
    }

    @Override
    public Void visit(Elu op, Node n) {
        return map(n, v -> fx.elu(op, v));
    }

    @Override
    public Void visit(Selu op, Node n) {
        return map(n, v -> fx.selu(op, v));
    }

    @Override
    public Void visit(Clip op, Node n) {
        return map(n, v -> fx.clip(op, v));
    }

    @Override
    public Void visit(Binary op, Node n) {
        Value a = n.input(0);
        Value b = n.input(1);
        Value y = n.output();
        int[] out = y.type().shape().dims();
        Optional<String> aLit = scalarLiteral(a);
        Optional<String> bLit = scalarLiteral(b);
        int[][] strides = {
            LoopNest.broadcastStrides(a.type().shape().dims(), out),
            LoopNest.broadcastStrides(b.type().shape().dims(), out),
            LoopNest.rowMajor(out)
        };
        new LoopNest(out, strides, new int[] {env.offset(a), env.offset(b), env.offset(y)}).emit(w, "i", (body, idx) -> {
            String av = aLit.orElse(env.array(a) + "[" + idx[0] + "]");
            String bv = bLit.orElse(env.array(b) + "[" + idx[1] + "]");
            body.line(env.array(y) + "[" + idx[2] + "] = " + fx.binary(op.fn(), av, bv, env.constant(b)) + ";");
        });
        return null;
    }

    /** A one-element constant, written as a literal (in parentheses, as it may be negative). */
    private Optional<String> scalarLiteral(Value v) {
        return env.constant(v).filter(t -> t.size() == 1).map((Tensor t) -> "(" + env.dialect().floatLiteral(t.floatAt(0)) + ")");
    }

    @Override
    public Void visit(ChannelAffine op, Node n) {
        Value x = n.input(0);
        Value y = n.output();
        var shape = x.type().shape();
        int outer = shape.sizeOf(0, op.axis());
        int channels = shape.dim(op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        w.loop("o", 0, outer);
        w.loop("c", 0, channels);
        w.line("float s = " + env.at(n.input(1), "c") + ";");
        w.line("float t = " + env.at(n.input(2), "c") + ";");
        w.line("int b = " + Index.plus(Index.times("o", channels * inner), Index.times("c", inner)) + ";");
        w.loop("i", 0, inner);
        w.line(env.at(y, "b + i") + " = " + env.at(x, "b + i") + " * s + t;");
        w.close();
        w.close();
        w.close();
        return null;
    }

    @Override
    public Void visit(Conv op, Node n) {
        ConvKernel.emit(op, n, env, tail, w);
        return null;
    }

    @Override
    public Void visit(Dense op, Node n) {
        DenseKernels.dense(n, env, w);
        return null;
    }

    @Override
    public Void visit(FactoredDense op, Node n) {
        FactoredDenseKernel.emit(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(MatMul op, Node n) {
        DenseKernels.matmul(n, env, w);
        return null;
    }

    @Override
    public Void visit(Pool op, Node n) {
        PoolKernel.emit(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Reduce op, Node n) {
        ReductionKernels.reduce(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Softmax op, Node n) {
        ReductionKernels.softmax(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Pad op, Node n) {
        MovementKernels.pad(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Transpose op, Node n) {
        MovementKernels.transpose(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Concat op, Node n) {
        MovementKernels.concat(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Split op, Node n) {
        MovementKernels.split(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Slice op, Node n) {
        MovementKernels.slice(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Gather op, Node n) {
        MovementKernels.gather(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Tile op, Node n) {
        MovementKernels.tile(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(Expand op, Node n) {
        MovementKernels.expand(n, env, w);
        return null;
    }

    @Override
    public Void visit(Cast op, Node n) {
        MovementKernels.copy(n, env, w); // only f32 -> f32 reaches code generation
        return null;
    }

    @Override
    public Void visit(Reshape op, Node n) {
        MovementKernels.copy(n, env, w); // a Reshape that could not alias its input
        return null;
    }

    @Override
    public Void visit(Identity op, Node n) {
        MovementKernels.copy(n, env, w);
        return null;
    }

    @Override
    public Void visit(PackSigns op, Node n) {
        PackKernel.packSigns(op, n, env, w);
        return null;
    }

    @Override
    public Void visit(BinaryConv op, Node n) {
        BitKernels.binaryConv(op, n, env, tail, w);
        return null;
    }

    @Override
    public Void visit(BinaryDense op, Node n) {
        BitKernels.binaryDense(op, n, env, tail, w);
        return null;
    }

    @Override
    public Void visit(BinaryDepthwiseConv1d op, Node n) {
        BitKernels.binaryDepthwiseConv1d(op, n, env, tail, w);
        return null;
    }

    @Override
    public Void visit(Constant op, Node n) {
        throw notLowered(op.opName(), n);
    }

    @Override
    public Void visit(Gemm op, Node n) {
        throw notLowered(op.opName(), n);
    }

    @Override
    public Void visit(BatchNorm op, Node n) {
        throw notLowered(op.opName() + " with run-time statistics", n);
    }

    private static IrException notLowered(String what, Node n) {
        return new IrException("node " + n.name() + ": " + what + " has no kernel; the pass pipeline should have lowered it");
    }
}
