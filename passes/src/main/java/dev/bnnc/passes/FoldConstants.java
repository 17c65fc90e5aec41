package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.Constant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates, through the reference interpreter, every node whose inputs are all constants, and
 * replaces it by constants: weight subgraphs such as {@code Sign(W - mean(W)) * mean|W - mean(W)|}
 * become plain weights. Guarantees: no non-Constant node has only constant inputs. The folded
 * nodes are left dead (run {@link DeadCodeElimination} after).
 */
public final class FoldConstants implements Pass {
    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            List<Tensor> inputs = n.op() instanceof Constant ? null : constantInputs(rw, n);
            if (inputs == null) {
                rw.keep(n);
                continue;
            }
            List<Tensor> results = Interpreter.evaluate(n.op(), inputs);
            if (results.size() == 1) {
                rw.replace(n, new Constant(results.get(0)), List.of()); // keeps the node's and value's names
            } else {
                for (int i = 0; i < results.size(); i++) {
                    Value out = n.outputs().get(i);
                    rw.substitute(out, rw.constant(out.name(), results.get(i)));
                }
            }
        }
        return rw.finish();
    }

    /** The node's input tensors if all are constant, else null. */
    private static List<Tensor> constantInputs(GraphRewriter rw, Node n) {
        List<Tensor> tensors = new ArrayList<>(n.inputs().size());
        for (Value v : n.inputs()) {
            Optional<Tensor> t = rw.constantOf(v);
            if (t.isEmpty()) {
                return null;
            }
            tensors.add(t.get());
        }
        return tensors;
    }
}
