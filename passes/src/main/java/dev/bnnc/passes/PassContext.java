package dev.bnnc.passes;

import java.util.ArrayList;
import java.util.List;

/** What passes share during one compilation: the remarks they leave for the user. */
public final class PassContext {
    private final List<Remark> remarks = new ArrayList<>();
    private String currentPass = "";

    void enter(Pass pass) {
        currentPass = pass.name();
    }

    /** Records a note about a node, attributed to the running pass. */
    public void remark(String node, String message) {
        remarks.add(new Remark(currentPass, node, message));
    }

    public List<Remark> remarks() {
        return List.copyOf(remarks);
    }
}
