package dev.bnnc.cli;

import dev.bnnc.backends.c.CSources;
import java.io.PrintWriter;
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

    @Option(names = "--target", defaultValue = "java", description = "Target language: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Name of the generated Java class, or of the C files and the prefix of their functions.")
    String name;

    @Option(names = "--package", defaultValue = "", paramLabel = "PKG", description = "Java package of the generated class.")
    String packageName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OutputDirectory dir = new OutputDirectory(out);
        List<String> written = new ArrayList<>();
        CompileReport report;
        if (target == Target.java) {
            JavaTarget java = new JavaTarget(packageName, name);
            Compilation c = ModelCompiler.compile(model.model(), model.compilerOptions(err));
            report = CompileReport.of(c, target.name(), java.qualifiedName());
            dir.add(java.sourcePath(), java.generate(c));
            written.add(java.sourcePath());
        } else {
            if (!packageName.isEmpty()) {
                throw new UserException("--package applies to --target java only");
            }
            CTarget cTarget = new CTarget(name);
            Compilation c = ModelCompiler.compile(model.model(), model.compilerOptions(err));
            report = CompileReport.of(c, target.name(), name);
            CSources sources = cTarget.generate(c);
            dir.add(sources.headerFile(), sources.header());
            dir.add(sources.sourceFile(), sources.source());
            written.add(sources.headerFile());
            written.add(sources.sourceFile());
        }
        dir.add("bnnc-report.json", report.toJson());
        dir.commit();
        spec.commandLine().getOut().printf("wrote %s (%d layers, %d weight bytes) and %s%n",
                String.join(", ", written.stream().map(f -> out.resolve(f).toString()).toList()), report.layers().size(),
                report.weightBytes(), out.resolve("bnnc-report.json"));
        return 0;
    }
}
