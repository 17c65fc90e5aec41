package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Verifier;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs passes in order, verifying the IR after each one, and hands the graph after the passes named
 * in {@code dumpAfter} to a sink (the CLI prints it: {@code --dump-after NAME}).
 */
public final class PassManager {
    private final List<Pass> passes;
    private final Set<String> dumpAfter;
    private final BiConsumer<String, Graph> dumpSink;

    public PassManager(List<Pass> passes, Set<String> dumpAfter, BiConsumer<String, Graph> dumpSink) {
        this.passes = List.copyOf(passes);
        this.dumpAfter = Set.copyOf(dumpAfter);
        this.dumpSink = dumpSink;
        for (String name : dumpAfter) {
            if (passes.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("--dump-after: no pass named '" + name + "' (passes: "
                        + String.join(", ", passNames()) + ")");
            }
        }
    }

    public PassManager(List<Pass> passes) {
        this(passes, Set.of(), (n, g) -> {});
    }

    public List<String> passNames() {
        return passes.stream().map(Pass::name).toList();
    }

    public Graph run(Graph graph, PassContext context) {
        Graph g = graph;
        for (Pass pass : passes) {
            context.enter(pass);
            g = pass.run(g, context);
            try {
                Verifier.verify(g);
            } catch (IrException e) {
                throw new IrException("IR invalid after pass " + pass.name() + ": " + e.getMessage(), e);
            }
            if (dumpAfter.contains(pass.name())) {
                dumpSink.accept(pass.name(), g);
            }
        }
        return g;
    }
}
