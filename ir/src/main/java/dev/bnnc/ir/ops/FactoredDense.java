package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * A DeepThin-factored dense layer over the last axis: {@code y[..., n] = sum_k x[..., k]·w[k, n] + b[n]}
 * where the weight is never stored, but rebuilt from two factors: {@code P = xf·wf} (xf [mf, r], wf
 * [r, nf]) laid out row-major, cut to its first {@code K·N} values and reshaped to a matrix M. The
 * reshape breaks the low-rank structure (rows of P do not line up with rows of M), which is the
 * point of DeepThin.
 *
 * <p>With {@code transposed} false, M is [K, N] and is the weight (as {@link Dense} takes it);
 * with {@code transposed} true, M is [N, K], one row per output as {@code torch.nn.Linear} holds its
 * weight, and the weight is its transpose. Inputs: x, xf, wf, then an optional bias [N].
 *
 * @param inFeatures K
 * @param outFeatures N
 */
public record FactoredDense(int inFeatures, int outFeatures, boolean transposed) implements Op {
    public FactoredDense {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IrException("features must be positive, got " + inFeatures + " in, " + outFeatures + " out");
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 3, 4);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        TensorType xf = ShapeRules.requireFloat(inputs.get(1), "left factor");
        TensorType wf = ShapeRules.requireFloat(inputs.get(2), "right factor");
        ShapeRules.requireRank(xf, 2, "left factor");
        ShapeRules.requireRank(wf, 2, "right factor");
        if (xf.dim(1) != wf.dim(0)) {
            throw new IrException("factors " + xf + " and " + wf + " do not multiply");
        }
        if ((long) xf.dim(0) * wf.dim(1) < (long) inFeatures * outFeatures) {
            throw new IrException("factors " + xf + " · " + wf + " hold fewer than the " + inFeatures + "×" + outFeatures
                    + " weights");
        }
        if (x.rank() < 1 || x.dim(x.rank() - 1) != inFeatures) {
            throw new IrException("input " + x + " does not have " + inFeatures + " features");
        }
        if (inputs.size() == 4) {
            ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(3), "bias"), outFeatures, "bias");
        }
        int[] out = Arrays.copyOf(x.shape().dims(), x.rank());
        out[out.length - 1] = outFeatures;
        return List.of(TensorType.f32(out));
    }

    /**
     * Position in the flattened product P of weight element {@code w[k, n]}: {@code k·N + n}, or
     * {@code n·K + k} when transposed.
     */
    public long flatIndex(int k, int n) {
        return transposed ? (long) n * inFeatures + k : (long) k * outFeatures + n;
    }

    /**
     * Whether rows of {@code floats} floats, one after another, start within 256 bytes of a
     * multiple of 4 KB from each other: then the rows a kernel streams side by side fall into the
     * same L1 cache sets and evict each other (a 51-term rebuild over rows of 1025 floats ran 4×
     * slower than over rows of 1041 on x86-64). Compression avoids such widths of the factor wf;
     * the kernels pad their scratch rows.
     */
    public static boolean conflictingRowLength(int floats) {
        int offset = (int) ((4L * floats) % 4096);
        return floats >= 64 && Math.min(offset, 4096 - offset) < 256;
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
