package dev.bnnc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** How a thinnable (TBA) model is compiled: shared by compile, verify and inspect. */
public final class ThinnableOptions {
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

    /** The model compiled as the options say: plain, thinned at run time (--tba), or merged from widths (--variant). */
    public Compilation compile(ModelOptions model, PrintWriter err) {
        ModelCompiler.Options options = model.compilerOptions(err);
        Compilation c = ModelCompiler.compile(model.model(), options);
        Optional<String> blocks = Optional.ofNullable(tbaBlocks);
        if (tba != null && !variants.isEmpty()) {
            throw new UserException("--tba and --variant do not combine: thin one graph, or merge one graph per width");
        }
        if (tba != null) {
            return Thinnable.thin(c, Thinnable.intervals(tba), blocks);
        }
        if (!variants.isEmpty()) {
            Map<Integer, Compilation> widths = new TreeMap<>();
            for (Map.Entry<Integer, Path> e : variantFiles().entrySet()) {
                widths.put(e.getKey(), ModelCompiler.compile(e.getValue(), options));
            }
            return Thinnable.merge(c, widths, blocks);
        }
        if (tbaBlocks != null) {
            throw new UserException("--tba-blocks needs --tba or --variant");
        }
        return c;
    }

    /** The ONNX model of each interval given: the model itself (interval 1) and the --variant files. */
    public Map<Integer, Path> onnxByInterval(ModelOptions model) {
        Map<Integer, Path> files = new TreeMap<>(variantFiles());
        files.put(1, model.model());
        return files;
    }

    private Map<Integer, Path> variantFiles() {
        Map<Integer, Path> files = new TreeMap<>();
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
            files.put(interval.get(0), file);
        }
        return files;
    }
}
