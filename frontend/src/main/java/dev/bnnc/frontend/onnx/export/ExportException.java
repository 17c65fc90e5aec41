package dev.bnnc.frontend.onnx.export;

import dev.bnnc.ir.IrException;

/**
 * A graph that has no standard ONNX form: a binary (XNOR-popcount) layer or a packed-sign tensor.
 * The message is one line naming the node or value.
 */
public final class ExportException extends IrException {
    public ExportException(String message) {
        super(message);
    }
}
