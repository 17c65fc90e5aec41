package dev.bnnc.cli.golden;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Which golden cases generated code can run. */
final class GoldenCases {
    private GoldenCases() {}

    /**
     * Generated code computes and returns float tensors only (integer shape arithmetic on constants
     * folds away at compile time); cases that compute or return integers stop at the interpreter.
     */
    static boolean generatedCodeApplies(Graph imported) {
        return !computesIntegersAtRunTime(imported) && imported.outputs().stream().allMatch(v -> v.type().dtype() == DType.F32);
    }

    /** Whether a non-float value depends on a graph input. */
    private static boolean computesIntegersAtRunTime(Graph g) {
        Set<Value> runtime = Collections.newSetFromMap(new IdentityHashMap<>());
        runtime.addAll(g.inputs());
        for (Node n : g.nodes()) {
            if (n.inputs().stream().anyMatch(runtime::contains)) {
                runtime.addAll(n.outputs());
            }
        }
        return runtime.stream().anyMatch(v -> v.type().dtype() != DType.F32);
    }
}
