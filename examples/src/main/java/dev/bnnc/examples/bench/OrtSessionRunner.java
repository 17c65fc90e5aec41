package dev.bnnc.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime as an app would use it for the same job: one thread, all graph optimizations, the
 * input tensor created once, the output copied into a float array on every run.
 */
final class OrtSessionRunner implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final String inputName;

    OrtSessionRunner(Path model, float[] data, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model.toString(), options);
        }
        inputName = session.getInputNames().iterator().next();
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    void run(float[] output) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, input))) {
            ((OnnxTensor) r.get(0)).getFloatBuffer().get(output);
        }
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}
