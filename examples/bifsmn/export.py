"""Builds the seeded BiFSMN of model.py with realistic BatchNorm statistics and writes

    bifsmn_ts.onnx          binarized, TorchScript exporter, opset 13, no constant folding
                            (the weight-binarization subgraphs stay in the graph)
    bifsmn_dynamo.onnx      binarized, dynamo (torch.export) exporter, opset 18
    bifsmn_float_twin.onnx  the same parameters with binarization off, TorchScript, opset 13

checking each against ONNX Runtime. Run from anywhere:

    /work/venv/bin/python examples/bifsmn/export.py
"""
from __future__ import annotations

import copy
import os
import warnings

import onnx
import torch

from export_common import (INPUT_NAME, OUTPUT_NAME, balance_classifier, calibrate_batchnorm,
                           check_against_onnxruntime, check_not_degenerate, make_deterministic,
                           min_sign_margin, randomize_affine_parameters, summarize)
from model import BiFSMN

SEED = 20220723  # IJCAI 2022
NUM_CLASSES = 12
INPUT_SHAPE = (1, 1, 32, 32)  # batch, channel, mel bands, frames
HERE = os.path.dirname(os.path.abspath(__file__))


def build_models() -> tuple[BiFSMN, BiFSMN]:
    """The binarized model and its float twin: the same latent weights, BN affine and PReLU
    slopes; each has BN running statistics (and classifier bias) calibrated for its own
    activations, since the binarized model's statistics would blow the float twin's residual
    stream up to logits around 1e5."""
    make_deterministic(SEED)
    model = BiFSMN(num_classes=NUM_CLASSES, n_mels=INPUT_SHAPE[2], binarize=True)
    generator = torch.Generator().manual_seed(SEED + 1)
    randomize_affine_parameters(model, generator)
    calibration = [torch.randn(64, *INPUT_SHAPE[1:], generator=generator) for _ in range(16)]
    float_twin = copy.deepcopy(model)
    float_twin.set_binarize(False)
    for m in (model, float_twin):
        calibrate_batchnorm(m, calibration)
        balance_classifier(m, calibration)
    return model, float_twin


def export_torchscript(model: torch.nn.Module, path: str) -> None:
    # No constant folding: the weight-binarization subgraphs stay in the graph.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "legacy TorchScript exporter"
        torch.onnx.export(model, (torch.zeros(INPUT_SHAPE),), path, dynamo=False,
                          opset_version=13, do_constant_folding=False,
                          input_names=[INPUT_NAME], output_names=[OUTPUT_NAME])


def export_dynamo(model: torch.nn.Module, path: str) -> None:
    torch.onnx.export(model, (torch.zeros(INPUT_SHAPE),), path, dynamo=True, opset_version=18,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      external_data=False, verbose=False)
    # Each node's stack trace names the absolute path and line numbers of model.py: drop
    # it so the file does not depend on where the repository is checked out.
    exported = onnx.load(path)
    for node in exported.graph.node:
        kept = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
        del node.metadata_props[:]
        node.metadata_props.extend(kept)
    onnx.save(exported, path)


def main() -> None:
    model, float_twin = build_models()

    probe = torch.Generator().manual_seed(SEED + 2)
    spread_inputs = torch.randn(256, *INPUT_SHAPE[1:], generator=probe)
    check_inputs = torch.randn(16, *INPUT_SHAPE[1:], generator=probe)
    print("binarized logits:", check_not_degenerate(model, spread_inputs, NUM_CLASSES))
    print("float twin logits:", check_not_degenerate(float_twin, spread_inputs, NUM_CLASSES))
    print(f"smallest |input| of an activation Sign on the check inputs: "
          f"{min_sign_margin(model, check_inputs):.3g}")

    outputs = [
        ("bifsmn_ts.onnx", model, export_torchscript),
        ("bifsmn_dynamo.onnx", model, export_dynamo),
        ("bifsmn_float_twin.onnx", float_twin, export_torchscript),
    ]
    for name, module, export in outputs:
        path = os.path.join(HERE, name)
        export(module, path)
        diff = check_against_onnxruntime(module, path, check_inputs)
        print(summarize(path))
        print(f"  max |onnxruntime - torch| over {len(check_inputs)} inputs: {diff:.3g}")


if __name__ == "__main__":
    main()
