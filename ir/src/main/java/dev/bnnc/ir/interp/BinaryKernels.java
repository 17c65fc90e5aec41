package dev.bnnc.ir.interp;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.BinaryFloatForm;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary ops, defined plainly: packed signs are unpacked to -1/0/+1 floats, the dot products
 * are taken by the float Conv and Dense kernels (exact: they are sums of small integers), and the
 * epilogue is applied per channel. Deliberately unlike the generated XNOR-popcount kernels, so that
 * tests of one against the other mean something.
 */
final class BinaryKernels {
    private BinaryKernels() {}

    static List<Tensor> packSigns(PackSigns op, KernelCall call) {
        Tensor x = call.input(0);
        float[] v = x.toFloatArray();
        PackLayout layout = op.layout();
        if (op.bipolar()) {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] >= 0 ? 1 : -1;
            }
            return List.of(Tensor.adoptBits(call.outputType().shape(), layout.pack(v, x.shape(), null)));
        }
        long[] mask = new long[call.outputTypes().get(1).size()];
        long[] words = layout.pack(v, x.shape(), mask);
        return List.of(Tensor.adoptBits(call.outputType().shape(), words),
                Tensor.adoptBits(call.outputTypes().get(1).shape(), mask));
    }

    static List<Tensor> binaryLayer(BinaryLayerOp op, KernelCall call) {
        List<TensorType> types = call.inputs().stream().map(Tensor::type).toList();
        BinaryFloatForm form = op.floatForm(types, call.input(op.weightInput()));
        Tensor x = unpack(call.input(0), op.maskedInput() ? call.input(1) : null, form.inputLayout(), form.input());
        List<Tensor> operands = List.of(x, form.weight());
        KernelCall dotCall = new KernelCall(operands, form.dot().inferTypes(List.of(x.type(), form.weight().type())));
        Tensor dot = form.dot().accept(OpKernels.INSTANCE, dotCall).get(0);
        return epilogue(op.output(), dot, op.channelAxis(dot.type().rank()), call, op.parameterInput(), op.packAxis(),
                op.packGroups());
    }

    private static Tensor unpack(Tensor words, Tensor mask, PackLayout layout, Shape logical) {
        return Tensor.adoptFloats(logical, layout.unpack(words.toLongArray(), mask == null ? null : mask.toLongArray(), logical));
    }

    /** Applies the epilogue to the dot products along {@code axis}; its parameters are inputs {@code p} and {@code p+1}. */
    private static List<Tensor> epilogue(BinaryOutput output, Tensor dot, int axis, KernelCall call, int p, int packAxis,
                                         int packGroups) {
        Shape shape = dot.shape();
        int channels = shape.dim(axis);
        int inner = shape.sizeOf(axis + 1, shape.rank());
        float[] d = dot.toFloatArray();
        Tensor first = call.input(p);
        Tensor second = call.input(p + 1);
        if (output == BinaryOutput.AFFINE) {
            float[] y = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                int c = i / inner % channels;
                y[i] = d[i] * first.floatAt(c) + second.floatAt(c);
            }
            return List.of(Tensor.adoptFloats(shape, y));
        }
        float[] s = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            int c = i / inner % channels;
            long lo = first.longAt(c);
            long hi = second.longAt(c);
            if (output == BinaryOutput.SIGNS && lo != hi) {
                throw new IrException("SIGNS output needs lo == hi (no zeros) in every channel; channel " + c + " has "
                        + lo + ", " + hi);
            }
            s[i] = d[i] >= hi ? 1 : d[i] < lo ? -1 : 0;
        }
        PackLayout layout = new PackLayout(packAxis, packGroups);
        List<Tensor> out = new ArrayList<>();
        List<TensorType> types = call.outputTypes();
        if (output == BinaryOutput.SIGNS) {
            out.add(Tensor.adoptBits(types.get(0).shape(), layout.pack(s, shape, null)));
        } else {
            long[] mask = new long[types.get(1).size()];
            out.add(Tensor.adoptBits(types.get(0).shape(), layout.pack(s, shape, mask)));
            out.add(Tensor.adoptBits(types.get(1).shape(), mask));
        }
        return out;
    }
}
