package dev.bnnc.cli;

import dev.bnnc.ir.Graph;
import dev.bnnc.passes.Remark;
import dev.bnnc.passes.plan.ExecutionPlan;
import java.util.List;

/** A model taken through the frontend, the passes and buffer planning, ready for a backend. */
public record Compilation(String modelName, Graph imported, Graph optimized, ExecutionPlan plan, List<Remark> remarks) {
    public Compilation {
        remarks = List.copyOf(remarks);
    }
}
