package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Imports an ONNX model (IR versions 3 to 10, default-domain opsets 7 to 21) as a verified,
 * static-shaped IR {@link Graph}. Value names are the ONNX names; node names the ONNX node names
 * (or op type and index where the model leaves them empty).
 *
 * <pre>{@code
 * Graph g = OnnxImporter.importModel(Path.of("kws.onnx"), ImportOptions.defaults());
 * }</pre>
 *
 * Every failure is an {@link ImportException} with a one-line message naming the file or node.
 */
public final class OnnxImporter {
    public static final long MIN_IR_VERSION = 3;
    public static final long MAX_IR_VERSION = 10;
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 21;

    private final ConverterTable converters;

    /** An importer for the standard ONNX ops. */
    public OnnxImporter() {
        this(ConverterTable.standard());
    }

    /** An importer with its own converters, e.g. the standard ones plus a custom domain's. */
    public OnnxImporter(ConverterTable converters) {
        this.converters = converters;
    }

    /** Reads and imports a model file with the standard converters; external data is read beside it. */
    public static Graph importModel(Path file, ImportOptions options) {
        return new OnnxImporter().read(file, options);
    }

    /** Imports a parsed model with the standard converters; {@code baseDir} holds its external data, or is null. */
    public static Graph importModel(ModelProto model, Path baseDirOrNull, ImportOptions options) {
        return new OnnxImporter().convert(model, baseDirOrNull, options);
    }

