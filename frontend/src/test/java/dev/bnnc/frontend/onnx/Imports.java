package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Op;
import java.util.List;

/** Test shorthands: import a built model, find the nodes of an op, expect an import error. */
final class Imports {
    private Imports() {}

    static Graph of(OnnxModelBuilder m) {
        return OnnxImporter.importModel(m.build(), null, ImportOptions.defaults());
    }

    static Graph of(OnnxModelBuilder m, ImportOptions options) {
        return OnnxImporter.importModel(m.build(), null, options);
    }

    /** The ops of the graph's nodes, in order, leaving out Constant nodes. */
    static List<Op> ops(Graph g) {
        return g.nodes().stream().map(Node::op).filter(op -> !(op instanceof Constant)).toList();
    }

    /** The one non-constant op of a single-op graph. */
    static Op onlyOp(Graph g) {
        List<Op> ops = ops(g);
        assertEquals(1, ops.size(), () -> "expected one op, got " + ops);
        return ops.get(0);
    }

    /** The node producing the graph's first output. */
    static Node outputNode(Graph g) {
        return g.producer(g.outputs().get(0)).orElseThrow();
    }

    static String error(OnnxModelBuilder m) {
        return assertThrows(ImportException.class, () -> of(m)).getMessage();
    }
}
