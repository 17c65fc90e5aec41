package dev.bnnc.cli;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.passes.plan.BufferPlanner;
import dev.bnnc.passes.plan.Variant;
import dev.bnnc.passes.tba.Block;
import dev.bnnc.passes.tba.BlockFinder;
import dev.bnnc.passes.tba.Thinning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Thinnable (TBA) compilations: one graph thinned at run time, or per-width graphs merged. */
public final class Thinnable {
    private Thinnable() {}

    /** The backbone of {@code g}: found, or named by {@code --tba-blocks FIRST..LAST}. */
    static List<Block> backbone(Graph g, Optional<String> blocksSpec) {
        if (blocksSpec.isEmpty()) {
            return BlockFinder.find(g);
        }
        String[] ends = blocksSpec.get().split("\\.\\.", -1);
        if (ends.length != 2 || ends[0].isEmpty() || ends[1].isEmpty()) {
            throw new UserException("--tba-blocks '" + blocksSpec.get() + "': expected FIRST..LAST (node names)");
        }
        return BlockFinder.find(g, ends[0], ends[1]);
    }

    /** One graph, a variant per interval, each its backbone thinned. */
    public static Compilation thin(Compilation c, List<Integer> intervals, Optional<String> blocksSpec) {
        List<Block> chain = backbone(c.optimized(), blocksSpec);
        List<Variant> variants = new ArrayList<>();
        for (int interval : sorted(intervals)) {
            Graph g = Thinning.variant(c.optimized(), chain, interval);
            variants.add(new Variant(interval, BufferPlanner.plan(g)));
        }
        return c.thinned(chain, variants);
    }

    /**
     * The widest model and its thinner widths, each its own graph (with its own BatchNorm, say),
     * merged: each width must be the widest network with its interval's blocks skipped.
     */
    public static Compilation merge(Compilation widest, Map<Integer, Compilation> widths, Optional<String> blocksSpec) {
        List<Block> chain = backbone(widest.optimized(), blocksSpec);
        Map<Integer, Compilation> all = new TreeMap<>(widths);
        if (all.containsKey(1)) {
            throw new UserException("--variant 1=...: the model itself is interval 1");
        }
        all.put(1, widest);
        List<Variant> variants = new ArrayList<>();
        for (Map.Entry<Integer, Compilation> e : all.entrySet()) {
            int interval = e.getKey();
            Graph expected = Thinning.variant(widest.optimized(), chain, interval);
            Graph actual = e.getValue().optimized();
            if (!BlockFinder.structure(expected).equals(BlockFinder.structure(actual))) {
                throw new UserException(e.getValue().modelName() + " is not " + widest.modelName() + " with the blocks of interval "
                        + interval + " skipped (" + Thinning.kept(chain.size(), interval).size() + " of " + chain.size()
                        + " blocks kept): the networks differ");
            }
            variants.add(new Variant(interval, e.getValue().plan()));
        }
        return widest.thinned(chain, variants);
    }

    /** Parses {@code 1,2,4,8}. */
    public static List<Integer> intervals(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            try {
                int l = Integer.parseInt(part.trim());
                if (l <= 0) {
                    throw new NumberFormatException();
                }
                out.add(l);
            } catch (NumberFormatException e) {
                throw new UserException("--tba '" + spec + "': expected positive intervals such as 1,2,4,8");
            }
        }
        return out;
    }

    private static List<Integer> sorted(List<Integer> intervals) {
        List<Integer> s = new ArrayList<>(new TreeSet<>(intervals));
        if (s.isEmpty()) {
            throw new IrException("no intervals");
        }
        return s;
    }
}
