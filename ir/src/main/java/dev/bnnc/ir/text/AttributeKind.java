package dev.bnnc.ir.text;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Tensor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;

/** The attribute types the text form can spell, one per Java type of an op record's components. */
enum AttributeKind {
    /** {@code int}: {@code 3}. */
    INT,
    /** {@code float}: {@code 0.1}, {@code -Infinity}, {@code NaN}, exactly as {@link Float#toString}. */
    FLOAT,
    /** {@code boolean}: {@code true}. */
    BOOLEAN,
    /** {@code List<Integer>}: {@code [1,1]}. */
    INT_LIST,
    /** {@link DType}: {@code f32}, spelled as in types. */
    ELEMENT_TYPE,
    /** Any other enum: the constant's name, {@code RELU}. */
    ENUM,
    /** {@link Tensor}: {@code dense<f32[2]> [1.0, 2.0]}. */
    TENSOR;

    /** The kind of a record component, or an exception naming the op and component it cannot spell. */
    static AttributeKind of(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == int.class) {
            return INT;
        } else if (type == float.class) {
            return FLOAT;
        } else if (type == boolean.class) {
            return BOOLEAN;
        } else if (type == DType.class) {
            return ELEMENT_TYPE;
        } else if (type.isEnum()) {
            return ENUM;
        } else if (type == Tensor.class) {
            return TENSOR;
        } else if (isListOfIntegers(component.getGenericType())) {
            return INT_LIST;
        }
        throw new IllegalStateException("the IR text form cannot spell attribute "
                + component.getDeclaringRecord().getSimpleName() + "." + component.getName() + " of type "
                + component.getGenericType().getTypeName());
    }

    private static boolean isListOfIntegers(Type type) {
        return type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == Integer.class;
    }
}
