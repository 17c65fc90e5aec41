package dev.bnnc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.CompileReport;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.cli.verify.GoldenCheck;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Binarized models end to end: every binarized layer becomes an XNOR-popcount layer, the generated
 * Java equals the interpreter bit for bit, and both match ONNX Runtime on the original model (QONNX
 * BipolarQuant rewritten into standard ops for it).
 */
class BinarizedModelsTest {
    @ParameterizedTest
    @CsvSource({
        "models/TFC_1W1A.onnx, 4, 1e-4",
        "bifsmn/bifsmn_ts.onnx, 26, 2e-3",
        "bifsmn/bifsmn_dynamo.onnx, 26, 2e-3"
    })
    void binaryLayersMatchOnnxRuntimeAndTheInterpreter(String model, int binaryLayers, double tolerance) {
        Path file = Path.of(model);
        Compilation c = ModelCompiler.compile(file, ModelCompiler.Options.defaults());
        CompileReport report = CompileReport.of(c, "java", "M");
        assertEquals(binaryLayers, report.layers().stream().filter(CompileReport.Layer::binary).count(), report.remarks().toString());

        List<List<Tensor>> inputs = GoldenCheck.randomInputs(c.optimized(), 60, 5);
        inputs.addAll(unitRangeInputs(c.optimized().inputs(), 40));
        GoldenCheck.Result r = GoldenCheck.run(c, OnnxImporter.readModel(file), inputs);
        GoldenCheck.Generated java = r.generated().get(0);
        assertTrue(java.equalsInterpreter(), "generated Java equals the interpreter bit for bit");
        for (int k = 0; k < r.outputs().size(); k++) {
            ErrorStats s = java.stats().get(k);
            assertTrue(s.within(tolerance), model + ": " + s);
        }
    }

    /** Inputs in [0, 1), as images and mel energies are. */
    private static List<List<Tensor>> unitRangeInputs(List<Value> graphInputs, int n) {
        Random random = new Random(21);
        List<List<Tensor>> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Tensor> in = new ArrayList<>();
            for (Value v : graphInputs) {
                float[] data = new float[v.type().size()];
                for (int j = 0; j < data.length; j++) {
                    data[j] = random.nextFloat();
                }
                in.add(Tensor.adoptFloats(v.type().shape(), data));
            }
            cases.add(in);
        }
        return cases;
    }
}
