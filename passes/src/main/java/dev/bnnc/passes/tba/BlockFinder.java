package dev.bnnc.passes.tba;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Constant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the thinnable backbone of a graph: a chain of N >= 2 blocks of identical structure, each
 * mapping a tensor to one of the same shape with a residual path (it reads its input twice).
 *
 * <p>The graph is cut wherever a single run-time value carries all the state (every other live
 * value is constant); a block is a run of consecutive segments between cuts, and the backbone the
 * longest run of repeating blocks. Weights do not count: blocks are the same when their ops,
 * attributes, wiring and types are.
 */
public final class BlockFinder {
    /** Segments per block tried (a D-FSMN block has a cut after its memory part: two segments). */
    private static final int MAX_PERIOD = 4;

    private BlockFinder() {}

    /** The backbone, found automatically; an IrException when there is none or it is ambiguous. */
    public static List<Block> find(Graph g) {
        List<Segment> segments = segments(g);
        List<Block> best = List.of();
        int bestCovered = 0;
        boolean ambiguous = false;
        for (int period = 1; period <= MAX_PERIOD; period++) {
            for (int start = 0; start + 2 * period <= segments.size(); start++) {
                int n = repetitions(segments, start, period);
                if (n < 2 || !residual(segments, start, period)) {
                    continue;
                }
                int covered = n * period;
                if (covered > bestCovered || covered == bestCovered && n > best.size()) {
                    best = blocks(segments, start, period, n);
                    bestCovered = covered;
                    ambiguous = false;
                } else if (covered == bestCovered && n == best.size()) {
                    ambiguous = true;
                }
            }
        }
        if (best.isEmpty()) {
            throw new IrException("no thinnable backbone: found no chain of two or more identical residual blocks "
                    + "that keep their input's shape");
        }
        if (ambiguous) {
            throw new IrException("the thinnable backbone is ambiguous: name it with --tba-blocks FIRST..LAST (node names)");
        }
        return best;
    }

    /** The backbone from the block starting at node {@code first} to the one ending at node {@code last}. */
    public static List<Block> find(Graph g, String first, String last) {
        List<Segment> segments = segments(g);
        int from = indexOf(segments, first, true);
        int to = indexOf(segments, last, false);
        if (to < from) {
            throw new IrException("--tba-blocks: node '" + last + "' comes before node '" + first + "'");
        }
        int span = to - from + 1;
        for (int period = 1; period <= span / 2; period++) {
            if (span % period == 0 && repetitions(segments, from, period) >= span / period && residual(segments, from, period)) {
                return blocks(segments, from, period, span / period);
            }
        }
        throw new IrException("--tba-blocks " + first + ".." + last + ": the nodes between them are not a chain of "
                + "identical residual blocks that keep their input's shape");
    }

    /**
     * The structure of a whole graph as blocks are compared: its run-time ops, attributes, wiring
     * and types, not its weights. Two graphs with equal structures are the same network.
     */
    public static List<Object> structure(Graph g) {
        List<Node> runtime = runtimeNodes(g);
        return signature(runtime, g.inputs());
    }

    /** The node names of a backbone, for messages and reports: "first..last" per block. */
    public static List<String> describe(List<Block> chain) {
        return chain.stream().map(b -> b.firstNode() + ".." + b.lastNode()).toList();
    }

    /** A run of run-time nodes between two cuts. */
    private record Segment(Value input, Value output, List<Node> nodes, List<Object> signature) {}

