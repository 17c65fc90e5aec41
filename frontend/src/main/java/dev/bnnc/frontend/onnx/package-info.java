/**
 * ONNX import: {@link dev.bnnc.frontend.onnx.OnnxImporter} turns a {@code ModelProto} into a
 * verified, static-shaped IR graph.
 *
 * <p>The importer walks the ONNX nodes in order and hands each to the {@link
 * dev.bnnc.frontend.onnx.OpConverter} registered for its (domain, op type) in a {@link
 * dev.bnnc.frontend.onnx.ConverterTable}; converters read inputs and attributes through {@link
 * dev.bnnc.frontend.onnx.OnnxNode} and emit IR through {@link dev.bnnc.frontend.onnx.ImportContext},
 * which also resolves inputs the IR needs as constants. The standard ops' converters live in
 * {@code ops}, one class per op family. Also here: tensor decoding ({@link
 * dev.bnnc.frontend.onnx.OnnxTensors}, external data), the ONNX test-case layout ({@link
 * dev.bnnc.frontend.onnx.TestDataSet}) and {@link dev.bnnc.frontend.onnx.OnnxModelBuilder}, which
 * writes models. The way back, IR to ONNX, is {@code dev.bnnc.frontend.onnx.export}.
 */
package dev.bnnc.frontend.onnx;
