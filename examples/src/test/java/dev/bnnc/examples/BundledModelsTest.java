package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled float models, end to end: generated Java (compiled with --release 8) and the
 * interpreter against ONNX Runtime on random inputs, relative error <= 1e-4 and the same arg-max.
 */
class BundledModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"models/alibaba_kws.onnx", "dfsmn/dfsmn_kws.onnx", "bifsmn/bifsmn_float_twin.onnx"})
    void generatedJavaMatchesOnnxRuntime(String model) {
        Path file = Path.of(model);
        Compilation c = ModelCompiler.compile(file, ModelCompiler.Options.defaults());
        GoldenCheck.Result r = GoldenCheck.run(c, OnnxImporter.readModel(file), GoldenCheck.randomInputs(c.optimized(), 20, 11));
        for (int k = 0; k < r.outputs().size(); k++) {
            ErrorStats interp = r.interpreter().get(k);
            ErrorStats gen = r.generated().get(0).stats().get(k);
            assertTrue(interp.within(1e-4), model + " interpreter: " + interp);
            assertTrue(gen.within(1e-4), model + " generated: " + gen);
        }
    }
}
