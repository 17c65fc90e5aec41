package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds inference-time BatchNorm into the Conv or Dense layer before it (when the layer's output
 * feeds nothing else and the channel axes agree): {@code w' = w·s}, {@code b' = (b - mean)·s + beta},
 * {@code s = gamma / sqrt(var + eps)}, computed in double. Any other BatchNorm with constant
 * statistics becomes a {@link ChannelAffine}. Guarantees: no BatchNorm with constant parameters
 * remains.
 */
public final class FoldBatchNorm implements Pass {
    @Override
    public String name() {
        return "fold-batchnorm";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Node> layerOf = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof BatchNorm && parameters(rw, n).isPresent()) {
                rw.soleProducer(n, 0).filter(p -> foldable(rw, p)).ifPresent(p -> layerOf.put(n, p));
            }
        }
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        absorbed.addAll(layerOf.values());
        for (Node n : graph.nodes()) {
            if (absorbed.contains(n)) {
                continue; // emitted, with folded weights, in place of its BatchNorm
            }
            Optional<double[][]> affine = n.op() instanceof BatchNorm ? parameters(rw, n) : Optional.empty();
            if (affine.isEmpty()) {
                rw.keep(n);
            } else if (layerOf.containsKey(n)) {
                fold(rw, layerOf.get(n), n, affine.get());
            } else {
                double[][] sb = affine.get();
                Value scale = rw.constant(n.name() + "_scale", toVector(sb[0]));
                Value shift = rw.constant(n.name() + "_shift", toVector(sb[1]));
                rw.replace(n, new ChannelAffine(1), List.of(rw.map(n.input(0)), scale, shift));
            }
        }
        return rw.finish();
    }

    /** {scale, shift} per channel if all of the BatchNorm's statistics are constant. */
    private static Optional<double[][]> parameters(GraphRewriter rw, Node bn) {
        List<Tensor> p = new ArrayList<>();
        for (int i = 1; i < 5; i++) {
            Optional<Tensor> t = rw.constantOf(bn.input(i));
            if (t.isEmpty()) {
                return Optional.empty();
            }
            p.add(t.get());
        }
        double eps = ((BatchNorm) bn.op()).epsilon();
        int c = p.get(0).size();
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int i = 0; i < c; i++) {
            scale[i] = p.get(0).doubleAt(i) / Math.sqrt(p.get(3).doubleAt(i) + eps);
            shift[i] = p.get(1).doubleAt(i) - p.get(2).doubleAt(i) * scale[i];
        }
        return Optional.of(new double[][] {scale, shift});
    }

    /** Conv, or Dense whose output's axis 1 is its channel axis, with constant weight and bias. */
    private static boolean foldable(GraphRewriter rw, Node layer) {
        boolean shape = layer.op() instanceof Conv || (layer.op() instanceof Dense && layer.output().type().rank() == 2);
        return shape && layer.inputs().subList(1, layer.inputs().size()).stream()
                .allMatch(v -> rw.constantOf(v).isPresent());
    }

    private static void fold(GraphRewriter rw, Node layer, Node bn, double[][] affine) {
        double[] s = affine[0];
        Tensor w = rw.constantOf(layer.input(1)).orElseThrow();
        float[] wf = w.toFloatArray();
        int channels = s.length;
        boolean dense = layer.op() instanceof Dense;
        // Conv weights are [M, ...] (channel outermost); Dense weights are [K, N] (channel innermost).
        int inner = dense ? 1 : wf.length / channels;
        for (int i = 0; i < wf.length; i++) {
            int ch = dense ? i % channels : i / inner;
            wf[i] = (float) (wf[i] * s[ch]);
        }
        float[] bias = new float[channels];
        Optional<Tensor> oldBias = layer.inputs().size() > 2 ? rw.constantOf(layer.input(2)) : Optional.empty();
        for (int ch = 0; ch < channels; ch++) {
            double b = oldBias.isPresent() ? oldBias.get().doubleAt(ch) : 0;
            bias[ch] = (float) (b * s[ch] + affine[1][ch]);
        }
        Value wv = rw.constant(layer.input(1).name() + "_bn", Tensor.adoptFloats(w.shape(), wf));
        Value bv = rw.constant(layer.name() + "_bias_bn", Tensor.adoptFloats(Shape.of(channels), bias));
        rw.add(new Node(layer.name(), layer.op(), List.of(rw.map(layer.input(0)), wv, bv), bn.outputs()));
    }

    private static Tensor toVector(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.adoptFloats(Shape.of(f.length), f);
    }
}
