package dev.bnnc.frontend.onnx;

import dev.bnnc.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of the ONNX test-case layout: a folder {@code test_data_set_N} holding
 * {@code input_0.pb, input_1.pb, ...} and {@code output_0.pb, ...}, each a serialized TensorProto,
 * in the order of the model's inputs and outputs.
 */
public record TestDataSet(List<Tensor> inputs, List<Tensor> outputs) {
    public TestDataSet {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Reads {@code input_K.pb} and {@code output_K.pb} for K = 0, 1, ... until the next is missing. */
    public static TestDataSet read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ImportException(dir + ": not a folder");
        }
        return new TestDataSet(readNumbered(dir, "input_"), readNumbered(dir, "output_"));
    }

    private static List<Tensor> readNumbered(Path dir, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            Path f = dir.resolve(prefix + k + ".pb");
            if (!Files.exists(f)) {
                return out;
            }
            out.add(OnnxTensors.read(f));
        }
    }
}
