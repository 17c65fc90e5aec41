package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.Optional;

/**
 * An ONNX node as converters read it: its name (the ONNX name, or op type and index when the model
 * leaves it empty), its input and output names (an empty name is an omitted optional one) and typed
 * access to its attributes.
 */
public final class OnnxNode {
    private final NodeProto proto;
    private final String name;

    OnnxNode(NodeProto proto, int index) {
        this.proto = proto;
        this.name = proto.getName().isEmpty() ? proto.getOpType() + "_" + index : proto.getName();
    }

    public String name() {
        return name;
    }

    public String opType() {
        return proto.getOpType();
    }

    /** The normalized domain: "" for the default ONNX domain. */
    public String domain() {
        return OnnxDomains.normalize(proto.getDomain());
    }

    /** Number of input slots, including omitted optional ones. */
    public int inputCount() {
        return proto.getInputCount();
    }

    /** Whether input {@code i} is given (present and not an empty name). */
    public boolean hasInput(int i) {
        return i < proto.getInputCount() && !proto.getInput(i).isEmpty();
    }

    public String inputName(int i) {
        return proto.getInput(i);
    }

    public int outputCount() {
        return proto.getOutputCount();
    }

    public boolean hasOutput(int i) {
        return i < proto.getOutputCount() && !proto.getOutput(i).isEmpty();
    }

    public String outputName(int i) {
        return proto.getOutput(i);
    }

    public boolean hasAttribute(String attr) {
        return find(attr).isPresent();
    }

    public long intAttr(String attr, long defaultValue) {
        return find(attr).map(a -> checked(a, AttributeType.INT).getI()).orElse(defaultValue);
    }

    /** An int attribute that must be present. */
    public long requiredIntAttr(String attr) {
        return checked(require(attr), AttributeType.INT).getI();
    }

    public float floatAttr(String attr, float defaultValue) {
        return find(attr).map(a -> checked(a, AttributeType.FLOAT).getF()).orElse(defaultValue);
    }

    public String stringAttr(String attr, String defaultValue) {
        return find(attr).map(a -> checked(a, AttributeType.STRING).getS().toStringUtf8()).orElse(defaultValue);
    }

    public Optional<List<Long>> intsAttr(String attr) {
        return find(attr).map(a -> checked(a, AttributeType.INTS).getIntsList());
    }

    public Optional<List<Float>> floatsAttr(String attr) {
        return find(attr).map(a -> checked(a, AttributeType.FLOATS).getFloatsList());
    }

    public Optional<TensorProto> tensorAttr(String attr) {
        return find(attr).map(a -> checked(a, AttributeType.TENSOR).getT());
    }

    /** The names of the attributes present, in model order. */
    public List<String> attributeNames() {
        return proto.getAttributeList().stream().map(AttributeProto::getName).toList();
    }

    /** An {@link ImportException} whose message names this node: {@code node 'n' (Op): message}. */
    public ImportException error(String message) {
        return new ImportException("node '" + name + "' (" + opType() + "): " + message);
    }

    /** An error for attribute values or input kinds the importer does not support, naming the node. */
    public ImportException unsupported(String what) {
        return error(what + " is not supported");
    }

    private Optional<AttributeProto> find(String attr) {
        for (AttributeProto a : proto.getAttributeList()) {
            if (a.getName().equals(attr)) {
                if (!a.getRefAttrName().isEmpty()) {
                    throw error("attribute '" + attr + "' refers to a function attribute, which is not supported");
                }
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private AttributeProto require(String attr) {
        return find(attr).orElseThrow(() -> error("attribute '" + attr + "' is required"));
    }

    /** The attribute, if its declared type is the one expected (models older than IR 3 may leave it unset). */
    private AttributeProto checked(AttributeProto a, AttributeType expected) {
        if (a.getType() != expected && a.getType() != AttributeType.UNDEFINED) {
            throw error("attribute '" + a.getName() + "' must be " + expected + ", got " + a.getType());
        }
        return a;
    }

    @Override
    public String toString() {
        return name + " (" + opType() + ")";
    }
}
