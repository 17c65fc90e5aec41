package dev.bnnc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Structural equality of graphs: same names, types, ops (record equality) and wiring. */
final class GraphAssertions {
    private GraphAssertions() {}

    static void assertSameGraph(Graph expected, Graph actual) {
        assertEquals(expected.name(), actual.name(), "graph name");
        // Wiring is compared through where each value is defined: input i, or output j of node k.
        Map<Value, String> expectedDefs = definitions(expected);
        Map<Value, String> actualDefs = definitions(actual);
        assertEquals(describe(expected.inputs(), expectedDefs), describe(actual.inputs(), actualDefs), "inputs");
        assertEquals(expected.nodes().size(), actual.nodes().size(), "node count");
        for (int k = 0; k < expected.nodes().size(); k++) {
            Node e = expected.nodes().get(k);
            Node a = actual.nodes().get(k);
            String where = "node " + k + " (" + e.name() + ")";
            assertEquals(e.name(), a.name(), where + " name");
            assertEquals(e.op(), a.op(), where + " op");
            assertEquals(describe(e.inputs(), expectedDefs), describe(a.inputs(), actualDefs), where + " inputs");
            assertEquals(describe(e.outputs(), expectedDefs), describe(a.outputs(), actualDefs), where + " outputs");
        }
        assertEquals(describe(expected.outputs(), expectedDefs), describe(actual.outputs(), actualDefs), "outputs");
    }

    private static Map<Value, String> definitions(Graph g) {
        Map<Value, String> defs = new IdentityHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            defs.put(g.inputs().get(i), "input " + i);
        }
        for (int k = 0; k < g.nodes().size(); k++) {
            List<Value> outs = g.nodes().get(k).outputs();
            for (int j = 0; j < outs.size(); j++) {
                defs.put(outs.get(j), "node " + k + " output " + j);
            }
        }
        return defs;
    }

    private static List<String> describe(List<Value> values, Map<Value, String> defs) {
        return values.stream().map(v -> "%" + v.name() + ": " + v.type() + " from " + defs.get(v)).toList();
    }
}
