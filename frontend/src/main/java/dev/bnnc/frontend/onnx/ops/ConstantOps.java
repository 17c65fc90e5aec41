package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.frontend.onnx.OnnxTensors;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * Nodes whose output is known at import: Constant, and, because every shape is static, Shape, Size
 * and ConstantOfShape. Their outputs are defined constants (see {@link ImportContext}).
 */
final class ConstantOps {
    private ConstantOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Constant", ConstantOps::constant);
        b.add("Shape", ConstantOps::shape);
        b.add("Size", ConstantOps::size);
        b.add("ConstantOfShape", ConstantOps::constantOfShape);
    }

    private static void constant(OnnxNode n, ImportContext ctx) {
        List<String> attrs = n.attributeNames();
        if (attrs.size() != 1) {
            throw n.error("needs exactly one value attribute, has " + attrs);
        }
        Tensor value = switch (attrs.get(0)) {
            case "value" -> OnnxTensors.fromProto(n.tensorAttr("value").orElseThrow());
            case "value_float" -> Tensor.scalar(n.floatAttr("value_float", 0));
            case "value_floats" -> {
                List<Float> f = n.floatsAttr("value_floats").orElseThrow();
                float[] a = new float[f.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.get(i);
                }
                yield Tensor.ofFloats(Shape.of(a.length), a);
            }
            case "value_int" -> Tensor.ofLongs(Shape.scalar(), n.intAttr("value_int", 0));
            case "value_ints" -> {
                long[] a = n.intsAttr("value_ints").orElseThrow().stream().mapToLong(Long::longValue).toArray();
                yield Tensor.ofLongs(Shape.of(a.length), a);
            }
            default -> throw n.unsupported("attribute '" + attrs.get(0) + "'");
        };
        ctx.defineConstant(n, 0, value);
    }

    private static void shape(OnnxNode n, ImportContext ctx) {
        Shape s = ctx.inputType(n, 0).shape();
        int rank = s.rank();
        // Opset 15 slices the shape with clamped start and end.
        int start = clamp(n.intAttr("start", 0), rank);
        int end = n.hasAttribute("end") ? clamp(n.intAttr("end", rank), rank) : rank;
        int count = Math.max(0, end - start);
        long[] dims = new long[count];
        for (int i = 0; i < count; i++) {
            dims[i] = s.dim(start + i);
        }
        ctx.defineConstant(n, 0, Tensor.ofLongs(Shape.of(count), dims));
    }

    private static int clamp(long index, int rank) {
        long i = index < 0 ? index + rank : index;
        return (int) Math.max(0, Math.min(rank, i));
    }

    private static void size(OnnxNode n, ImportContext ctx) {
        ctx.defineConstant(n, 0, Tensor.ofLongs(Shape.scalar(), ctx.inputType(n, 0).size()));
    }

    private static void constantOfShape(OnnxNode n, ImportContext ctx) {
        List<Integer> dims = Axes.toInts(n, Axes.longs(ctx.constantInput(n, 0, "shape")), "shape");
        Tensor fill = n.tensorAttr("value").map(OnnxTensors::fromProto)
                .orElse(Tensor.ofFloats(Shape.of(1), 0f));
        if (fill.size() != 1) {
            throw n.error("value must hold one element, has " + fill.size());
        }
        Shape shape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        ctx.defineConstant(n, 0, Tensor.filled(new TensorType(fill.dtype(), shape), fill.doubleAt(0)));
    }
}
