"""Trains two small MLPs on scikit-learn's handwritten digits (8x8 images, 10 classes; the data
ships with scikit-learn) and exports them with ONNX Runtime checks:

- deepthin_mlp.onnx: 64 -> DeepThin linear (64 -> 256, weight rebuilt from factors [126, 8] and
  [8, 131]) -> ReLU -> linear (256 -> 10), trained factored as DeepThin trains, and exported the way
  a DeepThin layer must be: TorchScript exporter, do_constant_folding=False, so that the weight
  subgraph (MatMul -> Reshape -> Slice -> Reshape -> Gemm transB=1) is in the file, not its product.
- dense_mlp.onnx: a plain 64 -> 512 -> 512 -> 10 MLP, trained, whose dense weights the README's
  table of compression error vs ratio is measured on (bnnc compile --deepthin RATIO).

    /work/venv/bin/python examples/deepthin/export.py
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 1802  # DeepThin, arXiv 1802.06944


class DeepThinLinear(nn.Module):
    """y = x W^T + b with W [out, in] = reshape(flatten(xf @ wf)[: out * in]), as nn.Linear holds
    its weight. nf is coprime with `in`, so rows of xf @ wf do not line up with rows of W."""

    def __init__(self, in_features: int, out_features: int, mf: int, nf: int, rank: int):
        super().__init__()
        assert mf * nf >= in_features * out_features
        self.in_features, self.out_features = in_features, out_features
        self.xf = nn.Parameter(torch.randn(mf, rank) / rank ** 0.5)
        self.wf = nn.Parameter(torch.randn(rank, nf) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = (self.xf @ self.wf).flatten()[: self.out_features * self.in_features]
        return F.linear(x, w.reshape(self.out_features, self.in_features), self.bias)


def digits() -> tuple[torch.Tensor, torch.Tensor]:
    d = load_digits()
    x = torch.tensor(d.data / 16.0, dtype=torch.float32)
    return x, torch.tensor(d.target, dtype=torch.long)


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int) -> float:
    """Full-batch Adam; returns the training accuracy."""
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    for _ in range(epochs):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def export(model: nn.Module, name: str, x: torch.Tensor) -> None:
    path = os.path.join(HERE, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "legacy TorchScript exporter"
        torch.onnx.export(model, (x[:1],), path, dynamo=False, opset_version=13, do_constant_folding=False,
                          input_names=["pixels"], output_names=["logits"])
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    with torch.no_grad():
        diff = max(float(np.abs(session.run(None, {"pixels": x[i:i + 1].numpy()})[0] - model(x[i:i + 1]).numpy()).max())
                   for i in range(16))
    print(f"{name}: {os.path.getsize(path)} bytes, max |onnxruntime - torch| on 16 digits: {diff:.3g}")


def main() -> None:
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    x, y = digits()
    factored = nn.Sequential(DeepThinLinear(64, 256, mf=126, nf=131, rank=8), nn.ReLU(), nn.Linear(256, 10)).eval()
    print(f"deepthin_mlp: training accuracy {train(factored, x, y, 300):.3f}")
    export(factored, "deepthin_mlp.onnx", x)
    dense = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)).eval()
    print(f"dense_mlp: training accuracy {train(dense, x, y, 300):.3f}")
    export(dense, "dense_mlp.onnx", x)


if __name__ == "__main__":
    main()
