package dev.bnnc.frontend.onnx;

/** Operator set domains: ONNX spells its default domain both "" and "ai.onnx". */
public final class OnnxDomains {
    /** The default ONNX domain, in its normalized spelling. */
    public static final String DEFAULT = "";

    private OnnxDomains() {}

    /** "" for the default domain in either spelling, otherwise the domain unchanged. */
    public static String normalize(String domain) {
        return domain == null || domain.equals("ai.onnx") ? DEFAULT : domain;
    }

    /** The domain as users read it in messages. */
    static String displayName(String domain) {
        return normalize(domain).isEmpty() ? "ai.onnx" : domain;
    }
}
