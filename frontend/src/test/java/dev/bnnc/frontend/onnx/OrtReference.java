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

/** Runs a model in ONNX Runtime on IR tensors: the golden reference for import tests. */
final class OrtReference {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtReference() {}

    /** The model's outputs for the given inputs (in model input order, converted to the declared types). */
    static List<Tensor> run(ModelProto model, List<Tensor> inputs) {
        List<ValueInfoProto> declared = modelInputs(model);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // The reference semantics, not ONNX Runtime's graph rewrites.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = ENV.createSession(model.toByteArray(), options)) {
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
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime failed: " + e.getMessage(), e);
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
                throw new IllegalArgumentException("no test support for input type " + type);
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
                throw new IllegalArgumentException("no test support for output type " + t.getInfo().type);
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
