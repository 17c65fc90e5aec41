package dev.bnnc.passes;

import java.util.ArrayList;
import java.util.List;

/**
 * What passes share during one compilation: the remarks they leave for the user, and the
 * structured findings that reports show (such as a compressed layer's error).
 */
public final class PassContext {
    private final List<Remark> remarks = new ArrayList<>();
    private final List<Object> findings = new ArrayList<>();
    private String currentPass = "";

    void enter(Pass pass) {
        currentPass = pass.name();
    }

    /** Records a note about a node, attributed to the running pass. */
    public void remark(String node, String message) {
        remarks.add(new Remark(currentPass, node, message));
    }

    /** Records a finding for the report. */
    public void record(Object finding) {
        findings.add(finding);
    }

    /** The findings of a type, in the order recorded. */
    public <T> List<T> findings(Class<T> type) {
        return findings.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<Remark> remarks() {
        return List.copyOf(remarks);
    }
}
