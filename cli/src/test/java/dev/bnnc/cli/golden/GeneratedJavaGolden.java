package dev.bnnc.cli.golden;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.verify.GeneratedModel;
import dev.bnnc.frontend.onnx.Golden;
import dev.bnnc.frontend.onnx.GoldenExtension;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.interp.Interpreter;
import java.util.List;

/**
 * Extends every golden case of the frontend's catalog to the whole pipeline: the optimized IR
 * (interpreted) and the generated Java class must give ONNX Runtime's outputs too, for the cases
 * generated code applies to ({@link GoldenCases}).
 */
public final class GeneratedJavaGolden implements GoldenExtension {
    @Override
    public void check(ModelProto model, Graph imported, List<Tensor> inputs, List<Tensor> expected) {
        if (!GoldenCases.generatedCodeApplies(imported)) {
            return;
        }
        Compilation c = ModelCompiler.compile("golden", imported, ModelCompiler.Options.defaults());
        assertAllClose("optimized IR", c.optimized(), expected, Interpreter.run(c.optimized(), inputs));
        JavaTarget target = new JavaTarget("golden", "Model");
        Class<?> cls = JavaSourceCompiler.compile(target.qualifiedName(), target.generate(c));
        List<Tensor> actual = new GeneratedModel(cls, c.optimized().inputs(), c.optimized().outputs()).run(inputs);
        assertAllClose("generated Java", c.optimized(), expected, actual);
    }

    static void assertAllClose(String who, Graph g, List<Tensor> expected, List<Tensor> actual) {
        for (int k = 0; k < expected.size(); k++) {
            Golden.assertClose(who + " output " + g.outputs().get(k).name(), expected.get(k), actual.get(k));
        }
    }
}
