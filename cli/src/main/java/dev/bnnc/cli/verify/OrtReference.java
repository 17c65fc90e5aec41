package dev.bnnc.cli.verify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime on one thread: the golden reference outputs. */
public final class OrtReference implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** A session for the model in {@code modelBytes}. */
    public OrtReference(byte[] modelBytes) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Runs on float inputs, by ONNX input name; returns the outputs in the model's order. */
    public List<Tensor> run(Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                Tensor t = e.getValue();
                long[] shape = Arrays.stream(t.shape().dims()).asLongStream().toArray();
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), shape));
            }
            List<Tensor> out = new ArrayList<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor o = (OnnxTensor) e.getValue();
                    int[] dims = Arrays.stream(o.getInfo().getShape()).mapToInt(d -> (int) d).toArray();
                    out.add(Tensor.adoptFloats(Shape.of(dims), toFloats(o)));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] toFloats(OnnxTensor o) {
        FloatBuffer fb = o.getFloatBuffer();
        if (fb == null) {
            throw new IllegalStateException("ONNX Runtime output " + o.getInfo() + " is not float");
        }
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
