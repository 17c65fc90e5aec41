package dev.bnnc.cli.golden;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.cli.CTarget;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.GeneratedC;
import dev.bnnc.frontend.onnx.GoldenExtension;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Extends every golden case of the frontend's catalog to the generated C: built under
 * {@link CToolchain#STRICT_FLAGS} (so every case is also a warnings check) with the host compiler
 * and, where the cross tools are installed, for aarch64 (the NEON kernels) and 32-bit ARMv7 under
 * qemu, and run, it must give ONNX Runtime's outputs. The builds run side by side. Where the cross
 * tools are missing, {@code CTargetCliTest} reports the skip.
 */
public final class GeneratedCGolden implements GoldenExtension {
    private static final List<CToolchain> TOOLCHAINS =
            List.of(CToolchain.host(), CToolchain.aarch64(), CToolchain.armv7()).stream().filter(CToolchain::available).toList();

    @Override
    public void check(ModelProto model, Graph imported, List<Tensor> inputs, List<Tensor> expected) {
        if (!GoldenCases.generatedCodeApplies(imported)) {
            return;
        }
        Compilation c = ModelCompiler.compile("golden", imported, ModelCompiler.Options.defaults());
        CSources sources = new CTarget("golden").generate(c);
        List<CompletableFuture<List<Tensor>>> runs = TOOLCHAINS.stream()
                .map(tc -> CompletableFuture.supplyAsync(() -> {
                    try (GeneratedC program = GeneratedC.build(sources, c.optimized(), tc)) {
                        return program.run(List.of(inputs), null).get(0);
                    }
                }))
                .toList();
        for (int i = 0; i < runs.size(); i++) {
            List<Tensor> actual;
            try {
                actual = runs.get(i).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            GeneratedJavaGolden.assertAllClose("generated C (" + TOOLCHAINS.get(i).label() + ")", c.optimized(), expected, actual);
        }
    }
}
