package dev.bnnc.ir.ops;

/**
 * One method per op, so that the interpreter, the backends and every other consumer of the IR
 * handle every op (a new op does not compile until they do).
 *
 * @param <R> result type
 * @param <C> context passed through (for example the node being visited)
 */
public interface OpVisitor<R, C> {
    R visit(Constant op, C context);

    R visit(Identity op, C context);

    R visit(Unary op, C context);

    R visit(LeakyRelu op, C context);

    R visit(Elu op, C context);

    R visit(Selu op, C context);

    R visit(Clip op, C context);

    R visit(Binary op, C context);

    R visit(Conv op, C context);

    R visit(Gemm op, C context);

    R visit(MatMul op, C context);

    R visit(Dense op, C context);

    R visit(FactoredDense op, C context);

    R visit(BatchNorm op, C context);

    R visit(ChannelAffine op, C context);

    R visit(Softmax op, C context);

    R visit(Pool op, C context);

    R visit(Reduce op, C context);

    R visit(Pad op, C context);

    R visit(Reshape op, C context);

    R visit(Transpose op, C context);

    R visit(Concat op, C context);

    R visit(Split op, C context);

    R visit(Slice op, C context);

    R visit(Gather op, C context);

    R visit(Tile op, C context);

    R visit(Expand op, C context);

    R visit(Cast op, C context);

    R visit(PackSigns op, C context);

    R visit(BinaryConv op, C context);

    R visit(BinaryDense op, C context);

    R visit(BinaryDepthwiseConv1d op, C context);
}
