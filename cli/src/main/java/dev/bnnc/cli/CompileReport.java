package dev.bnnc.cli;

import com.google.gson.GsonBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.passes.Remark;
import dev.bnnc.passes.plan.Buffer;
import dev.bnnc.passes.plan.ExecutionPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bnnc-report.json}: what went into the generated code. Weight bytes count each distinct
 * constant once, at the size it has in the generated code; {@code float32WeightBytes} is what the
 * same weights take as float32.
 */
public record CompileReport(String model, String target, String name, long weightBytes, long float32WeightBytes,
                            long scratchBytes, List<Layer> layers, List<String> remarks) {

    /** One compute layer. */
    public record Layer(String name, String op, boolean binary, long weightBytes) {}

    public static CompileReport of(Compilation c, String target, String name) {
        ExecutionPlan plan = c.plan();
        Set<Tensor> distinct = new HashSet<>();
        long weightBytes = 0;
        long float32 = 0;
        for (Value v : plan.constantsUsed()) {
            Tensor t = c.optimized().constant(v).orElseThrow();
            if (distinct.add(t)) {
                weightBytes += t.byteSize();
                float32 += 4L * t.size();
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (Node n : plan.steps()) {
            if (isLayer(n.op())) {
                long bytes = 0;
                for (Value in : n.inputs()) {
                    if (plan.buffer(in).storage() == Buffer.Storage.CONSTANT) {
                        bytes += c.optimized().constant(in).orElseThrow().byteSize();
                    }
                }
                layers.add(new Layer(n.name(), n.op().opName(), false, bytes));
            }
        }
        return new CompileReport(c.modelName(), target, name, weightBytes, float32,
                4L * plan.arenaSize(), layers, c.remarks().stream().map(Remark::toString).toList());
    }

    private static boolean isLayer(Op op) {
        return op instanceof Conv || op instanceof Dense || op instanceof MatMul;
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(this) + "\n";
    }
}
