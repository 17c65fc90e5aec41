package dev.bnnc.passes.plan;

/**
 * Where a value lives while the generated code runs: in the caller's input or output array, in the
 * instance's scratch arena, or in a baked-in weight array. {@code index} is the input or output
 * number, {@code offset} the element offset within that storage.
 */
public record Buffer(Storage storage, int index, int offset) {
    public enum Storage {
        INPUT,
        OUTPUT,
        ARENA,
        /** The arena of 64-bit words that holds packed signs ({@code b64} values). */
        WORDS,
        CONSTANT
    }
}
