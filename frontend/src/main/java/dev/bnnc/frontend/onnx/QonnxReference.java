package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.util.Arrays;

/**
 * Makes a QONNX model runnable by ONNX Runtime, for a reference: each {@code BipolarQuant(x, s)}
 * becomes {@code (1 - 2 * Cast(Less(x, 0))) * s}, standard ops with the same values (0 maps to +s).
 */
public final class QonnxReference {
    private QonnxReference() {}

    /** Whether the model has ops ONNX Runtime cannot run but this class can rewrite. */
    public static boolean needsRewrite(ModelProto model) {
        return model.getGraph().getNodeList().stream().anyMatch(QonnxReference::isBipolarQuant);
    }

    public static ModelProto rewrite(ModelProto model) {
        GraphProto.Builder g = model.getGraph().toBuilder().clearNode();
        g.addInitializer(scalar("bnnc_zero", 0f)).addInitializer(scalar("bnnc_one", 1f)).addInitializer(scalar("bnnc_two", 2f));
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!isBipolarQuant(n)) {
                g.addNode(n);
                continue;
            }
            String p = "bnnc_" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName());
            g.addNode(node("Less", p + "_neg", n.getInput(0), "bnnc_zero"));
            g.addNode(node("Cast", p + "_negf", p + "_neg").toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                            .setI(TensorProto.DataType.FLOAT.getNumber())));
            g.addNode(node("Mul", p + "_twice", p + "_negf", "bnnc_two"));
            g.addNode(node("Sub", p + "_sign", "bnnc_one", p + "_twice"));
            g.addNode(node("Mul", n.getOutput(0), p + "_sign", n.getInput(1)));
        }
        ModelProto.Builder m = model.toBuilder().setGraph(g);
        m.clearOpsetImport();
        model.getOpsetImportList().stream().filter(o -> OnnxDomains.normalize(o.getDomain()).isEmpty()).forEach(m::addOpsetImport);
        return m.build();
    }

    private static boolean isBipolarQuant(NodeProto n) {
        return n.getOpType().equals("BipolarQuant") && !OnnxDomains.normalize(n.getDomain()).isEmpty();
    }

    private static NodeProto node(String op, String output, String... inputs) {
        return NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(Arrays.asList(inputs)).addOutput(output).build();
    }

    private static TensorProto scalar(String name, float value) {
        return OnnxTensors.toProto(name, Tensor.ofFloats(Shape.scalar(), value));
    }
}
