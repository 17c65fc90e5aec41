package dev.bnnc.passes.plan;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Reshape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a graph to an {@link ExecutionPlan}: element-wise nodes run in the epilogue of the layer
 * before them where they can ({@link EpilogueFusion}), Reshape outputs alias their input (row-major
 * data does not move), graph inputs are read in place from the caller's arrays, values that are graph outputs
 * are written straight into the caller's output arrays, and everything else shares one scratch
 * arena (packed signs a second one, of 64-bit words), placed first-fit by size with offsets reused
 * once a value is dead.
 */
public final class BufferPlanner {
    /** Offsets are multiples of this many floats (64 bytes), so C kernels may use aligned vector loads. */
    static final int ALIGNMENT = 16;

    private BufferPlanner() {}

    public static ExecutionPlan plan(Graph graph) {
        Map<Node, List<Node>> tails = EpilogueFusion.tails(graph);
        Set<Node> fused = Collections.newSetFromMap(new IdentityHashMap<>());
        tails.values().forEach(fused::addAll);
        List<Node> steps = new ArrayList<>();
        Map<Value, Value> root = new IdentityHashMap<>();
        Map<Value, Buffer> buffers = new IdentityHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            Value in = graph.inputs().get(i);
            requireFloat(in, "graph input");
            root.put(in, in);
            buffers.put(in, new Buffer(Buffer.Storage.INPUT, i, 0));
        }
        for (Value out : graph.outputs()) {
            requireFloat(out, "graph output");
        }
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Constant) {
                buffers.put(n.output(), new Buffer(Buffer.Storage.CONSTANT, 0, 0));
                root.put(n.output(), n.output());
            } else if (n.op() instanceof Reshape && !isConstant(buffers.get(root.get(n.input(0))))) {
                root.put(n.output(), root.get(n.input(0)));
            } else if (!fused.contains(n)) {
                for (Value out : ExecutionPlan.stepOutputs(n, tails)) {
                    if (out.type().dtype() != DType.BITS) {
                        requireFloat(out, "node " + n.name() + " output");
                    }
                    root.put(out, out);
                }
                steps.add(n);
            }
        }

        // Alias groups by root; a group holding a graph output is stored in that output array.
        Map<Value, Buffer> rootBuffer = new IdentityHashMap<>();
        for (Value in : graph.inputs()) {
            rootBuffer.put(in, buffers.get(in));
        }
        List<Integer> copied = new ArrayList<>();
        for (int k = 0; k < graph.outputs().size(); k++) {
            Value r = root.get(graph.outputs().get(k));
            Buffer existing = rootBuffer.get(r);
            if (existing == null && buffers.get(r) == null) {
                rootBuffer.put(r, new Buffer(Buffer.Storage.OUTPUT, k, 0));
            } else if (existing == null || existing.storage() != Buffer.Storage.OUTPUT || existing.index() != k) {
                copied.add(k);
            }
        }

        // Lifetimes of arena groups: from the defining step to the last step reading any member.
        Map<Value, int[]> life = new IdentityHashMap<>();
        for (int s = 0; s < steps.size(); s++) {
            Node n = steps.get(s);
            for (Value out : ExecutionPlan.stepOutputs(n, tails)) {
                if (!rootBuffer.containsKey(out)) {
                    life.put(out, new int[] {s, s});
                }
            }
            for (Value in : ExecutionPlan.stepInputs(n, tails)) {
                int[] l = life.get(root.get(in));
                if (l != null) {
                    l[1] = Math.max(l[1], s);
                }
            }
        }
        Map<Value, int[]> floatLife = new IdentityHashMap<>();
        Map<Value, int[]> wordLife = new IdentityHashMap<>();
        life.forEach((v, l) -> (v.type().dtype() == DType.BITS ? wordLife : floatLife).put(v, l));
        int arena = placeInArena(floatLife, rootBuffer, Buffer.Storage.ARENA);
        int wordArena = placeInArena(wordLife, rootBuffer, Buffer.Storage.WORDS);

        for (Map.Entry<Value, Value> e : root.entrySet()) {
            Buffer b = rootBuffer.get(e.getValue());
            if (b == null) {
                b = buffers.get(e.getValue());
            }
            buffers.put(e.getKey(), b);
        }
        return new ExecutionPlan(graph, steps, tails, buffers, arena, wordArena, copied);
    }

    /** First-fit by decreasing size; returns the arena size. */
    private static int placeInArena(Map<Value, int[]> life, Map<Value, Buffer> rootBuffer, Buffer.Storage storage) {
        List<Value> order = new ArrayList<>(life.keySet());
        order.sort(Comparator.comparingInt((Value v) -> -v.type().size()).thenComparingInt(v -> life.get(v)[0]));
        record Placed(int offset, int end, int[] life) {}
        List<Placed> placed = new ArrayList<>();
        int arena = 0;
        for (Value v : order) {
            int[] l = life.get(v);
            int size = align(v.type().size());
            List<Placed> overlapping = placed.stream()
                    .filter(p -> p.life[0] <= l[1] && l[0] <= p.life[1])
                    .sorted(Comparator.comparingInt(Placed::offset))
                    .toList();
            int offset = 0;
            for (Placed p : overlapping) {
                if (offset + size <= p.offset) {
                    break;
                }
                offset = Math.max(offset, p.end);
            }
            placed.add(new Placed(offset, offset + size, l));
            rootBuffer.put(v, new Buffer(storage, 0, offset));
            arena = Math.max(arena, offset + size);
        }
        return arena;
    }

    private static boolean isConstant(Buffer b) {
        return b != null && b.storage() == Buffer.Storage.CONSTANT;
    }

    private static int align(int n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void requireFloat(Value v, String what) {
        if (v.type().dtype() != DType.F32) {
            throw new IrException(what + " %" + v.name() + " is " + v.type()
                    + ": generated code computes and returns f32 tensors only");
        }
    }
}
