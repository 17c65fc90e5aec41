package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.Transpose;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a dense layer over time between two transposes of the last two axes as the 1×1 convolution
 * it is. PyTorch exports a {@code Linear} on the frames of a channels-first network as
 * {@code Transpose(Dense(Transpose(x[N, K, T])))}; as a convolution of x the layer writes
 * {@code [N, M, T]} itself, so neither transpose runs, and what follows per channel (the BatchNorm
 * and PReLU of a BiFSMN front end) folds into the layer or its epilogue.
 * <ul>
 *   <li>Float (run before fold-batchnorm): {@code Transpose(Dense(Transpose(x), W, b))} becomes
 *       {@code Conv(x, W^T as [M, K, 1], b)}.
 *   <li>Binary (run after binarize): {@code Transpose(BinaryDense(x))} over {@code [N, T, K]} becomes a
 *       1×1 {@link BinaryConv} of the same words (x packed along K at each of the T positions is
 *       what both read).
 * </ul>
 * The dense layer must have no reader but the outer transpose.
 */
public final class PointwiseConvFromDense implements Pass {
    private static final List<Integer> SWAP_LAST_TWO = List.of(0, 2, 1);

    @Override
    public String name() {
        return "pointwise-conv-from-dense";
    }

    /** A dense layer and the 1×1 convolution that replaces it together with the transpose after it. */
    private record Rewrite(Node dense, Op conv, List<Value> inputs) {}

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Rewrite> byTranspose = new IdentityHashMap<>();
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : graph.nodes()) {
            rewrite(rw, n).ifPresent(r -> {
                byTranspose.put(n, r);
                absorbed.add(r.dense());
            });
        }
        for (Node n : graph.nodes()) {
            Rewrite r = byTranspose.get(n);
            if (r != null) {
                rw.add(new Node(r.dense().name(), r.conv(), r.inputs(), n.outputs()));
                context.remark(r.dense().name(), "runs as a 1x1 convolution: its output is transposed to channels first");
            } else if (!absorbed.contains(n)) {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private static boolean swapsLastTwo(Node n) {
        return n.op() instanceof Transpose t && t.perm().equals(SWAP_LAST_TWO);
    }

    /** The rewrite of transpose {@code n} and the dense layer over {@code [N, T, K]} that only it reads, if it is one. */
    private static Optional<Rewrite> rewrite(GraphRewriter rw, Node n) {
        if (!swapsLastTwo(n)) {
            return Optional.empty();
        }
        Optional<Node> layer = rw.soleProducer(n, 0).filter(d -> d.input(0).type().rank() == 3);
        if (layer.isEmpty()) {
            return Optional.empty();
        }
        Node d = layer.get();
        if (d.op() instanceof BinaryDense b) {
            return Optional.of(new Rewrite(d, new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 1, b.inFeatures(),
                    b.maskedInput(), b.output(), b.packAxis(), b.packGroups()), binaryInputs(rw, d, b)));
        }
        Optional<Node> inner = rw.source().producer(d.input(0)).filter(PointwiseConvFromDense::swapsLastTwo);
        Optional<Tensor> weight = rw.constantOf(d.input(1));
        if (d.op() instanceof Dense && inner.isPresent() && weight.isPresent()) {
            List<Value> in = new ArrayList<>(rw.map(d.inputs()));
            in.set(0, rw.map(inner.get().input(0)));
            Tensor kernel = ConstantMath.transpose2d(weight.get());
            in.set(1, rw.constant(d.input(1).name() + "_pointwise",
                    kernel.reshape(Shape.of(kernel.shape().dim(0), kernel.shape().dim(1), 1))));
            return Optional.of(new Rewrite(d, new Conv(List.of(1), List.of(0, 0), List.of(1), 1), in));
        }
        return Optional.empty();
    }

    /** The binary layer's inputs, its weight rows {@code [M, words]} as a kernel of one tap {@code [M, 1, words]}. */
    private static List<Value> binaryInputs(GraphRewriter rw, Node dense, BinaryDense b) {
        List<Value> in = new ArrayList<>(rw.map(dense.inputs()));
        int at = b.maskedInput() ? 2 : 1;
        Tensor rows = rw.constantOf(in.get(at)).orElseThrow();
        Shape s = rows.shape();
        in.set(at, rw.constant(in.get(at).name() + "_pointwise", rows.reshape(Shape.of(s.dim(0), 1, s.dim(1)))));
        return in;
    }
}
