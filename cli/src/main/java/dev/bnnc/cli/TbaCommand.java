package dev.bnnc.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.frontend.onnx.export.OnnxExporter;
import dev.bnnc.passes.plan.Variant;
import dev.bnnc.passes.tba.BlockFinder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bnnc tba}: each thinned variant of a model as a plain ONNX file, for any runtime to check. */
@Command(name = "tba", mixinStandardHelpOptions = true,
        description = "Write each variant of a thinnable (TBA) model as a standard ONNX model, and bnnc-tba-report.json "
                + "with the backbone blocks and each variant's cost.")
public final class TbaCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--intervals", required = true, paramLabel = "INTERVALS",
            description = "The intervals (e.g. 1,2,4,8); interval L keeps the backbone blocks i with (i + 1) %% L == 0.")
    String intervals;

    @Option(names = "--tba-blocks", paramLabel = "FIRST..LAST",
            description = "The backbone's first and last node, when bnnc cannot find it alone.")
    String tbaBlocks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Spec
    CommandSpec spec;

    /** {@code bnnc-tba-report.json}. */
    record Report(String model, String binarize, List<String> blocks, List<VariantFile> variants) {}

    /** One variant: its file, its cost as bnnc compiles it, and its size as ONNX. */
    record VariantFile(String file, CompileReport.VariantCost cost, int onnxNodes, int onnxBytes) {}

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Compilation c = Thinnable.thin(model.compile(spec.commandLine().getErr()), Thinnable.intervals(intervals),
                Optional.ofNullable(tbaBlocks));
        String stem = model.model().getFileName().toString().replaceFirst("\\.onnx$", "");
        OutputDirectory dir = new OutputDirectory(out);
        List<VariantFile> files = new ArrayList<>();
        for (Variant v : c.variants()) {
            ModelProto onnx = OnnxExporter.export(v.plan().graph());
            String file = stem + "_L" + v.interval() + ".onnx";
            byte[] bytes = onnx.toByteArray();
            dir.add(file, bytes);
            files.add(new VariantFile(file, CompileReport.cost(v, c.blocks().size()), onnx.getGraph().getNodeCount(), bytes.length));
        }
        Report report = new Report(c.modelName(), model.binarize, BlockFinder.describe(c.blocks()), files);
        dir.add("bnnc-tba-report.json", CompileReport.json(report));
        dir.commit();
        stdout.printf("backbone: %d blocks%n", c.blocks().size());
        for (VariantFile f : files) {
            CompileReport.VariantCost cost = f.cost();
            stdout.printf("  interval %d: blocks %s, %d steps, %d weight bytes, %d float MACs, %d binary MACs -> %s%n",
                    cost.interval(), cost.keptBlocks(), cost.steps(), cost.weightBytes(), cost.floatMacs(), cost.binaryMacs(),
                    out.resolve(f.file()));
        }
        stdout.printf("wrote %s%n", out.resolve("bnnc-tba-report.json"));
        return 0;
    }
}
