package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Transpose;
import java.util.ArrayList;
import java.util.List;

/** Transpose; without {@code perm} it reverses the axes. */
final class TransposeOps {
    private TransposeOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Transpose", TransposeOps::transpose);
    }

    private static void transpose(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        int rank = x.type().rank();
        List<Integer> perm;
        if (n.hasAttribute("perm")) {
            perm = Axes.toInts(n, n.intsAttr("perm").orElseThrow(), "perm");
        } else {
            perm = new ArrayList<>();
            for (int a = rank - 1; a >= 0; a--) {
                perm.add(a);
            }
        }
        if (perm.size() != rank) {
            throw n.error("perm " + perm + " does not fit input " + x.type());
        }
        ctx.emit(n, new Transpose(perm), x);
    }
}
