package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;

/**
 * Re-derives every value's type from the graph inputs through each op's type inference.
 * Expects: any well-formed graph. Guarantees: every type is what the ops infer (values whose type
 * changes are replaced), so a changed input shape propagates.
 */
public final class InferShapes implements Pass {
    @Override
    public String name() {
        return "infer-shapes";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            rw.replace(n, n.op(), rw.map(n.inputs()));
        }
        return rw.finish();
    }
}
