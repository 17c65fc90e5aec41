package dev.bnnc.backends.kernels;

/** Accumulates C-like source text with block indentation. */
public final class CodeWriter {
    private final StringBuilder out = new StringBuilder();
    private int depth;

    /** Writes one line at the current indentation. */
    public CodeWriter line(String text) {
        out.append("    ".repeat(depth)).append(text).append('\n');
        return this;
    }

    /** Writes {@code header {}, and indents until {@link #close()}. */
    public CodeWriter open(String header) {
        line(header + " {");
        depth++;
        return this;
    }

    /** Opens a bare block, to scope the variables declared in it. */
    public CodeWriter block() {
        line("{");
        depth++;
        return this;
    }

    public CodeWriter close() {
        depth--;
        return line("}");
    }

    /** A counted loop {@code for (int v = from; v < to; v++)}; close it with {@link #close()}. */
    public CodeWriter loop(String var, Object from, Object to) {
        return open("for (int " + var + " = " + from + "; " + var + " < " + to + "; " + var + "++)");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
