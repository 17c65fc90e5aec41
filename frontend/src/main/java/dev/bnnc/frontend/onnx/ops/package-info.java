/**
 * Converters for the standard ONNX ops, one class per op family, each registering its ops in
 * {@link dev.bnnc.frontend.onnx.ops.StandardOps}. Shared attribute handling: {@code Axes} (axis
 * normalization) and {@code Window} (strides, dilations, pads and auto_pad of Conv and the pools).
 */
package dev.bnnc.frontend.onnx.ops;
