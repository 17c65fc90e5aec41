package dev.bnnc.ir.ops;

import java.util.ArrayList;
import java.util.List;

/** The concrete op records, found through the sealed hierarchy (so a new op needs no registration). */
public final class OpClasses {
    private static final List<Class<?>> ALL = List.copyOf(collect(Op.class, new ArrayList<>()));

    private OpClasses() {}

    /** Every record that implements {@link Op}, directly or through a sealed sub-interface. */
    public static List<Class<?>> all() {
        return ALL;
    }

    private static List<Class<?>> collect(Class<?> type, List<Class<?>> out) {
        for (Class<?> c : type.getPermittedSubclasses()) {
            if (c.isInterface()) {
                collect(c, out);
            } else {
                out.add(c);
            }
        }
        return out;
    }
}
