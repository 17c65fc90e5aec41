package dev.bnnc.ir;

/** A graph, op or tensor that violates the IR's rules; the message names what and where. */
public class IrException extends RuntimeException {
    public IrException(String message) {
        super(message);
    }

    public IrException(String message, Throwable cause) {
        super(message, cause);
    }
}
