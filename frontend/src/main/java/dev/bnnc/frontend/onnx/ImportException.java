package dev.bnnc.frontend.onnx;

/**
 * A model that cannot be imported: malformed file, unsupported version or op, a shape that does not
 * fit, a constant that is not constant. The message is one line for the user and names the file or
 * node at fault.
 */
public class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
