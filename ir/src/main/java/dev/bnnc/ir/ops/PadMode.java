package dev.bnnc.ir.ops;

/** How {@link Pad} fills the border (ONNX Pad modes). */
public enum PadMode {
    CONSTANT,
    REFLECT,
    EDGE
}
