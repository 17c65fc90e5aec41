package dev.bnnc.ir.interp;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Tensor;
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
import dev.bnnc.ir.ops.UnaryFn;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.PackSigns;
import java.util.List;

/** Routes every op to its kernel. Inputs arrive checked against the op's type inference. */
final class OpKernels implements OpVisitor<List<Tensor>, KernelCall> {
    static final OpKernels INSTANCE = new OpKernels();

    private OpKernels() {}

    @Override
    public List<Tensor> visit(Constant op, KernelCall call) {
        return List.of(op.value());
    }

    @Override
    public List<Tensor> visit(Identity op, KernelCall call) {
        return List.of(call.input(0));
    }

    @Override
    public List<Tensor> visit(Unary op, KernelCall call) {
        Tensor x = call.input(0);
        UnaryFn fn = op.fn();
        return List.of(x.dtype() == DType.F32 ? ElementwiseKernels.map(x, fn::apply) : ElementwiseKernels.unaryLong(fn, x));
    }

    @Override
    public List<Tensor> visit(LeakyRelu op, KernelCall call) {
        return List.of(ElementwiseKernels.map(call.input(0), op::apply));
    }

    @Override
    public List<Tensor> visit(Elu op, KernelCall call) {
        return List.of(ElementwiseKernels.map(call.input(0), op::apply));
    }

    @Override
    public List<Tensor> visit(Selu op, KernelCall call) {
        return List.of(ElementwiseKernels.map(call.input(0), op::apply));
    }

    @Override
    public List<Tensor> visit(Clip op, KernelCall call) {
        return List.of(ElementwiseKernels.map(call.input(0), op::apply));
    }

    @Override
    public List<Tensor> visit(Binary op, KernelCall call) {
        return List.of(ElementwiseKernels.binary(op, call.input(0), call.input(1), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Conv op, KernelCall call) {
        return List.of(ConvKernel.conv(op, call));
    }

    @Override
    public List<Tensor> visit(Gemm op, KernelCall call) {
        return List.of(MatrixKernels.gemm(op, call));
    }

    @Override
    public List<Tensor> visit(MatMul op, KernelCall call) {
        return List.of(MatrixKernels.matMul(call));
    }

    @Override
    public List<Tensor> visit(Dense op, KernelCall call) {
        return List.of(MatrixKernels.dense(call));
    }

    @Override
    public List<Tensor> visit(FactoredDense op, KernelCall call) {
        return List.of(MatrixKernels.factoredDense(op, call));
    }

    @Override
    public List<Tensor> visit(BatchNorm op, KernelCall call) {
        return List.of(ChannelKernels.batchNorm(op, call));
    }

    @Override
    public List<Tensor> visit(ChannelAffine op, KernelCall call) {
        return List.of(ChannelKernels.channelAffine(op, call));
    }

    @Override
    public List<Tensor> visit(Softmax op, KernelCall call) {
        return List.of(SoftmaxKernel.softmax(op, call));
    }

    @Override
    public List<Tensor> visit(Pool op, KernelCall call) {
        return List.of(PoolKernel.pool(op, call));
    }

    @Override
    public List<Tensor> visit(Reduce op, KernelCall call) {
        return List.of(ReduceKernel.reduce(op, call));
    }

    @Override
    public List<Tensor> visit(Pad op, KernelCall call) {
        return List.of(LayoutKernels.pad(op, call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Reshape op, KernelCall call) {
        return List.of(call.input(0).reshape(call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Transpose op, KernelCall call) {
        return List.of(LayoutKernels.transpose(op, call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Concat op, KernelCall call) {
        return List.of(LayoutKernels.concat(op, call.inputs(), call.outputType()));
    }

    @Override
    public List<Tensor> visit(Split op, KernelCall call) {
        return LayoutKernels.split(op, call.input(0), call.outputTypes());
    }

    @Override
    public List<Tensor> visit(Slice op, KernelCall call) {
        return List.of(LayoutKernels.slice(op, call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Gather op, KernelCall call) {
        return List.of(LayoutKernels.gather(op, call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Tile op, KernelCall call) {
        return List.of(LayoutKernels.tile(op, call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Expand op, KernelCall call) {
        return List.of(LayoutKernels.expand(call.input(0), call.outputType().shape()));
    }

    @Override
    public List<Tensor> visit(Cast op, KernelCall call) {
        return List.of(ElementwiseKernels.cast(op, call.input(0)));
    }

    @Override
    public List<Tensor> visit(PackSigns op, KernelCall call) {
        return BinaryKernels.packSigns(op, call);
    }

    @Override
    public List<Tensor> visit(BinaryConv op, KernelCall call) {
        return BinaryKernels.binaryLayer(op, call);
    }

    @Override
    public List<Tensor> visit(BinaryDense op, KernelCall call) {
        return BinaryKernels.binaryLayer(op, call);
    }

    @Override
    public List<Tensor> visit(BinaryDepthwiseConv1d op, KernelCall call) {
        return BinaryKernels.binaryLayer(op, call);
    }
}
