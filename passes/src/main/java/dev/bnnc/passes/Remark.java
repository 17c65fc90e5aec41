package dev.bnnc.passes;

/** A pass's note about one node (why a layer was or was not transformed), for reports and {@code inspect}. */
public record Remark(String pass, String node, String message) {
    @Override
    public String toString() {
        return node + ": " + message + " [" + pass + "]";
    }
}
