package dev.bnnc.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.TestDataSet;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bnnc verify}: the golden-output test of a model. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run ONNX Runtime, the IR interpreter and the generated code on the same inputs and compare.",
            "Prints the worst absolute and relative error per output (relative to the output's largest magnitude);",
            "exit status 1 on a mismatch."})
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    ThinnableOptions thinnable;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A test case in the ONNX layout (test_data_set_N with input_K.pb). Repeatable.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--random", paramLabel = "N", defaultValue = "-1",
            description = "Check N random inputs, uniform in [-1, 1) (default: 5 unless --data is given).")
    int random;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--target", defaultValue = "java",
            description = "Generated code to check: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). C is built with the host "
                    + "compiler and, where aarch64-linux-gnu-gcc and qemu-aarch64 are on the PATH, for aarch64 under qemu.")
    Target target;

    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "Largest relative error accepted (default ${DEFAULT-VALUE}); the arg-max must agree too.")
    double tolerance;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path file = model.model();
        Compilation c = thinnable.compile(model, spec.commandLine().getErr());
        List<List<Tensor>> inputs = new ArrayList<>();
        for (Path dir : data) {
            inputs.add(TestDataSet.read(dir).inputs());
        }
        int n = random >= 0 ? random : (data.isEmpty() ? 5 : 0);
        inputs.addAll(GoldenCheck.randomInputs(c.optimized(), n, seed));
        if (inputs.isEmpty()) {
            throw new UserException("nothing to verify: give --data DIR or --random N with N > 0");
        }
        List<CToolchain> toolchains = CToolchain.checked();
        if (target == Target.c && toolchains.stream().noneMatch(CToolchain::available)) {
            throw new UserException("no C toolchain to verify with: " + toolchains.get(0).unavailable().orElseThrow());
        }
        Map<Integer, Path> references = thinnable.onnxByInterval(model);
        Map<Integer, ModelProto> models = new TreeMap<>();
        references.forEach((interval, path) -> models.put(interval, OnnxImporter.readModel(path)));
        boolean ok = true;
        for (GoldenCheck.Result r : GoldenCheck.run(c, models, inputs, target, toolchains)) {
            Path reference = references.get(r.interval());
            out.printf("verify %s%s: %d input%s, reference %s%n", file.getFileName(),
                    c.thinnable() ? " at interval " + r.interval() : "", r.cases(), r.cases() == 1 ? "" : "s",
                    reference == null ? "the interpreter (no ONNX model of this interval; `bnnc tba` writes one)"
                            : "ONNX Runtime on " + reference.getFileName());
            int width = "interpreter".length();
            for (GoldenCheck.Generated g : r.generated()) {
                width = Math.max(width, label(g).length());
            }
            for (int k = 0; k < r.outputs().size(); k++) {
                Value v = r.outputs().get(k);
                out.printf("  output %s %s%n", v.name(), v.type());
                if (reference != null) {
                    print(out, width, "interpreter", r.interpreter().get(k));
                }
                for (GoldenCheck.Generated g : r.generated()) {
                    print(out, width, label(g), g.stats().get(k));
                }
            }
            for (GoldenCheck.Generated g : r.generated()) {
                out.printf("  %s %s the interpreter bit for bit%n", label(g), g.equalsInterpreter() ? "equals" : "differs from");
            }
            r.skipped().forEach(s -> out.printf("  skipped %s%n", s));
            ok &= r.passed(tolerance);
        }
        out.printf("%s (relative error <= %s and same arg-max)%n", ok ? "PASS" : "FAIL", tolerance);
        return ok ? 0 : 1;
    }

    private static String label(GoldenCheck.Generated g) {
        return "generated " + g.label();
    }

    private static void print(PrintWriter out, int width, String who, ErrorStats s) {
        out.printf("    %-" + width + "s  max abs error %.3e, relative %.3e, arg-max %s%n", who, s.maxAbs(), s.relative(),
                s.argmaxAgrees() ? "same" : "DIFFERS");
    }
}
