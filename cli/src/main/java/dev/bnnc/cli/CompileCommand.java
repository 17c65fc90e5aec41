package dev.bnnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Option(names = "--target", defaultValue = "java", description = "Target language: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the generated class.")
    String name;

    @Option(names = "--package", defaultValue = "", paramLabel = "PKG", description = "Java package of the generated class.")
    String packageName;

    @Spec
    CommandSpec spec;

    enum Target { java }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        JavaTarget java = new JavaTarget(packageName, name);
        Compilation c = model.compile(err);
        CompileReport report = CompileReport.of(c, target.name(), java.qualifiedName());
        OutputDirectory dir = new OutputDirectory(out);
        dir.add(java.sourcePath(), java.generate(c));
        dir.add("bnnc-report.json", report.toJson());
        dir.commit();
        spec.commandLine().getOut().printf("wrote %s (%d layers, %d weight bytes) and %s%n",
                out.resolve(java.sourcePath()), report.layers().size(), report.weightBytes(), out.resolve("bnnc-report.json"));
        return 0;
    }
}
