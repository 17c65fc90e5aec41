package dev.bnnc.cli;

import dev.bnnc.frontend.onnx.ImportOptions;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.text.IrPrinter;
import dev.bnnc.passes.BinarizeMode;
import dev.bnnc.passes.deepthin.DeepThinMode;
import dev.bnnc.passes.deepthin.ImportMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model and how to import and optimize it: shared by every command. */
public final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--input-shape", paramLabel = "[NAME=]DIMS",
            description = "Static shape of an input, e.g. 1,1,32,32 (the first input) or x=1,1,32,32. Repeatable. "
                    + "Without it, symbolic dimensions are 1.")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--dump-after", paramLabel = "PASS",
            description = "Print the IR after the named pass to standard error. Repeatable.")
    List<String> dumpAfter = new ArrayList<>();

    @Option(names = "--binarize", paramLabel = "MODE", defaultValue = "auto",
            description = "auto: binarize the layers trained binary (Sign or BipolarQuant input, one weight magnitude per "
                    + "output channel); off: keep every layer float; force=hidden or force=NAME[,NAME...]: also binarize "
                    + "float layers post-training (accuracy is not preserved). Default ${DEFAULT-VALUE}.")
    String binarize;

    @Option(names = "--deepthin", paramLabel = "RATIO",
            description = "Compress float dense layers post-training with DeepThin: factors holding about RATIO of each "
                    + "layer's weights (e.g. 0.05), fit by truncated SVD (accuracy is not preserved; the report gives each "
                    + "layer's error).")
    String deepThin;

    @Option(names = "--deepthin-layers", paramLabel = "NAME[,NAME...]", split = ",",
            description = "With --deepthin, compress only these layers (node names, as inspect lists them).")
    List<String> deepThinLayers = new ArrayList<>();

    @Option(names = "--deepthin-import", paramLabel = "MODE", defaultValue = "auto",
            description = "DeepThin-factored weights in the model: keep them factored (keep), multiply them out (fold), "
                    + "or keep them when the factors are smaller than the weight (auto, the default).")
    String deepThinImport;

    /** Large constants are elided in dumps; the IR text of a multi-megabyte model is not for reading. */
    private static final int DUMP_ELIDE_ABOVE = 16;

    public Path model() {
        if (!Files.isRegularFile(model)) {
            throw new UserException(model + ": no such file");
        }
        return model;
    }

    /** The model through the frontend and the passes. */
    public Compilation compile(PrintWriter err) {
        return ModelCompiler.compile(model(), compilerOptions(err));
    }

    public ModelCompiler.Options compilerOptions(PrintWriter err) {
        BinarizeMode mode;
        try {
            mode = BinarizeMode.parse(binarize);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        return new ModelCompiler.Options(importOptions(), mode, deepThinMode(), new LinkedHashSet<>(dumpAfter),
                (pass, graph) -> dump(err, pass, graph));
    }

    private DeepThinMode deepThinMode() {
        ImportMode importMode;
        try {
            importMode = ImportMode.parse(deepThinImport);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (deepThin == null) {
            if (!deepThinLayers.isEmpty()) {
                throw new UserException("--deepthin-layers needs --deepthin RATIO");
            }
            return new DeepThinMode(importMode, 0, Set.of());
        }
        try {
            return new DeepThinMode(importMode, Double.parseDouble(deepThin), new LinkedHashSet<>(deepThinLayers));
        } catch (NumberFormatException e) {
            throw new UserException("--deepthin '" + deepThin + "': expected a ratio between 0 and 1, such as 0.05");
        }
    }

    private static void dump(PrintWriter err, String pass, Graph graph) {
        err.println("// IR after " + pass);
        err.print(IrPrinter.print(graph, DUMP_ELIDE_ABOVE));
        err.flush();
    }

    ImportOptions importOptions() {
        ImportOptions o = ImportOptions.defaults();
        for (String spec : inputShapes) {
            int eq = spec.lastIndexOf('=');
            int[] dims = parseDims(eq < 0 ? spec : spec.substring(eq + 1), spec);
            o = eq < 0 ? o.withFirstInputShape(dims) : o.withInputShape(spec.substring(0, eq), dims);
        }
        return o;
    }

    private static int[] parseDims(String text, String spec) {
        String[] parts = text.split("[,x]");
        int[] dims = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Integer.parseInt(parts[i].trim());
                if (dims[i] <= 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new UserException("--input-shape '" + spec + "': expected positive dimensions such as 1,1,32,32");
        }
        return dims;
    }
}
