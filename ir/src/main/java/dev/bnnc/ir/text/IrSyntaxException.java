package dev.bnnc.ir.text;

import dev.bnnc.ir.IrException;
import org.antlr.v4.runtime.Token;

/**
 * Text that is not a valid graph: bad syntax, or a graph the IR rejects (unknown op, wrong type
 * annotation, undefined value, ...). The message starts with {@code line:column: } (both 1-based).
 */
public final class IrSyntaxException extends IrException {
    private final int line;
    private final int column;

    IrSyntaxException(int line, int column, String message) {
        super(line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    /** An error at the start of {@code token}. */
    static IrSyntaxException at(Token token, String message) {
        return new IrSyntaxException(token.getLine(), token.getCharPositionInLine() + 1, message);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
