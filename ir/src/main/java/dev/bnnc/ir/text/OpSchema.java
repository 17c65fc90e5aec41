package dev.bnnc.ir.text;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.OpClasses;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An op as the text form sees it, read off its record by reflection: the name ({@link Op#opName}),
 * the attributes (the record components, in declaration order) and the canonical constructor.
 * Every permitted subclass of {@link Op} is covered, so a new op needs no change here.
 */
final class OpSchema {
    private static final Map<String, OpSchema> BY_NAME = new TreeMap<>();
    private static final Map<Class<?>, OpSchema> BY_CLASS = new HashMap<>();

    static {
        for (Class<?> c : OpClasses.all()) {
            OpSchema schema = new OpSchema(c);
            BY_NAME.put(schema.name, schema);
            BY_CLASS.put(c, schema);
        }
    }

    /** One attribute: a record component of a kind the text form can spell. */
    record Attribute(String name, AttributeKind kind, Class<?> type, Method accessor) {}

    private final String name;
    private final List<Attribute> attributes;
    private final Constructor<?> constructor;

    private OpSchema(Class<?> opClass) {
        if (!opClass.isRecord()) {
            throw new IllegalStateException("op " + opClass.getName() + " is not a record; the IR text form "
                    + "reads ops' attributes from their record components");
        }
        RecordComponent[] components = opClass.getRecordComponents();
        this.name = opClass.getSimpleName();
        this.attributes = Arrays.stream(components)
                .map(c -> new Attribute(c.getName(), AttributeKind.of(c), c.getType(), c.getAccessor()))
                .toList();
        try {
            this.constructor = opClass.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + opClass.getName() + " has no canonical constructor", e);
        }
    }

    static Optional<OpSchema> named(String opName) {
        return Optional.ofNullable(BY_NAME.get(opName));
    }

    static OpSchema of(Op op) {
        return BY_CLASS.get(op.getClass());
    }

    /** All op names, sorted (for messages). */
    static String knownNames() {
        return String.join(", ", BY_NAME.keySet());
    }

    String name() {
        return name;
    }

    List<Attribute> attributes() {
        return attributes;
    }

    Optional<Attribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }

    /** The value of attribute {@code a} of {@code op}. */
    Object get(Op op, Attribute a) {
        try {
            return a.accessor().invoke(op);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + name + "." + a.name(), e);
        }
    }

    /** The op with these attribute values (in declaration order), or the op's own validation error. */
    Op create(Object[] values) {
        try {
            return (Op) constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IrException ir) {
                throw ir;
            }
            throw new IrException(cause.toString(), cause);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + name, e);
        }
    }
}
