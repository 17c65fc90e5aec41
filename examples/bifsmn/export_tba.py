"""Builds a seeded thinnable BiFSMN (model.ThinnableBiFSMN, intervals 1, 2, 4, 8) with
realistic, per-width BatchNorm statistics and writes, like bifsmn_ts.onnx with the TorchScript
exporter, opset 13 and no constant folding:

    bifsmn_tba_L1.onnx ... bifsmn_tba_L8.onnx  the width of interval L: only its kept blocks,
                                               with its own switchable BNs and PReLUs
    bifsmn_thin_L2.onnx ... bifsmn_thin_L8.onnx  the L=1 network thinned as a single graph:
                                               the kept blocks of L with the BNs and PReLUs
                                               of L=1

It checks each file against PyTorch with ONNX Runtime, that its logits are not degenerate,
that its initializers are exactly the tensors its width uses (so the files share their common
weights bit for bit), and that each thin graph is the L=1 graph without the skipped blocks.
Run from anywhere:

    /work/venv/bin/python examples/bifsmn/export_tba.py
"""
from __future__ import annotations

import copy
import itertools
import os
import re

import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn

from export import INPUT_SHAPE, NUM_CLASSES, export_torchscript
from export_common import (balance_classifier, calibrate_batchnorm, check_against_onnxruntime,
                           check_not_degenerate, make_deterministic, min_sign_margin,
                           randomize_affine_parameters, summarize)
from model import ThinnableBiFSMN

SEED = 220206483  # arXiv 2202.06483 (BiFSMN)
HERE = os.path.dirname(os.path.abspath(__file__))


def fixed_width(model: ThinnableBiFSMN, interval: int, bn_interval: int) -> ThinnableBiFSMN:
    """The model with a `forward(mel)` that runs one width: a shallow copy sharing every
    module, so that it exports with the model's node and initializer names (a wrapper module
    would prefix them) and with the intervals baked in (the exporter would trace extra
    forward arguments as tensors)."""
    width = copy.copy(model)
    width.forward = lambda mel: model.forward(mel, interval, bn_interval)
    return width


def build_model() -> ThinnableBiFSMN:
    """As export.py builds the plain model, but BN statistics and the shared classifier
    bias are calibrated on every width's activations, as joint training of the widths sets
    them: a shared BN averages over the widths that run it, a switchable BN sees only its
    own width."""
    make_deterministic(SEED)
    model = ThinnableBiFSMN(num_classes=NUM_CLASSES, n_mels=INPUT_SHAPE[2])
    generator = torch.Generator().manual_seed(SEED + 1)
    randomize_affine_parameters(model, generator)
    calibration = [torch.randn(64, *INPUT_SHAPE[1:], generator=generator) for _ in range(16)]

    def every_width(batch):
        return torch.cat([model(batch, interval) for interval in model.intervals])

    calibrate_batchnorm(model, calibration, every_width)
    ignore_width_offsets(model, calibration)
    balance_classifier(model, calibration, every_width)
    return model


@torch.no_grad()
def ignore_width_offsets(model: ThinnableBiFSMN, batches: list[torch.Tensor]) -> None:
    """Makes the shared classifier blind to the directions in which the widths' mean
    classifier inputs differ, as joint training makes a head that serves every width: the
    residual stream grows with depth, and with random weights that offset alone would pick
    one or two classes for a whole width. Then one bias centres the logits of every width."""
    inputs = []
    hook = model.classifier.register_forward_pre_hook(lambda _m, args: inputs.append(args[0]))
    try:
        means = []
        for interval in model.intervals:
            inputs.clear()
            for batch in batches:
                model(batch, interval)
            means.append(torch.cat(inputs).mean(dim=0))
    finally:
        hook.remove()
    offsets = torch.stack([mean - means[0] for mean in means[1:]])  # [widths-1, M]
    basis, _ = torch.linalg.qr(offsets.T)                              # [M, widths-1]
    weight = model.classifier.weight
    weight -= (weight @ basis) @ basis.T


