package dev.bnnc.passes;

import java.util.List;

/** The default pass pipeline (see DESIGN.md): cleanup and canonical forms first, then the binary and compression passes. */
public final class Pipeline {
    private Pipeline() {}

    public static List<Pass> standard() {
        return standard(BinarizeMode.auto());
    }

    public static List<Pass> standard(BinarizeMode binarize) {
        return List.of(
                new InferShapes(),
                new FoldConstants(),
                new RemoveIdentities(),
                new DeadCodeElimination(),
                new FormDense(),
                new FoldBatchNorm(),
                new FoldBias(),
                new DeadCodeElimination(),
                new Binarize(binarize),
                new DeadCodeElimination(),
                new FuseScales(),
                new PackThroughTranspose(),
                new DeadCodeElimination());
    }
}
