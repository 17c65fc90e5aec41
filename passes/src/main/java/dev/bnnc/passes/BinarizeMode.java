package dev.bnnc.passes;

import java.util.Set;

/**
 * Which layers the binarize pass turns into XNOR-popcount layers ({@code --binarize}).
 *
 * @param forced layer (node) names to binarize post-training even without a Sign input
 * @param forceHidden binarize every Conv and Dense but the first and the last, post-training
 */
public record BinarizeMode(boolean enabled, Set<String> forced, boolean forceHidden) {
    public BinarizeMode {
        forced = Set.copyOf(forced);
    }

    /** Layers trained binarized (a Sign or BipolarQuant input, ±α weights) only: the default. */
    public static BinarizeMode auto() {
        return new BinarizeMode(true, Set.of(), false);
    }

    public static BinarizeMode off() {
        return new BinarizeMode(false, Set.of(), false);
    }

    /** Parses {@code auto}, {@code off}, {@code hidden} ({@code force=hidden}) or {@code force=NAME,NAME}. */
    public static BinarizeMode parse(String spec) {
        if (spec.equals("auto")) {
            return auto();
        }
        if (spec.equals("off")) {
            return off();
        }
        if (spec.startsWith("force=")) {
            String names = spec.substring("force=".length());
            if (names.equals("hidden")) {
                return new BinarizeMode(true, Set.of(), true);
            }
            if (!names.isEmpty()) {
                return new BinarizeMode(true, Set.of(names.split(",")), false);
            }
        }
        throw new IllegalArgumentException("--binarize '" + spec + "': expected auto, off, force=hidden or force=NAME[,NAME...]");
    }

    public boolean forces() {
        return forceHidden || !forced.isEmpty();
    }
}
