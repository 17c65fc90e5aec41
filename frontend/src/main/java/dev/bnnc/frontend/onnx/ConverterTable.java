package dev.bnnc.frontend.onnx;

import dev.bnnc.frontend.onnx.ops.StandardOps;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The converters the importer knows, by (domain, op type). Ops from other domains (QONNX
 * {@code BipolarQuant}, vendor ops) are added by registering converters under their domain:
 * {@code ConverterTable.standard().toBuilder().add("qonnx.custom_op.general", "BipolarQuant", c).build()}.
 */
public final class ConverterTable {
    private static final ConverterTable STANDARD = StandardOps.registerAll(builder()).build();

    private final Map<Key, OpConverter> converters;

    private ConverterTable(Map<Key, OpConverter> converters) {
        this.converters = Map.copyOf(converters);
    }

    /** Converters for the standard ONNX ops of the default domain. */
    public static ConverterTable standard() {
        return STANDARD;
    }

    public static Builder builder() {
        return new Builder(new HashMap<>());
    }

    public Builder toBuilder() {
        return new Builder(new HashMap<>(converters));
    }

    /** The converter for an op, the domain in either spelling of the default one. */
    public Optional<OpConverter> find(String domain, String opType) {
        return Optional.ofNullable(converters.get(new Key(OnnxDomains.normalize(domain), opType)));
    }

    private record Key(String domain, String opType) {}

    public static final class Builder {
        private final Map<Key, OpConverter> converters;

        private Builder(Map<Key, OpConverter> converters) {
            this.converters = converters;
        }

        /** Registers (or replaces) the converter for {@code opType} in {@code domain}. */
        public Builder add(String domain, String opType, OpConverter converter) {
            converters.put(new Key(OnnxDomains.normalize(domain), opType), converter);
            return this;
        }

        /** Registers a converter for an op of the default ONNX domain. */
        public Builder add(String opType, OpConverter converter) {
            return add(OnnxDomains.DEFAULT, opType, converter);
        }

        public ConverterTable build() {
            return new ConverterTable(converters);
        }
    }
}
