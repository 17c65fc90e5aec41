package dev.bnnc.passes.deepthin;

/** What the deepthin-import pass does with a factored weight it finds ({@code --deepthin-import}). */
public enum ImportMode {
    /** Keep it factored when the factors hold fewer parameters than the weight: the default. */
    AUTO,
    /** Always keep it factored. */
    KEEP,
    /** Leave it to constant folding, which multiplies it out into a dense weight. */
    FOLD;

    /** Parses {@code auto}, {@code keep} or {@code fold}. */
    public static ImportMode parse(String spec) {
        return switch (spec) {
            case "auto" -> AUTO;
            case "keep" -> KEEP;
            case "fold" -> FOLD;
            default -> throw new IllegalArgumentException("--deepthin-import '" + spec + "': expected auto, keep or fold");
        };
    }
}
