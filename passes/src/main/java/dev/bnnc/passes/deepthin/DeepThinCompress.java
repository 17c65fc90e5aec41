package dev.bnnc.passes.deepthin;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.passes.GraphRewriter;
import dev.bnnc.passes.Pass;
import dev.bnnc.passes.PassContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Post-training DeepThin compression ({@code --deepthin RATIO}): each chosen float {@link Dense}
 * layer with a constant K×N weight W becomes a {@link FactoredDense} whose factors hold about
 * {@code RATIO·K·N} parameters. W, laid out row-major and padded with zeros, is reshaped to the
 * mf×nf matrix of {@link FactoredShape}, and the factors are its truncated SVD ({@link TruncatedSvd}):
 * the best rank-r fit of that matrix. Accuracy is not preserved (the factors are not retrained);
 * each layer's remark and {@link Factorization} give its relative error, and that of plain rank
 * factorization of W at the same parameter count.
 *
 * <p>Expects canonical layers (after form-dense and binarize: binary layers are left alone).
 * Chosen layers: those named, or every float Dense when no names are given. A named layer that is
 * not a float Dense with a constant weight is an error; a layer too small for the ratio (rank 1
 * would not fit) stays dense, with a remark.
 */
public final class DeepThinCompress implements Pass {
    private final double ratio;
    private final Set<String> layers;

    /** @param layers layer (node) names to compress, or empty for every float dense layer */
    public DeepThinCompress(double ratio, Set<String> layers) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("--deepthin " + ratio + ": the ratio must be between 0 and 1 (e.g. 0.05)");
        }
        this.ratio = ratio;
        this.layers = Set.copyOf(layers);
    }

    @Override
    public String name() {
        return "deepthin";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        for (String name : layers) {
            Optional<Node> n = graph.node(name);
            if (n.isEmpty() || !isCandidate(graph, n.get())) {
                throw new IllegalArgumentException("--deepthin-layers: no float dense layer with a constant weight named '"
                        + name + "'" + (n.isPresent() ? " (it is a " + n.get().op().opName() + ")" : ""));
            }
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (isCandidate(graph, n) && (layers.isEmpty() || layers.contains(n.name()))) {
                compress(rw, n, context);
            } else {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private static boolean isCandidate(Graph g, Node n) {
        return n.op() instanceof Dense && g.constant(n.input(1)).filter(t -> t.dtype() == DType.F32).isPresent()
                && (n.inputs().size() < 3 || g.constant(n.input(2)).isPresent());
    }

    private void compress(GraphRewriter rw, Node n, PassContext context) {
        Tensor weight = rw.constantOf(n.input(1)).orElseThrow();
        int k = weight.shape().dim(0);
        int outputs = weight.shape().dim(1);
        long budget = Math.round(ratio * k * outputs);
        Optional<FactoredShape> shape = FactoredShape.choose(k, outputs, budget);
        if (shape.isEmpty()) {
            context.remark(n.name(), "kept dense: a " + k + "×" + outputs + " weight is too small for DeepThin at ratio " + ratio);
            rw.keep(n);
            return;
        }
        FactoredShape s = shape.get();
        double[] w = new double[k * outputs];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight.floatAt(i);
        }
        // W's values in P's row-major order; the tail past K·N is padding that the layer never reads.
        double[] reshaped = new double[s.mf() * s.nf()];
        System.arraycopy(w, 0, reshaped, 0, w.length);
        TruncatedSvd.Factors f = TruncatedSvd.of(reshaped, s.mf(), s.nf(), s.rank());
        float[] xf = toFloats(f.left());
        float[] wf = toFloats(f.right());
        double error = relativeError(w, xf, wf, s.mf(), s.rank(), s.nf());
        int plainRank = (int) Math.min(budget / (k + outputs), Math.min(k, outputs));
        double plainError = 1; // rank 0: W approximated by zero
        if (plainRank > 0) {
            TruncatedSvd.Factors g = TruncatedSvd.of(w, k, outputs, plainRank);
            plainError = relativeError(w, toFloats(g.left()), toFloats(g.right()), k, plainRank, outputs);
        }
        List<Value> in = new ArrayList<>(List.of(rw.map(n.input(0)),
                rw.constant(n.name() + "_xf", Tensor.adoptFloats(Shape.of(s.mf(), s.rank()), xf)),
                rw.constant(n.name() + "_wf", Tensor.adoptFloats(Shape.of(s.rank(), s.nf()), wf))));
        if (n.inputs().size() > 2) {
            in.add(rw.map(n.input(2)));
        }
        rw.replace(n, new FactoredDense(k, outputs, false), in);
        Factorization record = new Factorization(n.name(), k, outputs, ratio, s.mf(), s.nf(), s.rank(), s.parameters(), error,
                plainRank, (long) plainRank * (k + outputs), plainError);
        context.record(record);
        context.remark(n.name(), String.format(Locale.ROOT, "DeepThin post-training (--deepthin %s): W [%d,%d] as xf [%d,%d] · wf"
                + " [%d,%d], %d parameters (%.1f%%), relative error %.4f (plain rank %d: %.4f); accuracy is not preserved",
                ratio, k, outputs, s.mf(), s.rank(), s.rank(), s.nf(), s.parameters(), 100.0 * s.parameters() / w.length, error,
                plainRank, plainError));
    }

    private static float[] toFloats(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    /**
     * {@code ||W - W'||_F / ||W||_F}, W' the first {@code W.length} values of {@code left·right}
     * (as stored, in float) in row-major order.
     */
    static double relativeError(double[] w, float[] left, float[] right, int m, int rank, int n) {
        double diff = 0;
        double norm = 0;
        double[] row = new double[n];
        for (int i = 0; i < m && i * n < w.length; i++) {
            java.util.Arrays.fill(row, 0);
            for (int u = 0; u < rank; u++) {
                double a = left[i * rank + u];
                for (int j = 0; j < n; j++) {
                    row[j] += a * right[u * n + j];
                }
            }
            for (int j = 0; j < n && i * n + j < w.length; j++) {
                double d = w[i * n + j] - row[j];
                diff += d * d;
                norm += w[i * n + j] * w[i * n + j];
            }
        }
        return norm == 0 ? 0 : Math.sqrt(diff / norm);
    }
}
