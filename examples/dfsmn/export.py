"""Writes dfsmn_kws.onnx: a small float D-FSMN keyword spotter (the BiFSMN network of
../bifsmn/model.py with binarization off, 4 blocks, narrower), exported the way most users
export: TorchScript exporter, opset 13, constant folding on. Checks it against ONNX Runtime.

    /work/venv/bin/python examples/dfsmn/export.py
"""
from __future__ import annotations

import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "bifsmn"))

from export_common import (INPUT_NAME, OUTPUT_NAME, balance_classifier,  # noqa: E402
                           calibrate_batchnorm, check_against_onnxruntime, check_not_degenerate,
                           make_deterministic, randomize_affine_parameters, summarize)
from model import BiFSMN  # noqa: E402

SEED = 2018  # D-FSMN (Zhang et al., ICASSP 2018)
NUM_CLASSES = 12
INPUT_SHAPE = (1, 1, 32, 32)  # batch, channel, mel bands, frames


def build_model() -> BiFSMN:
    make_deterministic(SEED)
    model = BiFSMN(num_classes=NUM_CLASSES, n_mels=INPUT_SHAPE[2], frontend_channels=16,
                   memory_size=64, hidden_size=128, num_blocks=4, binarize=False)
    generator = torch.Generator().manual_seed(SEED + 1)
    randomize_affine_parameters(model, generator)
    calibration = [torch.randn(64, *INPUT_SHAPE[1:], generator=generator) for _ in range(16)]
    calibrate_batchnorm(model, calibration)
    balance_classifier(model, calibration)
    return model


def main() -> None:
    model = build_model()
    probe = torch.Generator().manual_seed(SEED + 2)
    spread_inputs = torch.randn(256, *INPUT_SHAPE[1:], generator=probe)
    check_inputs = torch.randn(16, *INPUT_SHAPE[1:], generator=probe)
    print("logits:", check_not_degenerate(model, spread_inputs, NUM_CLASSES))

    path = os.path.join(HERE, "dfsmn_kws.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "legacy TorchScript exporter"
        torch.onnx.export(model, (torch.zeros(INPUT_SHAPE),), path, dynamo=False,
                          opset_version=13, do_constant_folding=True,
                          input_names=[INPUT_NAME], output_names=[OUTPUT_NAME])
    diff = check_against_onnxruntime(model, path, check_inputs)
    print(summarize(path))
    print(f"  max |onnxruntime - torch| over {len(check_inputs)} inputs: {diff:.3g}")


if __name__ == "__main__":
    main()