    /** Parses a model file, failing with one line naming the file if it is not an ONNX model. */
    public static ModelProto readModel(Path file) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file + ": not a valid ONNX model (" + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new ImportException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        // Protobuf parses many byte strings without complaint; a model has at least a graph.
        if (!model.hasGraph() || model.getIrVersion() == 0) {
            throw new ImportException(file + ": not a valid ONNX model (no graph or IR version)");
        }
        return model;
    }

    public Graph read(Path file, ImportOptions options) {
        ModelProto model = readModel(file);
        return convert(model, file.toAbsolutePath().getParent(), options);
    }

    public Graph convert(ModelProto model, Path baseDirOrNull, ImportOptions options) {
        checkVersions(model);
        GraphProto g = model.getGraph();
        if (g.getSparseInitializerCount() > 0) {
            throw new ImportException("sparse initializers are not supported ('"
                    + g.getSparseInitializer(0).getValues().getName() + "')");
        }
        GraphBuilder builder = new GraphBuilder(graphName(g.getName()));
        ImportContext ctx = new ImportContext(builder, opsets(model), baseDirOrNull, modelNames(g));

        Set<String> initializerNames = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initializerNames.add(t.getName());
        }
        defineInputs(g, initializerNames, options, ctx);
        for (TensorProto t : g.getInitializerList()) {
            ctx.defineInitializer(t);
        }

        Set<String> used = usedNames(g);
        for (int i = 0; i < g.getNodeCount(); i++) {
            convertNode(new OnnxNode(g.getNode(i), i), ctx, used);
        }

        for (ValueInfoProto out : g.getOutputList()) {
            Value v = ctx.value(out.getName());
            if (v == null) {
                throw new ImportException("graph output '" + out.getName() + "' is not defined by any node");
            }
            builder.output(v);
        }
        try {
            return builder.build();
        } catch (IrException e) {
            throw new ImportException("imported graph is invalid: " + e.getMessage(), e);
        }
    }

    private void convertNode(OnnxNode node, ImportContext ctx, Set<String> used) {
        OpConverter converter = converters.find(node.domain(), node.opType())
                .orElseThrow(() -> new UnsupportedOpException(node.opType(), node.domain(), node.name()));
        try {
            converter.convert(node, ctx);
        } catch (IrException e) {
            // An op record rejecting its attributes (negative strides, a non-permutation).
            throw node.error(e.getMessage());
        }
        for (int k = 0; k < node.outputCount(); k++) {
            String out = node.outputName(k);
            if (!out.isEmpty() && !ctx.isDefined(out) && used.contains(out)) {
                throw node.error("output " + k + " ('" + out + "') is used, but the importer supports only "
                        + "this op's main output(s)");
            }
        }
    }

    private static void checkVersions(ModelProto model) {
        long ir = model.getIrVersion();
        if (ir < MIN_IR_VERSION || ir > MAX_IR_VERSION) {
            throw new ImportException("ONNX IR version " + ir + " is not supported (supported: " + MIN_IR_VERSION
                    + " to " + MAX_IR_VERSION + ")");
        }
        Integer opset = opsets(model).get(OnnxDomains.DEFAULT);
        if (opset == null) {
            throw new ImportException("the model imports no opset of the default ONNX domain");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ImportException("ONNX opset " + opset + " is not supported (supported: " + MIN_OPSET + " to "
                    + MAX_OPSET + ")");
        }
    }

    private static Map<String, Integer> opsets(ModelProto model) {
        Map<String, Integer> m = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            m.put(OnnxDomains.normalize(o.getDomain()), (int) Math.min(o.getVersion(), Integer.MAX_VALUE));
        }
        return m;
    }

    /** Model inputs are the graph inputs that are not initializers; their shapes become static. */
    private static void defineInputs(GraphProto g, Set<String> initializerNames, ImportOptions options,
                                     ImportContext ctx) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (!initializerNames.contains(in.getName())) {
                inputs.add(in);
            }
        }
        List<String> inputNames = inputs.stream().map(ValueInfoProto::getName).toList();
        for (String name : options.inputShapes().keySet()) {
            if (!inputNames.contains(name)) {
                throw new ImportException("a shape is given for input '" + name + "', but the model's inputs are "
                        + inputNames);
            }
        }
        if (options.firstInputShape().isPresent() && inputs.isEmpty()) {
            throw new ImportException("a shape is given for the first input, but the model has no inputs");
        }
        for (int i = 0; i < inputs.size(); i++) {
            ValueInfoProto in = inputs.get(i);
            ctx.defineInput(in.getName(), inputType(in, options.shapeFor(in.getName(), i)));
        }
    }

    private static TensorType inputType(ValueInfoProto in, Optional<Shape> override) {
        String what = "graph input '" + in.getName() + "'";
        TypeProto type = in.getType();
        if (!type.hasTensorType()) {
            throw new ImportException(what + " is not a tensor");
        }
        TypeProto.Tensor tt = type.getTensorType();
        OnnxElementType elem = OnnxElementType.of(tt.getElemType()).orElseThrow(() -> new ImportException(
                what + " has element type " + OnnxElementType.onnxName(tt.getElemType()) + ", which is not supported"));
        if (!tt.hasShape()) {
            return new TensorType(elem.dtype(), override.orElseThrow(() -> new ImportException(
                    what + " has no shape in the model; give one in the import options")));
        }
        TensorShapeProto declared = tt.getShape();
        if (override.isPresent()) {
            Shape s = override.get();
            if (s.rank() != declared.getDimCount()) {
                throw new ImportException("the shape " + s + " given for " + what + " has rank " + s.rank()
                        + ", the model declares rank " + declared.getDimCount());
            }
            return new TensorType(elem.dtype(), s);
        }
        int[] dims = new int[declared.getDimCount()];
        for (int k = 0; k < dims.length; k++) {
            TensorShapeProto.Dimension d = declared.getDim(k);
            // Symbolic ("batch") and unknown dimensions: one sample.
            long v = d.hasDimValue() ? d.getDimValue() : 1;
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ImportException(what + " has an invalid dimension " + v);
            }
            dims[k] = (int) v;
        }
        try {
            return new TensorType(elem.dtype(), Shape.of(dims));
        } catch (IrException e) {
            throw new ImportException(what + ": " + e.getMessage(), e);
        }
    }

    /** Names read by a node or the graph: only those outputs must be convertible. */
    private static Set<String> usedNames(GraphProto g) {
        Set<String> used = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            used.addAll(n.getInputList());
        }
        for (ValueInfoProto out : g.getOutputList()) {
            used.add(out.getName());
        }
        return used;
    }

    private static Set<String> modelNames(GraphProto g) {
        Set<String> names = new HashSet<>();
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            names.add(new OnnxNode(n, i).name());
            names.addAll(n.getOutputList());
        }
        return names;
    }

    /** The graph's name as an identifier (letters, digits, '_'), for generated code. */
    static String graphName(String onnxName) {
        StringBuilder sb = new StringBuilder();
        for (char c : onnxName.toCharArray()) {
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        if (sb.length() == 0) {
            return "model";
        }
        return Character.isDigit(sb.charAt(0)) ? "_" + sb : sb.toString();
    }
}
