package dev.bnnc.passes;

import dev.bnnc.ir.Graph;

/**
 * One graph-to-graph transformation. A pass states in its javadoc what it expects of its input and
 * what it guarantees of its output; the {@link PassManager} verifies the IR after every pass.
 */
public interface Pass {
    /** Short kebab-case name, as used by {@code --dump-after}. */
    String name();

    Graph run(Graph graph, PassContext context);
}
