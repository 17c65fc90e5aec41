package dev.bnnc.passes.deepthin;

import java.util.Set;

/**
 * What the DeepThin passes do: with imported factored weights ({@code --deepthin-import}), and
 * which float dense layers to compress post-training to what ratio of their weights
 * ({@code --deepthin RATIO}, 0 for none; {@code --deepthin-layers}, empty for all).
 */
public record DeepThinMode(ImportMode importMode, double ratio, Set<String> layers) {
    public DeepThinMode {
        layers = Set.copyOf(layers);
    }

    public static DeepThinMode defaults() {
        return new DeepThinMode(ImportMode.AUTO, 0, Set.of());
    }

    public boolean compresses() {
        return ratio != 0;
    }
}