def used_tensors(width: nn.Module) -> dict[str, torch.Tensor]:
    """The parameters and BN running statistics of the modules that `width` runs, by their
    state_dict names (which the exporter keeps as initializer names)."""
    ran = set()
    hooks = [module.register_forward_hook(lambda *_, name=name: ran.add(name))
             for name, module in width.named_modules()]
    try:
        with torch.no_grad():
            width(torch.zeros(INPUT_SHAPE))
    finally:
        for hook in hooks:
            hook.remove()
    return {f"{name}.{key}": tensor.detach()
            for name, module in width.named_modules() if name in ran
            for key, tensor in itertools.chain(module.named_parameters(recurse=False),
                                               module.named_buffers(recurse=False))
            if key != "num_batches_tracked"}


def check_initializers(path: str, expected: dict[str, torch.Tensor]) -> None:
    """Fails unless the file's initializers are exactly `expected`, bit for bit."""
    initializers = {i.name: onnx.numpy_helper.to_array(i)
                    for i in onnx.load(path).graph.initializer}
    if initializers.keys() != expected.keys():
        unmatched = sorted(initializers.keys() ^ expected.keys())
        raise AssertionError(f"{path}: initializers {unmatched} are in only one of the file "
                             f"and the model")
    for name, array in initializers.items():
        if array.tobytes() != expected[name].numpy().tobytes():
            raise AssertionError(f"{path}: initializer {name} differs from the model's")


def check_thinned_from(path: str, full_path: str, kept: list[int]) -> None:
    """Fails unless the graph at `path` has the nodes of the one at `full_path` (the L=1
    width) minus those of the blocks not in `kept`, with the same names, ops and order."""
    def skipped(name: str) -> bool:
        match = re.match(r"/blocks\.(\d+)/", name)
        return match is not None and int(match.group(1)) not in kept

    nodes = [(n.name, n.op_type) for n in onnx.load(path).graph.node]
    full = [(n.name, n.op_type) for n in onnx.load(full_path).graph.node if not skipped(n.name)]
    if nodes != full:
        raise AssertionError(f"{path} is not {full_path} without the blocks it skips")


def block_bounds(path: str) -> dict[int, tuple[str, str]]:
    """For each block in the graph: the names of its first and last node."""
    bounds = {}
    for node in onnx.load(path).graph.node:
        match = re.match(r"/blocks\.(\d+)/", node.name)
        if match:
            index = int(match.group(1))
            bounds[index] = (bounds.get(index, (node.name,))[0], node.name)
    return bounds


def main() -> None:
    model = build_model()
    probe = torch.Generator().manual_seed(SEED + 2)
    spread_inputs = torch.randn(256, *INPUT_SHAPE[1:], generator=probe)
    check_inputs = torch.randn(16, *INPUT_SHAPE[1:], generator=probe)

    outputs = [(f"bifsmn_tba_L{interval}.onnx", interval, interval)
               for interval in model.intervals]
    outputs += [(f"bifsmn_thin_L{interval}.onnx", interval, model.intervals[0])
                for interval in model.intervals[1:]]
    full_path = os.path.join(HERE, outputs[0][0])
    for name, interval, bn_interval in outputs:
        width = fixed_width(model, interval, bn_interval)
        print(f"{name}: blocks {model.kept_blocks(interval)}, BNs of L={bn_interval}")
        print("  logits:", check_not_degenerate(width, spread_inputs, NUM_CLASSES))
        print(f"  smallest |input| of an activation Sign on the check inputs: "
              f"{min_sign_margin(width, check_inputs):.3g}")
        path = os.path.join(HERE, name)
        export_torchscript(width, path)
        diff = check_against_onnxruntime(width, path, check_inputs)
        check_initializers(path, used_tensors(width))
        if interval != bn_interval:
            check_thinned_from(path, full_path, model.kept_blocks(interval))
        print(summarize(path))
        print(f"  max |onnxruntime - torch| over {len(check_inputs)} inputs: {diff:.3g}")
        for index, (first, last) in block_bounds(path).items():
            print(f"  block {index}: {first} .. {last}")


if __name__ == "__main__":
    main()
