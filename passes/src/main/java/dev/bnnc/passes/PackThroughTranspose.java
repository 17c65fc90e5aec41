package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.ir.ops.Transpose;
import java.util.List;
import java.util.Optional;

/**
 * Packs the signs of a transposed tensor from the tensor itself: {@code PackSigns(Transpose(x))}
 * becomes a PackSigns of x along the axis the transpose moved, when the other axes keep their order
 * (then the words come out the same), so that the transpose need not run (a Transpose left unused
 * goes with dead-code elimination). Exporters put one before a binarized linear layer on conv
 * features, {@code [N, C, T] -> [N, T, C]}.
 */
public final class PackThroughTranspose implements Pass {
    @Override
    public String name() {
        return "pack-through-transpose";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            Optional<Integer> axis = n.op() instanceof PackSigns p ? sourceAxis(graph, n, p) : Optional.empty();
            if (axis.isPresent()) {
                PackSigns p = (PackSigns) n.op();
                Node t = graph.producer(n.input(0)).orElseThrow();
                rw.add(new Node(n.name(), new PackSigns(axis.get(), p.groups(), p.bipolar()), List.of(rw.map(t.input(0))),
                        n.outputs()));
            } else {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    /** The axis of the transpose's input that {@code pack} packs, if the other axes keep their order. */
    private static Optional<Integer> sourceAxis(Graph graph, Node pack, PackSigns p) {
        Optional<Node> producer = graph.producer(pack.input(0));
        if (producer.isEmpty() || !(producer.get().op() instanceof Transpose t)) {
            return Optional.empty();
        }
        int last = -1;
        for (int i = 0; i < t.perm().size(); i++) {
            if (i != p.axis()) {
                if (t.perm().get(i) < last) {
                    return Optional.empty();
                }
                last = t.perm().get(i);
            }
        }
        return Optional.of(t.perm().get(p.axis()));
    }
}
