package dev.bnnc.cli;

import com.google.gson.GsonBuilder;
import dev.bnnc.backends.kernels.WeightStorage;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.passes.Remark;
import dev.bnnc.passes.plan.Buffer;
import dev.bnnc.passes.plan.ExecutionPlan;
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
 * {@code storageSaving} the ratio of the two.
 */
public record CompileReport(String model, String target, String name, long weightBytes, long float32WeightBytes,
                            double storageSaving, long scratchBytes, List<Layer> layers, List<String> remarks) {

    /** One compute layer. */
    public record Layer(String name, String op, boolean binary, long weightBytes) {}

    public static CompileReport of(Compilation c, String target, String name) {
        ExecutionPlan plan = c.plan();
        Map<Value, Long> logicalWeights = binaryWeightSizes(plan);
        Set<Tensor> distinct = new HashSet<>();
        long weightBytes = 0;
        long float32 = 0;
        for (Value v : plan.constantsUsed()) {
            Tensor t = c.optimized().constant(v).orElseThrow();
            if (distinct.add(t)) {
                weightBytes += WeightStorage.bytes(t);
                float32 += 4 * logicalWeights.getOrDefault(v, (long) t.size());
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (Node n : plan.steps()) {
            if (isLayer(n.op())) {
                long bytes = 0;
                Set<Tensor> own = new HashSet<>();
                for (Value in : n.inputs()) {
                    if (plan.buffer(in).storage() == Buffer.Storage.CONSTANT && own.add(c.optimized().constant(in).orElseThrow())) {
                        bytes += WeightStorage.bytes(c.optimized().constant(in).orElseThrow());
                    }
                }
                layers.add(new Layer(n.name(), n.op().opName(), isBinary(n.op()), bytes));
            }
        }
        double saving = weightBytes == 0 ? 1 : Math.round(100.0 * float32 / weightBytes) / 100.0;
        return new CompileReport(c.modelName(), target, name, weightBytes, float32, saving,
                4L * plan.arenaSize() + 8L * plan.wordArenaSize(), layers, c.remarks().stream().map(Remark::toString).toList());
    }

    private static boolean isLayer(Op op) {
        return op instanceof Conv || op instanceof Dense || op instanceof MatMul || isBinary(op);
    }

    private static boolean isBinary(Op op) {
        return op instanceof BinaryLayerOp;
    }

    /** For the packed weights of binary layers, how many weights they hold (padding bits excluded). */
    private static Map<Value, Long> binaryWeightSizes(ExecutionPlan plan) {
        Map<Value, Long> sizes = new IdentityHashMap<>();
        for (Node n : plan.steps()) {
            if (n.op() instanceof BinaryLayerOp b) {
                Value w = n.input(b.weightInput());
                sizes.put(w, (long) w.type().dim(0) * b.maxDot(n.inputs().stream().map(Value::type).toList()));
            }
        }
        return sizes;
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(this) + "\n";
    }
}
