package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConvPoolImportTest {
    @Test
    void convDefaultsAndExplicitAttributes() {
        Graph g = Imports.of(conv(new int[] {1, 4, 9, 9}, new int[] {6, 2, 3, 3}, true, n -> n
                .intsAttr("strides", 2, 1).intsAttr("dilations", 1, 2).intsAttr("pads", 1, 0, 2, 0)
                .intAttr("group", 2).intsAttr("kernel_shape", 3, 3)));
        assertEquals(new Conv(List.of(2, 1), List.of(1, 0, 2, 0), List.of(1, 2), 2), Imports.onlyOp(g));
        assertEquals(3, Imports.outputNode(g).inputs().size());
        assertEquals(TensorType.f32(1, 6, 5, 5), g.outputs().get(0).type());

        Graph plain = Imports.of(conv(new int[] {1, 3, 5}, new int[] {2, 3, 3}, false, n -> { }));
        assertEquals(new Conv(List.of(1), List.of(0, 0), List.of(1), 1), Imports.onlyOp(plain));
        assertEquals(2, Imports.outputNode(plain).inputs().size());
    }

    @Test
    void convIn3dAndDepthwise() {
        assertEquals(new Conv(List.of(1, 1, 1), List.of(0, 0, 0, 0, 0, 0), List.of(1, 1, 1), 1),
                Imports.onlyOp(Imports.of(conv(new int[] {1, 2, 4, 4, 4}, new int[] {3, 2, 2, 2, 2}, false, n -> { }))));
        Graph dw = Imports.of(conv(new int[] {1, 8, 10}, new int[] {8, 1, 3}, true, n -> n.intAttr("group", 8)));
        assertEquals(8, ((Conv) Imports.onlyOp(dw)).group());
    }

    @Test
    void autoPadResolvesToExplicitPads() {
        // Input 7, kernel 4, stride 2: output 4, total pad (4-1)*2 + 4 - 7 = 3.
        assertEquals(List.of(1, 2), convPads("SAME_UPPER", 7, 4, 2, 1));
        assertEquals(List.of(2, 1), convPads("SAME_LOWER", 7, 4, 2, 1));
        assertEquals(List.of(0, 0), convPads("VALID", 7, 4, 2, 1));
        // Dilation 2 spans 7: total (7-1)*1 + 7 - 7 = 6 (the spec's formula; ONNX Runtime refuses
        // SAME with dilations for Conv, so there is no golden test for this one).
        assertEquals(List.of(3, 3), convPads("SAME_UPPER", 7, 4, 1, 2));
        // A kernel smaller than the stride needs no pad.
        assertEquals(List.of(0, 0), convPads("SAME_UPPER", 8, 1, 2, 1));
    }

    @Test
    void convErrorsNameTheNode() {
        assertEquals("node 'c' (Conv): kernel_shape [5] does not match the weight f32[2,3,3]",
                Imports.error(conv(new int[] {1, 3, 5}, new int[] {2, 3, 3}, false, n -> n.intsAttr("kernel_shape", 5))));
        assertEquals("node 'c' (Conv): auto_pad 'SAME' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER",
                Imports.error(conv(new int[] {1, 3, 5}, new int[] {2, 3, 3}, false, n -> n.stringAttr("auto_pad", "SAME"))));
        assertEquals("node 'c' (Conv): input f32[1,4,5] and weight f32[2,3,3] do not fit group 1",
                Imports.error(conv(new int[] {1, 4, 5}, new int[] {2, 3, 3}, false, n -> { })));
    }

    @Test
    void poolsKeepTheirWindowAttributes() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(19);
        m.input("x", 1, 2, 9, 9);
        m.node("MaxPool").inputs("x").outputs("a").intsAttr("kernel_shape", 3, 2).intsAttr("strides", 2, 2)
                .intsAttr("pads", 1, 1, 1, 0).intsAttr("dilations", 1, 2).intAttr("ceil_mode", 1);
        m.node("AveragePool").inputs("x").outputs("b").intsAttr("kernel_shape", 3, 3).intAttr("count_include_pad", 1)
                .stringAttr("auto_pad", "SAME_UPPER").intsAttr("strides", 2, 2);
        m.output("a").output("b");
        Graph g = Imports.of(m);
        assertEquals(List.of(
                new Pool(PoolKind.MAX, List.of(3, 2), List.of(2, 2), List.of(1, 1, 1, 0), List.of(1, 2), true, false),
                new Pool(PoolKind.AVERAGE, List.of(3, 3), List.of(2, 2), List.of(1, 1, 1, 1), List.of(1, 1), false, true)),
                Imports.ops(g));
        assertEquals(TensorType.f32(1, 2, 5, 5), g.outputs().get(1).type());
    }

    @Test
    void globalPoolsAreReductionsOverSpatialAxes() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", 1, 3, 4, 5);
        m.node("GlobalAveragePool").inputs("x").outputs("a");
        m.node("GlobalMaxPool").inputs("x").outputs("b");
        m.output("a").output("b");
        Graph g = Imports.of(m);
        assertEquals(List.of(new Reduce(ReduceFn.MEAN, List.of(2, 3), true), new Reduce(ReduceFn.MAX, List.of(2, 3), true)),
                Imports.ops(g));
        assertEquals(TensorType.f32(1, 3, 1, 1), g.outputs().get(0).type());
    }

    @Test
    void gemmMatMulAndBatchNorm() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(9);
        m.input("x", 3, 4);
        m.initializer("w", new float[20], 5, 4);
        m.initializer("v", new float[10], 5, 2);
        m.initializer("c", new float[5], 5);
        m.node("Gemm").inputs("x", "w", "c").outputs("a").floatAttr("alpha", 0.5f).intAttr("transB", 1);
        m.node("MatMul").inputs("a", "v").outputs("b");
        m.output("b");
        Graph g = Imports.of(m);
        assertEquals(List.of(new Gemm(0.5f, 1f, false, true), new MatMul()), Imports.ops(g));
        assertEquals(TensorType.f32(3, 2), g.outputs().get(0).type());

        OnnxModelBuilder bn = new OnnxModelBuilder("g").opset(7);
        bn.input("x", 1, 2, 3);
        for (String p : new String[] {"s", "b", "m", "v"}) {
            bn.initializer(p, new float[] {1, 1}, 2);
        }
        bn.node("BatchNormalization").inputs("x", "s", "b", "m", "v").outputs("y", "rm", "rv", "sm", "sv")
                .floatAttr("epsilon", 1e-3f);
        bn.output("y");
        assertEquals(new BatchNorm(1e-3f), Imports.onlyOp(Imports.of(bn)));

        OnnxModelBuilder perActivation = new OnnxModelBuilder("g").opset(7);
        perActivation.input("x", 1, 2);
        perActivation.node("BatchNormalization").name("bn").inputs("x", "x", "x", "x", "x").outputs("y")
                .intAttr("spatial", 0);
        perActivation.output("y");
        assertEquals("node 'bn' (BatchNormalization): spatial = 0 is not supported", Imports.error(perActivation));
    }

    private static List<Integer> convPads(String autoPad, int in, int kernel, int stride, int dilation) {
        Graph g = Imports.of(conv(new int[] {1, 1, in}, new int[] {1, 1, kernel}, false, n -> n
                .stringAttr("auto_pad", autoPad).intsAttr("strides", stride).intsAttr("dilations", dilation)));
        return ((Conv) Imports.onlyOp(g)).pads();
    }

    private static OnnxModelBuilder conv(int[] x, int[] w, boolean bias, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        OnnxModelBuilder m = new OnnxModelBuilder("conv");
        m.input("x", x);
        m.initializer("w", new float[size(w)], w);
        OnnxModelBuilder.NodeBuilder n = m.node("Conv").name("c").outputs("y");
        if (bias) {
            m.initializer("b", new float[w[0]], w[0]);
            n.inputs("x", "w", "b");
        } else {
            n.inputs("x", "w");
        }
        attrs.accept(n);
        m.output("y");
        return m;
    }

    private static int size(int[] dims) {
        int s = 1;
        for (int d : dims) {
            s *= d;
        }
        return s;
    }
}
