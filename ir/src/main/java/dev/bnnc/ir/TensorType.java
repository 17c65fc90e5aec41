package dev.bnnc.ir;

import java.util.Objects;

/** Element type and static shape of a tensor value. */
public record TensorType(DType dtype, Shape shape) {
    public TensorType {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    public static TensorType f32(int... dims) {
        return new TensorType(DType.F32, Shape.of(dims));
    }

    public static TensorType i64(int... dims) {
        return new TensorType(DType.I64, Shape.of(dims));
    }

    public TensorType withShape(Shape newShape) {
        return new TensorType(dtype, newShape);
    }

    public int rank() {
        return shape.rank();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int size() {
        return shape.size();
    }

    /** Text form: {@code f32[1,3,32,32]}. */
    @Override
    public String toString() {
        return dtype.textName() + shape;
    }
}
