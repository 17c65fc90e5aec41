"""Helpers shared by the export scripts in examples/bifsmn and examples/dfsmn: deterministic
setup, realistic BatchNorm/PReLU parameters, onnxruntime checks and an ONNX summary."""
from __future__ import annotations

import collections
import os
from typing import Callable

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

from model import BinaryConv1d, BinaryConv2d, BinaryLinear

INPUT_NAME = "mel"
OUTPUT_NAME = "logits"


def make_deterministic(seed: int) -> None:
    """Same seed, same torch build, same CPU kind -> byte-identical .onnx files."""
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # float sums in calibration must not depend on the core count


def randomize_affine_parameters(model: nn.Module, generator: torch.Generator) -> None:
    """Trained-looking BN affine and PReLU slopes: |gamma| in [0.5, 1.5] with about a quarter
    negative (at least one per BN that follows a binary layer, so threshold directions flip),
    beta ~ N(0, 0.3^2), PReLU slopes in [0.05, 0.4]."""
    binary_bns = _bns_after_binary_layers(model)
    for name, module in model.named_modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            n = module.num_features
            magnitude = 0.5 + torch.rand(n, generator=generator)
            negative = torch.rand(n, generator=generator) < 0.25
            if name in binary_bns and not negative.any():
                negative[torch.randint(n, (1,), generator=generator)] = True
            with torch.no_grad():
                module.weight.copy_(torch.where(negative, -magnitude, magnitude))
                module.bias.copy_(0.3 * torch.randn(n, generator=generator))
        elif isinstance(module, nn.PReLU):
            with torch.no_grad():
                module.weight.copy_(
                    0.05 + 0.35 * torch.rand(module.weight.shape, generator=generator))


def _bns_after_binary_layers(model: nn.Module) -> set[str]:
    """Names of the BNs that follow binary layers: by the models' naming, `<layer>_bn`, or
    `<layer>_bn.<w>` for width w's switchable BN in a thinnable model."""
    def layer_of(bn_name: str) -> str:
        owner, _, last = bn_name.rpartition(".")
        return (owner if last.isdigit() else bn_name).removesuffix("_bn")

    binary_layers = {name for name, module in model.named_modules()
                     if isinstance(module, (BinaryConv1d, BinaryConv2d, BinaryLinear))}
    return {name for name, module in model.named_modules()
            if isinstance(module, nn.modules.batchnorm._BatchNorm)
            and layer_of(name) in binary_layers}


@torch.no_grad()
def calibrate_batchnorm(model: nn.Module, batches: list[torch.Tensor],
                        forward: Callable[[torch.Tensor], object] | None = None) -> None:
    """Sets every BN's running statistics to the mean of its batch statistics over `batches`
    (as training would), then puts the model in eval mode. `forward` (default: the model)
    runs one batch; for a thinnable model it runs every width, as joint training does."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average
    model.train()
    for batch in batches:
        (forward or model)(batch)
    for bn in bns:
        bn.momentum = 0.1
    model.eval()


@torch.no_grad()
def balance_classifier(model: nn.Module, batches: list[torch.Tensor],
                       forward: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
    """Shifts the bias of `model.classifier` so that every class has mean logit 0 over
    `batches`, as a trained head would roughly be; with random weights one class would
    otherwise win almost every input. `forward` (default: the model) gives one batch's
    logits; for a thinnable model, those of every width, concatenated."""
    mean_logits = torch.cat([(forward or model)(batch) for batch in batches]).mean(dim=0)
    model.classifier.bias -= mean_logits


@torch.no_grad()
def check_not_degenerate(model: nn.Module, inputs: torch.Tensor, num_classes: int) -> dict:
    """Fails unless the logits vary across inputs and the predicted class does too."""
    logits = model(inputs)
    if not torch.isfinite(logits).all():
        raise AssertionError("non-finite logits")
    spread = logits.std(dim=0)
    predicted = torch.bincount(logits.argmax(dim=1), minlength=num_classes)
    if spread.min() <= 1e-3 or (predicted > 0).sum() < num_classes // 2:
        raise AssertionError(f"degenerate logits: std per class {spread.tolist()}, "
                             f"argmax histogram {predicted.tolist()}")
    return {"logit_std_min": spread.min().item(), "logit_std_max": spread.max().item(),
            "logit_abs_max": logits.abs().max().item(), "argmax_histogram": predicted.tolist()}


@torch.no_grad()
def min_sign_margin(model: nn.Module, inputs: torch.Tensor) -> float:
    """Smallest |x| fed to any activation Sign over `inputs`: when it is far above float
    rounding (~1e-6 here), ONNX Runtime and PyTorch cannot disagree on a sign."""
    margins = []
    hooks = [m.register_forward_pre_hook(lambda _m, args: margins.append(args[0].abs().min()))
             for m in model.modules()
             if isinstance(m, (BinaryConv1d, BinaryConv2d, BinaryLinear)) and m.binarize]
    try:
        for x in inputs:
            model(x.unsqueeze(0))
    finally:
        for hook in hooks:
            hook.remove()
    return min(margins).item()


def check_against_onnxruntime(model: nn.Module, path: str, inputs: torch.Tensor,
                              tolerance: float = 1e-4) -> float:
    """Runs each input (batch 1) through PyTorch and ONNX Runtime; returns the max |diff|
    and fails if it reaches `tolerance`."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    worst = 0.0
    with torch.no_grad():
        for x in inputs:
            expected = model(x.unsqueeze(0)).numpy()
            (actual,) = session.run([OUTPUT_NAME], {INPUT_NAME: x.unsqueeze(0).numpy()})
            worst = max(worst, float(np.abs(actual - expected).max()))
    if not worst < tolerance:
        raise AssertionError(f"{path}: ONNX Runtime differs from PyTorch by {worst}")
    return worst


def summarize(path: str) -> str:
    """File size, opsets, inputs/outputs with shapes, initializer count and op census."""
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)

    def shape(value_info):
        return [d.dim_value if d.HasField("dim_value") else d.dim_param
                for d in value_info.type.tensor_type.shape.dim]

    census = collections.Counter(node.op_type for node in model.graph.node)
    lines = [
        f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, producer "
        f"{model.producer_name} {model.producer_version}, opsets "
        + ", ".join(f"{o.domain or 'ai.onnx'}={o.version}" for o in model.opset_import),
        "  inputs:  " + ", ".join(f"{i.name} {shape(i)}" for i in model.graph.input),
        "  outputs: " + ", ".join(f"{o.name} {shape(o)}" for o in model.graph.output),
        f"  initializers: {len(model.graph.initializer)}, nodes: {len(model.graph.node)}",
        "  ops: " + ", ".join(f"{op} {n}" for op, n in sorted(census.items())),
    ]
    return "\n".join(lines)
