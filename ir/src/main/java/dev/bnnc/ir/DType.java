package dev.bnnc.ir;

/** Element types of IR tensors. */
public enum DType {
    /** IEEE 754 single precision: activations and float weights. */
    F32("f32"),
    /** 64-bit integers: shapes, indices, and integer-valued results. */
    I64("i64"),
    /**
     * Packed signs: each element is a 64-bit word holding 64 values of ±1 (bit 1 for -1), laid out
     * as a {@link dev.bnnc.ir.ops.PackLayout} describes. The operands of the binary (XNOR-popcount) ops.
     */
    BITS("b64");

    private final String textName;

    DType(String textName) {
        this.textName = textName;
    }

    /** The spelling used in the IR's text form. */
    public String textName() {
        return textName;
    }

    public static DType fromTextName(String name) {
        for (DType t : values()) {
            if (t.textName.equals(name)) {
                return t;
            }
        }
        throw new IrException("unknown element type '" + name + "'");
    }
}
