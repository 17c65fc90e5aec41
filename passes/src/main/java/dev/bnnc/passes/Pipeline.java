package dev.bnnc.passes;

import dev.bnnc.passes.deepthin.DeepThinCompress;
import dev.bnnc.passes.deepthin.DeepThinImport;
import dev.bnnc.passes.deepthin.DeepThinMode;
import java.util.ArrayList;
import java.util.List;

/** The default pass pipeline (see DESIGN.md): cleanup and canonical forms first, then the binary and compression passes. */
public final class Pipeline {
    private Pipeline() {}

    public static List<Pass> standard() {
        return standard(BinarizeMode.auto());
    }

    public static List<Pass> standard(BinarizeMode binarize) {
        return standard(binarize, DeepThinMode.defaults());
    }

    /** Factored weights are recognized before constant folding would multiply them out; compression comes last. */
    public static List<Pass> standard(BinarizeMode binarize, DeepThinMode deepThin) {
        List<Pass> passes = new ArrayList<>(List.of(
                new InferShapes(),
                new DeepThinImport(deepThin.importMode()),
                new FoldConstants(),
                new RemoveIdentities(),
                new DeadCodeElimination(),
                new FormDense(),
                new FoldBias(),
                new PointwiseConvFromDense(),
                new FoldBatchNorm(),
                new FoldBias(),
                new DeadCodeElimination(),
                new Binarize(binarize),
                new DeadCodeElimination(),
                new PointwiseConvFromDense(),
                new FuseScales(),
                new PackThroughTranspose(),
                new DeadCodeElimination()));
        if (deepThin.compresses()) {
            passes.add(new DeepThinCompress(deepThin.ratio(), deepThin.layers()));
            passes.add(new DeadCodeElimination());
        }
        return List.copyOf(passes);
    }
}
