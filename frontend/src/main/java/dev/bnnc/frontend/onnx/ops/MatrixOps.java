package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.MatMul;

/** Gemm and MatMul, kept as they are; canonicalization turns those with constant weights into Dense. */
final class MatrixOps {
    private MatrixOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("MatMul", (n, ctx) -> ctx.emit(n, new MatMul(), ctx.input(n, 0), ctx.input(n, 1)));
        b.add("Gemm", MatrixOps::gemm);
    }

    private static void gemm(OnnxNode n, ImportContext ctx) {
        // Inputs A, B and the optional C.
        ctx.emitAll(n, new Gemm(n.floatAttr("alpha", 1f), n.floatAttr("beta", 1f), n.intAttr("transA", 0) != 0,
                n.intAttr("transB", 0) != 0), ctx.inputs(n));
    }
}
