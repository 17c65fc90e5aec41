package dev.bnnc.cli;

import com.google.gson.GsonBuilder;
import dev.bnnc.backends.kernels.BitKernels;
import dev.bnnc.backends.kernels.WeightStorage;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.passes.Remark;
import dev.bnnc.passes.deepthin.Factorization;
import dev.bnnc.passes.plan.ExecutionPlan;
import dev.bnnc.passes.plan.Variant;
import dev.bnnc.passes.tba.BlockFinder;
import dev.bnnc.passes.tba.Thinning;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * {@code bnnc-report.json}: what went into the generated code. Weight bytes count each distinct
 * constant once, at the size it has in the generated code; {@code float32WeightBytes} is what the
 * same parameters take as float32 (a packed weight word holds 64 of them), and
 * {@code storageSaving} the ratio of the two. A DeepThin-factored layer's weight bytes are those
 * of its factors, its float32 bytes those of the K·N weight they stand for.
 */
public record CompileReport(String model, String target, String name, long weightBytes, long float32WeightBytes,
                            double storageSaving, long scratchBytes, List<Layer> layers, List<String> blocks,
                            List<VariantCost> variants, List<String> remarks) {

    /**
     * One compute layer, with its multiply-accumulates (float) or sign products (binary);
     * {@code deepThin} says what post-training DeepThin compression did to it, if anything.
     */
    public record Layer(String name, String op, boolean binary, long weightBytes, long macs, Factorization deepThin) {}

    /**
     * One variant of a thinnable model: the blocks it keeps, its steps, the weight bytes it reads, and
     * its multiply-accumulates (float) and sign products (binary: 64 per XNOR-popcount word).
     */
    public record VariantCost(int interval, List<Integer> keptBlocks, int steps, long weightBytes, long floatMacs,
                              long binaryMacs) {}

    public static CompileReport of(Compilation c, String target, String name) {
        ExecutionPlan plan = c.plan();
        Map<Value, Long> logicalWeights = new IdentityHashMap<>();
        Set<Tensor> distinct = new HashSet<>();
        long weightBytes = 0;
        long float32 = 0;
        Set<Tensor> stored = new HashSet<>();
        for (Variant variant : c.variants()) {
            ExecutionPlan p = variant.plan();
            logicalWeights.putAll(logicalWeightSizes(p));
            for (Value v : p.constantsUsed()) {
                Tensor t = p.graph().constant(v).orElseThrow();
                if (distinct.add(t)) {
                    float32 += 4 * logicalWeights.getOrDefault(v, (long) t.size());
                }
            }
            for (Tensor t : storedConstants(p)) {
                if (stored.add(t)) {
                    weightBytes += WeightStorage.bytes(t);
                }
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (Node n : plan.steps()) {
            if (isLayer(n.op())) {
                long bytes = 0;
                for (Tensor t : new HashSet<>(BitKernels.storedConstants(n, plan.graph()::constant))) {
                    bytes += WeightStorage.bytes(t);
                }
                Factorization f = c.factorizations().stream().filter(x -> x.layer().equals(n.name())).findFirst().orElse(null);
                layers.add(new Layer(n.name(), n.op().opName(), isBinary(n.op()), bytes, macs(n), f));
            }
        }
        double saving = weightBytes == 0 ? 1 : Math.round(100.0 * float32 / weightBytes) / 100.0;
        List<VariantCost> variants = new ArrayList<>();
        if (c.thinnable()) {
            for (Variant v : c.variants()) {
                variants.add(cost(v, c.blocks().size()));
            }
        }
        long scratch = c.variants().stream().mapToLong(v -> 4L * v.plan().arenaSize() + 8L * v.plan().wordArenaSize()).max().orElse(0);
        return new CompileReport(c.modelName(), target, name, weightBytes, float32, saving, scratch, layers,
                BlockFinder.describe(c.blocks()), variants, c.remarks().stream().map(Remark::toString).toList());
    }

    /**
     * The constants a plan's generated code holds, as the kernels store them (a convolution with
     * taps keeps its weights as patches, with border tables), those of fused tails and constant
     * outputs included.
     */
    private static List<Tensor> storedConstants(ExecutionPlan p) {
        List<Tensor> all = new ArrayList<>();
        for (Node n : p.steps()) {
            all.addAll(BitKernels.storedConstants(n, p.graph()::constant));
            for (Node e : p.tail(n)) {
                all.addAll(BitKernels.storedConstants(e, p.graph()::constant));
            }
        }
        for (int k : p.copiedOutputs()) {
            p.graph().constant(p.graph().outputs().get(k)).ifPresent(all::add);
        }
        return all;
    }

    static VariantCost cost(Variant v, int blocks) {
        ExecutionPlan p = v.plan();
        long bytes = 0;
        for (Tensor t : new HashSet<>(storedConstants(p))) {
            bytes += WeightStorage.bytes(t);
        }
        long floatMacs = 0;
        long binaryMacs = 0;
        for (Node n : p.steps()) {
            if (isBinary(n.op())) {
                binaryMacs += macs(n);
            } else {
                floatMacs += macs(n);
            }
        }
        return new VariantCost(v.interval(), Thinning.kept(blocks, v.interval()), p.steps().size(), bytes, floatMacs, binaryMacs);
    }

    /** A layer's multiply-accumulates, or sign products for a binary layer (padded taps included); 0 for other steps. */
    private static long macs(Node n) {
        if (n.op() instanceof BinaryLayerOp b) {
            List<TensorType> in = n.inputs().stream().map(Value::type).toList();
            return (long) n.input(b.parameterInput()).type().dim(0) * positions(n, b) * b.maxDot(in);
        } else if (n.op() instanceof Conv) {
            return (long) n.output().type().size() * n.input(1).type().shape().sizeOf(1, n.input(1).type().rank());
        } else if (n.op() instanceof Dense || n.op() instanceof MatMul) {
            return (long) n.output().type().size() * n.input(0).type().dim(n.input(0).type().rank() - 1);
        } else if (n.op() instanceof FactoredDense f) {
            // Applying the weight, plus rebuilding it: rank products for each weight.
            long weights = (long) f.inFeatures() * f.outFeatures();
            return (long) n.output().type().size() * f.inFeatures() + weights * n.input(1).type().dim(1);
        }
        return 0;
    }

    /** Output positions per channel of a binary layer: its logical output size over its channels. */
    private static long positions(Node n, BinaryLayerOp b) {
        Value out = n.outputs().get(0);
        if (b.output() == BinaryOutput.AFFINE) {
            return out.type().size() / n.input(b.parameterInput()).type().dim(0);
        }
        // Packed output [..., words]: the positions are the leading axes.
        return out.type().size() / out.type().dim(out.type().rank() - 1);
    }

    private static boolean isLayer(Op op) {
        return op instanceof Conv || op instanceof Dense || op instanceof FactoredDense || op instanceof MatMul || isBinary(op);
    }

    private static boolean isBinary(Op op) {
        return op instanceof BinaryLayerOp;
    }

    /**
     * How many weights the constants of compressed layers stand for: the packed weights of binary
     * layers (padding bits excluded), and the two factors of a DeepThin layer together its K·N.
     */
    private static Map<Value, Long> logicalWeightSizes(ExecutionPlan plan) {
        Map<Value, Long> sizes = new IdentityHashMap<>();
        for (Node n : plan.steps()) {
            if (n.op() instanceof BinaryLayerOp b) {
                Value w = n.input(b.weightInput());
                sizes.put(w, (long) w.type().dim(0) * b.maxDot(n.inputs().stream().map(Value::type).toList()));
            } else if (n.op() instanceof FactoredDense f) {
                sizes.put(n.input(1), (long) f.inFeatures() * f.outFeatures());
                sizes.put(n.input(2), 0L);
            }
        }
        return sizes;
    }

    public String toJson() {
        return json(this);
    }

    /** The JSON of bnnc's reports: indented, with characters such as {@code <} as they are. */
    static String json(Object report) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report) + "\n";
    }
}
