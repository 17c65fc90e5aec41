/**
 * ONNX export: {@link dev.bnnc.frontend.onnx.export.OnnxExporter} writes an IR graph as a standard
 * ONNX model. A visitor over the ops ({@code OpExporter}) hands each node to the mapping of its op
 * family ({@code ElementwiseExport}, {@code LayerExport}, {@code ReductionExport},
 * {@code LayoutExport}, {@code BinaryExport}), which writes its ONNX nodes through {@code ExportContext}.
 */
package dev.bnnc.frontend.onnx.export;
