package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX {@link ModelProto} in Java, for per-op test models and for exporting IR.
 *
 * <pre>{@code
 * OnnxModelBuilder m = new OnnxModelBuilder("tiny").opset(13);
 * m.input("x", 1, 3, 8, 8);
 * m.initializer("w", weights, 4, 3, 3, 3);
 * m.node("Conv").inputs("x", "w").outputs("y").intsAttr("pads", 1, 1, 1, 1);
 * m.output("y");
 * ModelProto model = m.build();
 * }</pre>
 *
 * Without {@link #irVersion}, the model gets the IR version that came with its opset.
 */
public final class OnnxModelBuilder {
    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private Long irVersion;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeBuilder> nodes = new ArrayList<>();

    public OnnxModelBuilder(String graphName) {
        this.graphName = graphName;
        opsets.put("", 13L);
    }

    /** The default domain's opset version (13 unless set). */
    public OnnxModelBuilder opset(int version) {
        return opset("", version);
    }

    public OnnxModelBuilder opset(String domain, int version) {
        opsets.put(OnnxDomains.normalize(domain), (long) version);
        return this;
    }

    public OnnxModelBuilder irVersion(long version) {
        irVersion = version;
        return this;
    }

    /** A float input; a negative dimension is symbolic (a named {@code dim_param}, as a dynamic batch). */
    public OnnxModelBuilder input(String name, int... dims) {
        return input(name, OnnxElementType.FLOAT, dims);
    }

    public OnnxModelBuilder input(String name, OnnxElementType type, int... dims) {
        inputs.add(valueInfo(name, tensorType(type).setShape(shape(dims))));
        return this;
    }

    /** A graph input given as is (no shape, a non-tensor type, ...). */
    public OnnxModelBuilder input(ValueInfoProto input) {
        inputs.add(input);
        return this;
    }

    /** An output whose type is left to the consumer's inference (as ONNX Runtime does). */
    public OnnxModelBuilder output(String name) {
        outputs.add(ValueInfoProto.newBuilder().setName(name).build());
        return this;
    }

    /** An output of a given element type and unspecified shape. */
    public OnnxModelBuilder output(String name, OnnxElementType type) {
        outputs.add(valueInfo(name, tensorType(type)));
        return this;
    }

    /** An output of a given type and shape (negative dimensions are symbolic, as for inputs). */
    public OnnxModelBuilder output(String name, OnnxElementType type, int... dims) {
        outputs.add(valueInfo(name, tensorType(type).setShape(shape(dims))));
        return this;
    }

    /** A FLOAT initializer. */
    public OnnxModelBuilder initializer(String name, float[] data, int... dims) {
        return initializer(OnnxTensors.toProto(name, Tensor.ofFloats(Shape.of(dims), data)));
    }

    /** An INT64 initializer. */
    public OnnxModelBuilder initializer(String name, long[] data, int... dims) {
        return initializer(OnnxTensors.toProto(name, Tensor.ofLongs(Shape.of(dims), data)));
    }

    public OnnxModelBuilder initializer(String name, Tensor tensor) {
        return initializer(OnnxTensors.toProto(name, tensor));
    }

    public OnnxModelBuilder initializer(TensorProto tensor) {
        initializers.add(tensor);
        return this;
    }

    /** Adds a node of the default domain; set its inputs, outputs and attributes on the returned builder. */
    public NodeBuilder node(String opType) {
        NodeBuilder n = new NodeBuilder(opType);
        nodes.add(n);
        return n;
    }

    public ModelProto build() {
        GraphProto.Builder g = GraphProto.newBuilder()
                .setName(graphName)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllInitializer(initializers);
        nodes.forEach(n -> g.addNode(n.proto));
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersion != null ? irVersion : irVersionFor(opsets.getOrDefault("", 13L)))
                .setProducerName("bnnc")
                .setGraph(g);
        opsets.forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        return m.build();
    }

    /** The serialized model, e.g. for an ONNX Runtime session. */
    public byte[] toByteArray() {
        return build().toByteArray();
    }

    /** The IR version released with an opset of the default domain. */
    static long irVersionFor(long opset) {
        if (opset <= 8) {
            return 3;
        }
        if (opset <= 11) {
            return opset - 5;
        }
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    private static TypeProto.Tensor.Builder tensorType(OnnxElementType type) {
        return TypeProto.Tensor.newBuilder().setElemType(type.onnx().getNumber());
    }

    private static TensorShapeProto shape(int[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            shape.addDim(dims[i] >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i])
                    : TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i));
        }
        return shape.build();
    }

    private static ValueInfoProto valueInfo(String name, TypeProto.Tensor.Builder tensorType) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }

    /** One node under construction; it is part of the model from the moment {@link #node} returned it. */
    public static final class NodeBuilder {
        private final NodeProto.Builder proto;

        private NodeBuilder(String opType) {
            proto = NodeProto.newBuilder().setOpType(opType);
        }

        public NodeBuilder name(String name) {
            proto.setName(name);
            return this;
        }

        public NodeBuilder domain(String domain) {
            proto.setDomain(domain);
            return this;
        }

        /** Input names; an empty name skips an optional input. */
        public NodeBuilder inputs(String... names) {
            proto.addAllInput(List.of(names));
            return this;
        }

        public NodeBuilder outputs(String... names) {
            proto.addAllOutput(List.of(names));
            return this;
        }

        public NodeBuilder intAttr(String name, long value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value));
        }

        public NodeBuilder intsAttr(String name, long... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return attr(a);
        }

        public NodeBuilder floatAttr(String name, float value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value));
        }

        public NodeBuilder floatsAttr(String name, float... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
            for (float v : values) {
                a.addFloats(v);
            }
            return attr(a);
        }

        public NodeBuilder stringAttr(String name, String value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(value)));
        }

        public NodeBuilder tensorAttr(String name, TensorProto value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value));
        }

        public NodeBuilder tensorAttr(String name, Tensor value) {
            return tensorAttr(name, OnnxTensors.toProto(name, value));
        }

        private NodeBuilder attr(AttributeProto.Builder a) {
            proto.addAttribute(a);
            return this;
        }
    }
}
