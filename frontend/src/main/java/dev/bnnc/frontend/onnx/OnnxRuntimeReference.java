package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Runtime (one thread, no graph rewrites) on IR tensors: the golden reference that
 * {@code bnnc verify} and the tests compare against. ONNX Runtime is an optional dependency of the
 * frontend; whoever calls this class puts it on the class path.
 */
public final class OnnxRuntimeReference implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession session;
    private final List<ValueInfoProto> declared;

    /** A session for {@code model}; external data, if any, is resolved against the working directory. */
    public OnnxRuntimeReference(ModelProto model) {
        this.declared = modelInputs(model);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // The reference semantics, not ONNX Runtime's graph rewrites.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            // Warnings about the model (initializers listed as inputs...) are not the user's concern here.
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            this.session = ENV.createSession(model.toByteArray(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** The model's outputs for one set of inputs (in model input order). */
    public static List<Tensor> run(ModelProto model, List<Tensor> inputs) {
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(model)) {
            return ort.run(inputs);
        }
    }

    /** The outputs for the given inputs (in model input order, converted to the declared types). */
    public List<Tensor> run(List<Tensor> inputs) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (int i = 0; i < declared.size(); i++) {
                ValueInfoProto in = declared.get(i);
                feed.put(in.getName(), toOrt(inputs.get(i), in.getType().getTensorType().getElemType()));
            }
            try (OrtSession.Result result = session.run(feed)) {
                List<Tensor> out = new ArrayList<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.add(fromOrt((OnnxTensor) e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ValueInfoProto> modelInputs(ModelProto model) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.add(t.getName());
        }
        return model.getGraph().getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
    }

    private static OnnxTensor toOrt(Tensor t, int elemType) throws OrtException {
        long[] shape = longs(t.shape().dims());
        DataType type = DataType.forNumber(elemType);
        switch (type) {
            case FLOAT:
                return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toFloatArray()), shape);
            case DOUBLE: {
                double[] d = new double[t.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = t.doubleAt(i);
                }
                return OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(d), shape);
            }
            case INT64:
                return OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.toLongArray()), shape);
            case INT32:
                return OnnxTensor.createTensor(ENV, IntBuffer.wrap(t.toIntArray()), shape);
            default:
                throw new IllegalArgumentException("ONNX Runtime reference: unsupported input type " + type);
        }
    }

    private static Tensor fromOrt(OnnxTensor t) {
        Shape shape = Shape.of(ints(t.getInfo().getShape()));
        int n = shape.size();
        switch (t.getInfo().type) {
            case FLOAT: {
                float[] a = new float[n];
                t.getFloatBuffer().get(a);
                return Tensor.adoptFloats(shape, a);
            }
            case DOUBLE: {
                DoubleBuffer b = t.getDoubleBuffer();
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) b.get(i);
                }
                return Tensor.adoptFloats(shape, a);
            }
            case INT64: {
                long[] a = new long[n];
                t.getLongBuffer().get(a);
                return Tensor.adoptLongs(shape, a);
            }
            case INT32: {
                IntBuffer b = t.getIntBuffer();
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.get(i);
                }
                return Tensor.adoptLongs(shape, a);
            }
            case BOOL:
            case INT8:
            case UINT8: {
                ByteBuffer b = t.getByteBuffer();
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = t.getInfo().type == OnnxJavaType.UINT8 ? b.get(i) & 0xff : b.get(i);
                }
                return Tensor.adoptLongs(shape, a);
            }
            default:
                throw new IllegalArgumentException("ONNX Runtime reference: unsupported output type " + t.getInfo().type);
        }
    }

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static int[] ints(long[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }
}
