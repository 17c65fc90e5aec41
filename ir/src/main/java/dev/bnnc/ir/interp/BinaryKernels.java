package dev.bnnc.ir.interp;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
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

    static List<Tensor> binaryConv(BinaryConv op, KernelCall call) {
        int sr = op.spatialRank();
        Shape xBits = call.input(0).shape();
        int[] logical = new int[sr + 2];
        logical[0] = xBits.dim(0);
        logical[1] = op.channels();
        for (int i = 0; i < sr; i++) {
            logical[i + 2] = xBits.dim(i + 1);
        }
        Tensor x = signs(call, 0, op.maskedInput(), op.inputLayout(), Shape.of(logical));
        Tensor wBits = call.input(op.maskedInput() ? 2 : 1);
        int[] weight = new int[sr + 2];
        weight[0] = wBits.shape().dim(0);
        weight[1] = op.channels() / op.group();
        for (int i = 0; i < sr; i++) {
            weight[i + 2] = wBits.shape().dim(i + 1);
        }
        Tensor w = unpack(wBits, null, new PackLayout(1, 1), Shape.of(weight));
        Conv conv = new Conv(op.strides(), op.pads(), op.dilations(), op.group());
        List<Tensor> in = List.of(x, w);
        Tensor dot = ConvKernel.conv(conv, new KernelCall(in, conv.inferTypes(List.of(x.type(), w.type()))));
        return epilogue(op.output(), dot, 1, call, op.maskedInput() ? 3 : 2, op.packAxis(), op.packGroups());
    }

    static List<Tensor> binaryDepthwiseConv1d(BinaryDepthwiseConv1d op, KernelCall call) {
        Shape xBits = call.input(0).shape();
        int channels = xBits.dim(1);
        Tensor x = signs(call, 0, op.maskedInput(), new PackLayout(2, 1), Shape.of(xBits.dim(0), channels, op.length()));
        Tensor wBits = call.input(op.maskedInput() ? 2 : 1);
        Tensor w = unpack(wBits, null, new PackLayout(1, 1), Shape.of(channels, op.kernel())).reshape(Shape.of(channels, 1, op.kernel()));
        Conv conv = op.conv(channels);
        Tensor dot = ConvKernel.conv(conv, new KernelCall(List.of(x, w), conv.inferTypes(List.of(x.type(), w.type()))));
        return epilogue(op.output(), dot, 1, call, op.maskedInput() ? 3 : 2, op.packAxis(), op.packGroups());
    }

    static List<Tensor> binaryDense(BinaryDense op, KernelCall call) {
        int[] logical = call.input(0).shape().dims();
        logical[logical.length - 1] = op.inFeatures();
        Tensor x = signs(call, 0, op.maskedInput(), new PackLayout(logical.length - 1, 1), Shape.of(logical));
        Tensor wBits = call.input(op.maskedInput() ? 2 : 1);
        int n = wBits.shape().dim(0);
        int k = op.inFeatures();
        float[] rows = new PackLayout(1, 1).unpack(wBits.toLongArray(), null, Shape.of(n, k));
        float[] kn = new float[rows.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                kn[j * n + i] = rows[i * k + j];
            }
        }
        Tensor w = Tensor.adoptFloats(Shape.of(k, n), kn);
        int[] out = logical.clone();
        out[out.length - 1] = n;
        Tensor dot = MatrixKernels.dense(new KernelCall(List.of(x, w), List.of(TensorType.f32(out))));
        return epilogue(op.output(), dot, out.length - 1, call, op.maskedInput() ? 3 : 2, op.packAxis(), op.packGroups());
    }

    /** Input {@code i} (packed words, with its zero mask next if masked) as -1/0/+1 floats. */
    private static Tensor signs(KernelCall call, int i, boolean masked, PackLayout layout, Shape logical) {
        return unpack(call.input(i), masked ? call.input(i + 1) : null, layout, logical);
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
