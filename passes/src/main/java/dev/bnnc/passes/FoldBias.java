package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds an Add (or Sub) of a per-channel constant after a Conv, Dense or FactoredDense into the layer's bias, as
 * exporters emit {@code MatMul + Add} for a linear layer on 3-D input. Applies when the layer's
 * output feeds only that Add and the broadcast keeps the layer's output shape.
 */
public final class FoldBias implements Pass {
    @Override
    public String name() {
        return "fold-bias";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Fold> folds = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            plan(rw, n).ifPresent(f -> folds.put(n, f));
        }
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        folds.values().forEach(f -> absorbed.add(f.layer));
        for (Node n : graph.nodes()) {
            Fold f = folds.get(n);
            if (f != null) {
                Node layer = f.layer;
                float[] bias = f.delta.clone();
                int at = biasInput(layer);
                if (layer.inputs().size() > at) {
                    Tensor old = rw.constantOf(layer.input(at)).orElseThrow();
                    for (int i = 0; i < bias.length; i++) {
                        bias[i] += old.floatAt(i);
                    }
                }
                List<Value> inputs = new ArrayList<>(rw.map(layer.inputs().subList(0, at)));
                inputs.add(rw.constant(layer.name() + "_bias", Tensor.adoptFloats(Shape.of(bias.length), bias)));
                rw.add(new Node(layer.name(), layer.op(), inputs, n.outputs()));
            } else if (!absorbed.contains(n)) {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private record Fold(Node layer, float[] delta) {}

    private static Optional<Fold> plan(GraphRewriter rw, Node n) {
        if (!(n.op() instanceof Binary b) || (b.fn() != BinaryFn.ADD && b.fn() != BinaryFn.SUB)) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            if (side == 1 && b.fn() == BinaryFn.SUB) {
                break; // c - layer(x) is not a bias
            }
            int other = 1 - side;
            Optional<Node> layer = rw.soleProducer(n, side).filter(p -> isLayer(rw, p));
            Optional<Tensor> c = rw.constantOf(n.input(other));
            if (layer.isEmpty() || c.isEmpty() || !n.output().type().equals(n.input(side).type())) {
                continue;
            }
            Value out = layer.get().output();
            int axis = layer.get().op() instanceof Conv ? 1 : out.type().rank() - 1;
            Optional<float[]> v = ConstantMath.perChannel(c.get(), out.shape(), axis);
            if (v.isPresent()) {
                float[] delta = v.get();
                if (b.fn() == BinaryFn.SUB) {
                    for (int i = 0; i < delta.length; i++) {
                        delta[i] = -delta[i];
                    }
                }
                return Optional.of(new Fold(layer.get(), delta));
            }
        }
        return Optional.empty();
    }

    private static boolean isLayer(GraphRewriter rw, Node p) {
        return (p.op() instanceof Conv || p.op() instanceof Dense || p.op() instanceof FactoredDense)
                && (p.inputs().size() <= biasInput(p) || rw.constantOf(p.input(biasInput(p))).isPresent());
    }

    /** Index of the layer's optional bias among its inputs. */
    private static int biasInput(Node layer) {
        return layer.op() instanceof FactoredDense ? 3 : 2;
    }
}
