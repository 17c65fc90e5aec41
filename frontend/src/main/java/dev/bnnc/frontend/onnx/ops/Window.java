package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.OnnxNode;
import java.util.List;

/**
 * The sliding-window attributes Conv and the pools share: strides, dilations and pads, with
 * {@code auto_pad} resolved into explicit begin-then-end pads.
 */
record Window(List<Integer> strides, List<Integer> dilations, List<Integer> pads) {

    /**
     * Reads the window attributes of {@code node} for an input with the given spatial dimensions
     * and kernel.
     */
    static Window of(OnnxNode node, int[] spatialDims, List<Integer> kernel) {
        int sr = kernel.size();
        List<Integer> strides = spatialAttr(node, "strides", sr);
        List<Integer> dilations = spatialAttr(node, "dilations", sr);
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        List<Integer> pads;
        switch (autoPad) {
            case "NOTSET" -> {
                pads = node.intsAttr("pads").map(p -> Axes.toInts(node, p, "pads")).orElse(Axes.repeat(0, 2 * sr));
                if (pads.size() != 2 * sr) {
                    throw node.error("pads " + pads + " must have " + 2 * sr + " entries");
                }
            }
            case "VALID" -> pads = Axes.repeat(0, 2 * sr);
            case "SAME_UPPER", "SAME_LOWER" -> pads = samePads(spatialDims, kernel, strides, dilations,
                    autoPad.equals("SAME_UPPER"));
            default -> throw node.error("auto_pad '" + autoPad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
        return new Window(strides, dilations, pads);
    }

    /**
     * Pads that make the output length {@code ceil(in / stride)}; an odd total puts the extra pad at
     * the end (SAME_UPPER) or the beginning (SAME_LOWER).
     */
    private static List<Integer> samePads(int[] in, List<Integer> kernel, List<Integer> strides,
                                          List<Integer> dilations, boolean upper) {
        int sr = kernel.size();
        Integer[] pads = new Integer[2 * sr];
        for (int i = 0; i < sr; i++) {
            int stride = strides.get(i);
            int out = (in[i] + stride - 1) / stride;
            int span = (kernel.get(i) - 1) * dilations.get(i) + 1;
            int total = Math.max(0, (out - 1) * stride + span - in[i]);
            int small = total / 2;
            pads[i] = upper ? small : total - small;
            pads[i + sr] = total - pads[i];
        }
        return List.of(pads);
    }

    private static List<Integer> spatialAttr(OnnxNode node, String name, int sr) {
        List<Integer> v = node.intsAttr(name).map(p -> Axes.toInts(node, p, name)).orElse(Axes.repeat(1, sr));
        if (v.size() != sr) {
            throw node.error(name + " " + v + " must have " + sr + " entries");
        }
        return v;
    }
}
