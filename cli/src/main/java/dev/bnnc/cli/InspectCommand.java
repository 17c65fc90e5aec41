package dev.bnnc.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.text.IrPrinter;
import dev.bnnc.passes.deepthin.Factorization;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bnnc inspect}: what is in a model and what bnnc makes of it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's op census, shapes, parameter bytes and unsupported ops, and the compiled layers.")
public final class InspectCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    ThinnableOptions thinnable;

    @Option(names = "--ir", description = "Also print the optimized IR (large constants elided).")
    boolean ir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelProto proto = OnnxImporter.readModel(model.model());
        out.printf("model %s: IR version %d, opsets %s, producer %s %s%n", model.model().getFileName(), proto.getIrVersion(),
                proto.getOpsetImportList().stream().map(o -> (o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain()) + "=" + o.getVersion()).toList(),
                proto.getProducerName(), proto.getProducerVersion());
        Map<String, Integer> census = new TreeMap<>();
        Map<String, String> unsupported = new TreeMap<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            String key = (n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType();
            census.merge(key, 1, Integer::sum);
            if (ConverterTable.standard().find(n.getDomain(), n.getOpType()).isEmpty()) {
                unsupported.putIfAbsent(key, n.getName());
            }
        }
        long params = 0;
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            long count = 1;
            for (long d : t.getDimsList()) {
                count *= d;
            }
            params += count;
        }
        out.printf("ONNX ops (%d nodes): %s%n", proto.getGraph().getNodeCount(), census);
        out.printf("parameters: %d (%d bytes as float32)%n", params, 4 * params);
        if (!unsupported.isEmpty()) {
            out.println("unsupported ops:");
            unsupported.forEach((op, node) -> out.printf("  %s (first at node '%s')%n", op, node));
            return Main.BAD_INPUT;
        }
        Compilation c = thinnable.compile(model, spec.commandLine().getErr());
        Graph g = c.optimized();
        for (Value v : g.inputs()) {
            out.printf("input  %s %s%n", v.name(), v.type());
        }
        for (Value v : g.outputs()) {
            out.printf("output %s %s%n", v.name(), v.type());
        }
        CompileReport report = CompileReport.of(c, "java", "inspect");
        out.printf("compiled: %d steps, %d layers, %d weight bytes, %d scratch bytes%n", c.plan().steps().size(),
                report.layers().size(), report.weightBytes(), report.scratchBytes());
        for (CompileReport.Layer l : report.layers()) {
            Node n = g.node(l.name()).orElseThrow();
            out.printf("  %-40s %-8s %-6s %10d bytes  %s -> %s%n", l.name(), l.op(), l.binary() ? "binary" : "float",
                    l.weightBytes(), n.input(0).type(), n.output().type());
            if (l.deepThin() != null) {
                Factorization f = l.deepThin();
                out.printf(Locale.ROOT, "  %-40s DeepThin %dx%d as [%d,%d]·[%d,%d]: relative error %.4f; plain rank %d: %.4f%n", "",
                        f.inFeatures(), f.outFeatures(), f.mf(), f.rank(), f.rank(), f.nf(), f.relativeError(), f.plainRank(),
                        f.plainRelativeError());
            }
        }
        c.remarks().forEach(r -> out.println("  note: " + r));
        if (ir) {
            out.print(IrPrinter.print(g, 16));
        }
        return 0;
    }
}
