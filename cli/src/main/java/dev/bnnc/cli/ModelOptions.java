package dev.bnnc.cli;

import dev.bnnc.frontend.onnx.ImportOptions;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.text.IrPrinter;
import dev.bnnc.passes.BinarizeMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model and how to import and optimize it: shared by compile, verify and inspect. */
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

    @Option(names = "--tba", paramLabel = "INTERVALS",
            description = "Thinnable model: compile variants for these intervals (e.g. 1,2,4,8); interval L keeps the backbone "
                    + "blocks i with (i + 1) %% L == 0. The generated code picks one at run time.")
    String tba;

    @Option(names = "--tba-blocks", paramLabel = "FIRST..LAST",
            description = "The backbone's first and last node, when bnnc cannot find it alone.")
    String tbaBlocks;

    @Option(names = "--variant", paramLabel = "L=FILE",
            description = "Thinnable model trained per width: the graph of interval L (its own BatchNorm...). Repeatable; "
                    + "MODEL is interval 1.")
    List<String> variants = new ArrayList<>();

    /** Large constants are elided in dumps; the IR text of a multi-megabyte model is not for reading. */
    private static final int DUMP_ELIDE_ABOVE = 16;

    public Path model() {
        if (!Files.isRegularFile(model)) {
            throw new UserException(model + ": no such file");
        }
        return model;
    }

    /** The model compiled as the options say: plain, thinned at run time (--tba), or merged from widths (--variant). */
    public Compilation compile(PrintWriter err) {
        ModelCompiler.Options options = compilerOptions(err);
        Compilation c = ModelCompiler.compile(model(), options);
        Optional<String> blocks = Optional.ofNullable(tbaBlocks);
        if (tba != null && !variants.isEmpty()) {
            throw new UserException("--tba and --variant do not combine: thin one graph, or merge one graph per width");
        }
        if (tba != null) {
            return Thinnable.thin(c, Thinnable.intervals(tba), blocks);
        }
        if (!variants.isEmpty()) {
            Map<Integer, Compilation> widths = new TreeMap<>();
            for (String spec : variants) {
                int eq = spec.indexOf('=');
                List<Integer> interval = eq > 0 ? Thinnable.intervals(spec.substring(0, eq)) : List.of();
                if (interval.size() != 1) {
                    throw new UserException("--variant '" + spec + "': expected L=FILE");
                }
                Path file = Path.of(spec.substring(eq + 1));
                if (!Files.isRegularFile(file)) {
                    throw new UserException(file + ": no such file");
                }
                widths.put(interval.get(0), ModelCompiler.compile(file, options));
            }
            return Thinnable.merge(c, widths, blocks);
        }
        if (tbaBlocks != null) {
            throw new UserException("--tba-blocks needs --tba or --variant");
        }
        return c;
    }

    /** The ONNX model of each interval given: the model itself (interval 1) and the --variant files. */
    public Map<Integer, Path> onnxByInterval() {
        Map<Integer, Path> files = new TreeMap<>();
        files.put(1, model());
        for (String spec : variants) {
            int eq = spec.indexOf('=');
            files.put(Thinnable.intervals(spec.substring(0, eq)).get(0), Path.of(spec.substring(eq + 1)));
        }
        return files;
    }

    public ModelCompiler.Options compilerOptions(PrintWriter err) {
        BinarizeMode mode;
        try {
            mode = BinarizeMode.parse(binarize);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        return new ModelCompiler.Options(importOptions(), mode, new LinkedHashSet<>(dumpAfter), (pass, graph) -> dump(err, pass, graph));
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
