package dev.bnnc.cli;

import dev.bnnc.ir.Graph;
import dev.bnnc.passes.Remark;
import dev.bnnc.passes.deepthin.Factorization;
import dev.bnnc.passes.plan.ExecutionPlan;
import dev.bnnc.passes.plan.Variant;
import dev.bnnc.passes.tba.Block;
import java.util.List;

/**
 * A model taken through the frontend, the passes and buffer planning, ready for a backend, with
 * what post-training DeepThin compression did to its layers. A
 * thinnable model has its backbone blocks and one variant per interval; any other model is one
 * variant of interval 1.
 */
public record Compilation(String modelName, Graph imported, Graph optimized, ExecutionPlan plan, List<Remark> remarks,
                          List<Factorization> factorizations, List<Block> blocks, List<Variant> variants) {
    public Compilation {
        remarks = List.copyOf(remarks);
        factorizations = List.copyOf(factorizations);
        blocks = List.copyOf(blocks);
        variants = List.copyOf(variants);
    }

    public Compilation(String modelName, Graph imported, Graph optimized, ExecutionPlan plan, List<Remark> remarks,
                       List<Factorization> factorizations) {
        this(modelName, imported, optimized, plan, remarks, factorizations, List.of(), List.of(new Variant(1, plan)));
    }

    /** This compilation with a backbone and variants. */
    public Compilation thinned(List<Block> backbone, List<Variant> thinVariants) {
        return new Compilation(modelName, imported, optimized, plan, remarks, factorizations, backbone, thinVariants);
    }

    public boolean thinnable() {
        return variants.size() > 1 || variants.get(0).interval() != 1;
    }
}
