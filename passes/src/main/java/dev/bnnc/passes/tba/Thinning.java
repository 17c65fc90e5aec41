package dev.bnnc.passes.tba;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.passes.DeadCodeElimination;
import dev.bnnc.passes.GraphRewriter;
import dev.bnnc.passes.PassContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * BiFSMN's thinnable binarization architecture: with N blocks and an interval L dividing N, the
 * variant of interval L keeps blocks i (0-based) with {@code (i + 1) % L == 0} and replaces the
 * others by the identity; everything outside the backbone is shared.
 */
public final class Thinning {
    private Thinning() {}

    /** Indices of the blocks interval {@code interval} keeps out of {@code blocks}. */
    public static List<Integer> kept(int blocks, int interval) {
        if (interval <= 0 || blocks % interval != 0) {
            throw new IrException("interval " + interval + " does not divide the " + blocks + " blocks of the backbone");
        }
        return IntStream.range(0, blocks).filter(i -> (i + 1) % interval == 0).boxed().toList();
    }

    /** The graph with the blocks interval {@code interval} skips replaced by the identity. */
    public static Graph variant(Graph g, List<Block> chain, int interval) {
        List<Integer> kept = kept(chain.size(), interval);
        Set<Node> skipped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < chain.size(); i++) {
            if (!kept.contains(i)) {
                skipped.addAll(chain.get(i).nodes());
            }
        }
        GraphRewriter rw = new GraphRewriter(g);
        for (Node n : g.nodes()) {
            if (!skipped.contains(n)) {
                rw.keep(n);
            }
            for (int i = 0; i < chain.size(); i++) {
                Block b = chain.get(i);
                if (!kept.contains(i) && b.nodes().get(b.nodes().size() - 1) == n) {
                    rw.substitute(b.output(), rw.map(b.input()));
                }
            }
        }
        return new DeadCodeElimination().run(rw.finish(), new PassContext());
    }
}
