package dev.bnnc.frontend.onnx;

/**
 * Converts one ONNX node into IR nodes: reads its inputs and attributes, emits IR nodes through the
 * context and binds the node's outputs. Outputs it does not bind are unsupported; the importer
 * fails only if one of them is used.
 */
@FunctionalInterface
public interface OpConverter {
    void convert(OnnxNode node, ImportContext ctx);
}
