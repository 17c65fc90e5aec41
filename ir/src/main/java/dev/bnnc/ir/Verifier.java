package dev.bnnc.ir;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a graph's invariants: SSA (every value defined exactly once, before use), unique names,
 * every node's output types equal to what its op infers, and graph outputs defined.
 */
public final class Verifier {
    private Verifier() {}

    /** Throws an {@link IrException} naming the first violated rule and where. */
    public static void verify(Graph g) {
        Map<Value, String> defined = new IdentityHashMap<>();
        Set<String> valueNames = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        for (Value v : g.inputs()) {
            define(defined, valueNames, v, "graph input");
        }
        for (Node n : g.nodes()) {
            if (!nodeNames.add(n.name())) {
                throw new IrException("duplicate node name '" + n.name() + "'");
            }
            for (Value in : n.inputs()) {
                if (!defined.containsKey(in)) {
                    throw new IrException("node " + n.name() + " reads %" + in.name()
                            + " before it is defined (or it is not in the graph)");
                }
            }
            List<TensorType> expected;
            try {
                expected = n.op().inferTypes(n.inputs().stream().map(Value::type).toList());
            } catch (IrException e) {
                throw new IrException("node " + n.name() + " (" + n.op().opName() + "): " + e.getMessage(), e);
            }
            if (expected.size() != n.outputs().size()) {
                throw new IrException("node " + n.name() + " has " + n.outputs().size() + " outputs, its op defines "
                        + expected.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                Value out = n.outputs().get(i);
                if (!out.type().equals(expected.get(i))) {
                    throw new IrException("node " + n.name() + " output %" + out.name() + " is typed " + out.type()
                            + " but " + n.op().opName() + " gives " + expected.get(i));
                }
                define(defined, valueNames, out, "node " + n.name());
            }
        }
        if (g.outputs().isEmpty()) {
            throw new IrException("graph " + g.name() + " has no outputs");
        }
        for (Value out : g.outputs()) {
            if (!defined.containsKey(out)) {
                throw new IrException("graph output %" + out.name() + " is not defined");
            }
        }
    }

    private static void define(Map<Value, String> defined, Set<String> names, Value v, String where) {
        String prev = defined.put(v, where);
        if (prev != null) {
            throw new IrException("value %" + v.name() + " is defined twice: by " + prev + " and by " + where);
        }
        if (!names.add(v.name())) {
            throw new IrException("two values are named %" + v.name());
        }
    }
}
