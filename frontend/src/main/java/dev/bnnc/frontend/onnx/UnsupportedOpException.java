package dev.bnnc.frontend.onnx;

/** A node whose (domain, op type) has no converter, or whose attributes ask for what the IR cannot do. */
public final class UnsupportedOpException extends ImportException {
    private final String opType;
    private final String domain;
    private final String nodeName;

    public UnsupportedOpException(String opType, String domain, String nodeName) {
        super("unsupported op '" + opType + "' (domain '" + OnnxDomains.displayName(domain) + "') at node '"
                + nodeName + "'");
        this.opType = opType;
        this.domain = domain;
        this.nodeName = nodeName;
    }

    public String opType() {
        return opType;
    }

    /** The op's domain, "" for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    public String nodeName() {
        return nodeName;
    }
}
