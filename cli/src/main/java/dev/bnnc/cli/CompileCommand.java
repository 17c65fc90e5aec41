package dev.bnnc.cli;

import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CTestDriver;
import dev.bnnc.frontend.onnx.export.OnnxExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bnnc compile}: writes the generated source and {@code bnnc-report.json}. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile an ONNX model to source code (and bnnc-report.json) in an output folder.")
public final class CompileCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    ThinnableOptions thinnable;

    @Option(names = "--target", defaultValue = "java", description = "Target language: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Name of the generated Java class, or of the C files and the prefix of their functions.")
    String name;

    @Option(names = "--package", defaultValue = "", paramLabel = "PKG", description = "Java package of the generated class.")
    String packageName;

    @Option(names = "--test-main", description = "With --target c, also write NAME_main.c: a test program that reads "
            + "inputs from a file of raw floats, runs the model (REPEAT times) and writes the outputs to a file.")
    boolean testMain;

    @Option(names = "--emit-onnx", paramLabel = "FILE",
            description = "Also write the model after the passes as standard ONNX (binary layers in a float form that computes "
                    + "exactly the same), so that any ONNX runtime can check it.")
    Path emitOnnx;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Flags are checked before the (possibly long) compilation.
        if (target == Target.java && testMain) {
            throw new UserException("--test-main applies to --target c only");
        }
        if (target == Target.c && !packageName.isEmpty()) {
            throw new UserException("--package applies to --target java only");
        }
        JavaTarget java = target == Target.java ? new JavaTarget(packageName, name) : null;
        CTarget cTarget = target == Target.c ? new CTarget(name) : null;
        Compilation c = thinnable.compile(model, spec.commandLine().getErr());
        OutputDirectory dir = new OutputDirectory(out);
        List<String> written = java != null ? addJava(java, c, dir) : addC(cTarget, c, dir);
        CompileReport report = CompileReport.of(c, target.name(), java != null ? java.qualifiedName() : name);
        dir.add("bnnc-report.json", report.toJson());
        OutputDirectory onnx = emitOnnx == null ? null : OutputDirectory.singleFile(emitOnnx, OnnxExporter.export(c.optimized()).toByteArray());
        dir.commit();
        if (onnx != null) {
            onnx.commit();
            spec.commandLine().getOut().printf("wrote %s%n", emitOnnx);
        }
        spec.commandLine().getOut().printf("wrote %s (%d layers, %d weight bytes) and %s%n",
                String.join(", ", written.stream().map(f -> out.resolve(f).toString()).toList()), report.layers().size(),
                report.weightBytes(), out.resolve("bnnc-report.json"));
        return 0;
    }

    private static List<String> addJava(JavaTarget java, Compilation c, OutputDirectory dir) {
        dir.add(java.sourcePath(), java.generate(c));
        return List.of(java.sourcePath());
    }

    private List<String> addC(CTarget cTarget, Compilation c, OutputDirectory dir) {
        CSources sources = cTarget.generate(c);
        List<String> files = new ArrayList<>(List.of(sources.headerFile(), sources.sourceFile()));
        dir.add(sources.headerFile(), sources.header());
        dir.add(sources.sourceFile(), sources.source());
        if (testMain) {
            String main = name + "_main.c";
            dir.add(main, CTestDriver.source(sources, c.optimized().inputs().size(), c.optimized().outputs().size()));
            files.add(main);
        }
        return files;
    }
}
