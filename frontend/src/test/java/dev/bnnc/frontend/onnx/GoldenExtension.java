package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import java.util.List;

/**
 * A further check that {@link Golden} runs on every golden case, found with {@link java.util.ServiceLoader}.
 * The frontend's own test run has none; the cli module runs these golden tests again (from the
 * frontend's test jar) with an extension that compiles each case and checks the generated code,
 * so one catalog of per-op models covers the whole pipeline.
 */
public interface GoldenExtension {
    /**
     * Checks more of the pipeline on one case; {@code expected} are ONNX Runtime's outputs for
     * {@code inputs}.
     */
    void check(ModelProto model, Graph imported, List<Tensor> inputs, List<Tensor> expected);
}
