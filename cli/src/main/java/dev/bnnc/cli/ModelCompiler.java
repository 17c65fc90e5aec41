package dev.bnnc.cli;

import dev.bnnc.frontend.onnx.ImportOptions;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.ir.Graph;
import dev.bnnc.passes.BinarizeMode;
import dev.bnnc.passes.PassContext;
import dev.bnnc.passes.PassManager;
import dev.bnnc.passes.Pipeline;
import dev.bnnc.passes.deepthin.DeepThinMode;
import dev.bnnc.passes.deepthin.Factorization;
import dev.bnnc.passes.plan.BufferPlanner;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiConsumer;

/** The compiler pipeline up to the backends: ONNX import, the pass pipeline, buffer planning. */
public final class ModelCompiler {
    /** What to compile and how. */
    public record Options(ImportOptions importOptions, BinarizeMode binarize, DeepThinMode deepThin, Set<String> dumpAfter,
                          BiConsumer<String, Graph> dumpSink) {
        public static Options defaults() {
            return new Options(ImportOptions.defaults(), BinarizeMode.auto(), DeepThinMode.defaults(), Set.of(), (pass, graph) -> {});
        }

        public Options withBinarize(BinarizeMode mode) {
            return new Options(importOptions, mode, deepThin, dumpAfter, dumpSink);
        }

        public Options withDeepThin(DeepThinMode mode) {
            return new Options(importOptions, binarize, mode, dumpAfter, dumpSink);
        }
    }

    private ModelCompiler() {}

    public static Compilation compile(Path model, Options options) {
        return compile(model.getFileName().toString(), OnnxImporter.importModel(model, options.importOptions()), options);
    }

    /** Runs the passes and buffer planning on an imported graph. */
    public static Compilation compile(String modelName, Graph imported, Options options) {
        PassManager passes;
        try {
            passes = new PassManager(Pipeline.standard(options.binarize(), options.deepThin()), options.dumpAfter(),
                    options.dumpSink());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        PassContext context = new PassContext();
        Graph optimized;
        try {
            optimized = passes.run(imported, context);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        return new Compilation(modelName, imported, optimized, BufferPlanner.plan(optimized), context.remarks(),
                context.findings(Factorization.class));
    }
}
