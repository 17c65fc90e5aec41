package dev.bnnc.frontend.onnx;

import dev.bnnc.ir.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to import a model: static shapes for its inputs. Without an override an input keeps the
 * shape the model declares, with every symbolic or unknown dimension (usually the batch) set to 1.
 * Immutable; the {@code with...} methods return a changed copy.
 */
public final class ImportOptions {
    private static final ImportOptions DEFAULTS = new ImportOptions(Map.of(), null);

    private final Map<String, Shape> inputShapes;
    private final Shape firstInputShape;

    private ImportOptions(Map<String, Shape> inputShapes, Shape firstInputShape) {
        this.inputShapes = inputShapes;
        this.firstInputShape = firstInputShape;
    }

    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    /** Fixes the shape of the model input named {@code inputName}. */
    public ImportOptions withInputShape(String inputName, int... dims) {
        Map<String, Shape> m = new LinkedHashMap<>(inputShapes);
        m.put(inputName, Shape.of(dims));
        return new ImportOptions(Map.copyOf(m), firstInputShape);
    }

    /**
     * Fixes the shape of the model's first input (its only one, for most models), whatever its
     * name; an override by name for that input takes precedence.
     */
    public ImportOptions withFirstInputShape(int... dims) {
        return new ImportOptions(inputShapes, Shape.of(dims));
    }

    /** Overrides by input name. */
    public Map<String, Shape> inputShapes() {
        return inputShapes;
    }

    public Optional<Shape> firstInputShape() {
        return Optional.ofNullable(firstInputShape);
    }

    /** The override for the model input {@code name} at position {@code index}, if any. */
    Optional<Shape> shapeFor(String name, int index) {
        Shape byName = inputShapes.get(name);
        if (byName != null) {
            return Optional.of(byName);
        }
        return index == 0 ? firstInputShape() : Optional.empty();
    }
}
