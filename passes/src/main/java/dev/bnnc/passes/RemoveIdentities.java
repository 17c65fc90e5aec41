package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.Identity;

/**
 * Removes Identity nodes (ONNX Identity and inference-time Dropout) by reading their input directly.
 * Guarantees: no Identity remains.
 */
public final class RemoveIdentities implements Pass {
    @Override
    public String name() {
        return "remove-identities";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Identity) {
                rw.substitute(n.output(), rw.map(n.input(0)));
            } else {
                rw.keep(n);
            }
        }
        return rw.finish();
    }
}