    /** The nodes that depend on a graph input, in order. */
    private static List<Node> runtimeNodes(Graph g) {
        Set<Value> runtime = Collections.newSetFromMap(new IdentityHashMap<>());
        runtime.addAll(g.inputs());
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.inputs().stream().anyMatch(runtime::contains)) {
                runtime.addAll(n.outputs());
                nodes.add(n);
            }
        }
        return nodes;
    }

    private static List<Segment> segments(Graph g) {
        List<Node> nodes = runtimeNodes(g);
        Map<Value, Integer> lastUse = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value v : nodes.get(i).inputs()) {
                lastUse.put(v, i);
            }
        }
        g.outputs().forEach(v -> lastUse.put(v, Integer.MAX_VALUE));
        List<Segment> segments = new ArrayList<>();
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(g.inputs());
        Value cut = g.inputs().size() == 1 ? g.inputs().get(0) : null;
        int start = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            live.addAll(n.outputs());
            final int at = i;
            live.removeIf(v -> lastUse.getOrDefault(v, -1) <= at);
            if (live.size() == 1) {
                Value out = live.iterator().next();
                if (cut != null) {
                    List<Node> part = nodes.subList(start, i + 1);
                    segments.add(new Segment(cut, out, List.copyOf(part), signature(part, List.of(cut))));
                }
                cut = out;
                start = i + 1;
            }
        }
        return segments;
    }

    /** What makes two segments the same block: ops, wiring (within the segment), types; not weights. */
    private static List<Object> signature(List<Node> part, List<Value> inputs) {
        Map<Value, String> local = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            local.put(inputs.get(i), "in" + i);
        }
        List<Object> sig = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
            Node n = part.get(i);
            List<String> in = new ArrayList<>();
            for (Value v : n.inputs()) {
                String ref = local.get(v);
                in.add(ref != null ? ref : "const " + v.type());
            }
            sig.add(List.of(n.op().opName(), attributesOf(n), in, n.outputs().stream().map(Value::type).toList()));
            for (int k = 0; k < n.outputs().size(); k++) {
                local.put(n.outputs().get(k), i + ":" + k);
            }
        }
        return sig;
    }

    /** The op's attributes (its record), but not its tensors' contents, which are weights. */
    private static Object attributesOf(Node n) {
        return n.op() instanceof Constant ? "const" : n.op();
    }

    private static int repetitions(List<Segment> segments, int start, int period) {
        int n = 1;
        while (start + (n + 1) * period <= segments.size() && same(segments, start, start + n * period, period)) {
            n++;
        }
        return n;
    }

    private static boolean same(List<Segment> segments, int a, int b, int period) {
        for (int i = 0; i < period; i++) {
            if (!segments.get(a + i).signature().equals(segments.get(b + i).signature())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a block keeps its input's type and reads its input twice (a residual path). */
    private static boolean residual(List<Segment> segments, int start, int period) {
        Segment first = segments.get(start);
        Segment last = segments.get(start + period - 1);
        if (!first.input().type().equals(last.output().type())) {
            return false;
        }
        long reads = segments.subList(start, start + period).stream()
                .flatMap(s -> s.nodes().stream())
                .flatMap(n -> n.inputs().stream())
                .filter(v -> v == first.input())
                .count();
        return reads >= 2;
    }

    private static List<Block> blocks(List<Segment> segments, int start, int period, int n) {
        List<Block> chain = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < period; i++) {
                nodes.addAll(segments.get(start + b * period + i).nodes());
            }
            chain.add(new Block(segments.get(start + b * period).input(), segments.get(start + (b + 1) * period - 1).output(), nodes));
        }
        return chain;
    }

    private static int indexOf(List<Segment> segments, String node, boolean first) {
        for (int i = 0; i < segments.size(); i++) {
            List<Node> nodes = segments.get(i).nodes();
            Optional<Node> match = nodes.stream().filter(n -> n.name().equals(node)).findFirst();
            if (match.isPresent()) {
                if (first && nodes.get(0) != match.get() || !first && nodes.get(nodes.size() - 1) != match.get()) {
                    throw new IrException("--tba-blocks: node '" + node + "' does not " + (first ? "start" : "end")
                            + " a block (blocks start and end where one value carries all the state)");
                }
                return i;
            }
        }
        throw new IrException("--tba-blocks: no run-time node named '" + node + "'");
    }
}
