package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * XNOR-popcount dense layer over the last axis: integer dot products {@code sum_k x[..., k] * w[k, n]}
 * of ±1 values (inputs may be 0 where a zero mask says so), then an {@link BinaryOutput} epilogue.
 *
 * <p>Inputs: x packed along its last axis (logical {@code [..., inFeatures]}, packed
 * {@code [..., words]}); its zero mask if {@code maskedInput}; the weight signs {@code [N, words]}
 * (row n holds the k-th sign of output n at bit k); then the per-output parameters. The logical
 * output is {@code [..., N]}; the sign forms pack it with {@code PackLayout(packAxis, packGroups)}.
 */
public record BinaryDense(int inFeatures, boolean maskedInput, BinaryOutput output, int packAxis, int packGroups)
        implements BinaryLayerOp {
    public BinaryDense {
        Objects.requireNonNull(output, "output");
        if (inFeatures <= 0) {
            throw new IrException("inFeatures must be positive, got " + inFeatures);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        if (inputs.isEmpty()) {
            throw new IrException("expects inputs");
        }
        Shape xBits = inputs.get(0).shape();
        if (xBits.rank() < 1) {
            throw new IrException("input must be packed words, got " + inputs.get(0));
        }
        int[] logical = xBits.dims();
        logical[logical.length - 1] = inFeatures;
        Shape xLogical = Shape.of(logical);
        PackLayout in = new PackLayout(logical.length - 1, 1);
        Shape weight = inputs.get(maskedInput ? 2 : 1).shape();
        if (weight.rank() != 2) {
            throw new IrException("weight must be packed words [N, words], got " + inputs.get(maskedInput ? 2 : 1));
        }
        int n = weight.dim(0);
        BinaryLayer.checkInputs(inputs, maskedInput, in.packed(xLogical), Shape.of(n, in.wordsPerGroup(inFeatures)), n, output);
        int[] out = logical.clone();
        out[out.length - 1] = n;
        return BinaryLayer.outputs(output, Shape.of(out), out.length - 1, packAxis, packGroups);
    }

    @Override
    public BinaryDense withOutput(BinaryOutput newOutput, int newPackAxis, int newPackGroups) {
        return new BinaryDense(inFeatures, maskedInput, newOutput, newPackAxis, newPackGroups);
    }

    @Override
    public BinaryDense withoutMask() {
        return new BinaryDense(inFeatures, false, output, packAxis, packGroups);
    }

    @Override
    public int channelAxis(int outputRank) {
        return outputRank - 1;
    }

    @Override
    public int maxDot(List<TensorType> inputs) {
        return inFeatures;
    }

    @Override
    public int weightGroupLength(List<TensorType> inputs) {
        return inFeatures;
    }

    /** The weight transposed to Dense's [K, N]. */
    @Override
    public BinaryFloatForm floatForm(List<TensorType> inputs, Tensor weightWords) {
        int[] logical = inputs.get(0).shape().dims();
        logical[logical.length - 1] = inFeatures;
        int n = weightWords.shape().dim(0);
        float[] rows = BinaryFloatForm.unpackRows(weightWords, Shape.of(n, inFeatures)).toFloatArray();
        float[] kn = new float[rows.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inFeatures; j++) {
                kn[j * n + i] = rows[i * inFeatures + j];
            }
        }
        return new BinaryFloatForm(Shape.of(logical), new PackLayout(logical.length - 1, 1), new Dense(),
                Tensor.adoptFloats(Shape.of(inFeatures, n), kn));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
