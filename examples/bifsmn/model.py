"""BiFSMN-shaped keyword-spotting network (Qin et al., "BiFSMN: Binary Neural Network for
Keyword Spotting", IJCAI 2022): a D-FSMN whose front-end conv, projection and every layer of
every memory block are binarized, IR-Net style.

Shapes for the default configuration (input: 32 mel bands x 32 frames, 12 classes):

    mel [B,1,32,32]
    conv1  float  Conv2d(1,32,5,s2,p2) + BN + PReLU             -> [B,32,16,16]
    conv2  binary Conv2d(32,32,5,s2,p2) + BN + PReLU            -> [B,32,8,8]
    frames (channels x bands per frame)                         -> [B,8,256]
    linear binary Linear(256,128), then BN + PReLU over [B,128,T] -> [B,128,8]
    8 x DFSMNBlock (3 binary layers each)                        -> [B,128,8]
    mean over time, float Linear(128,12)                         -> [B,12]

ThinnableBiFSMN is the same network with BiFSMN's Thinnable Binarization Architecture: it
also runs with 4, 2 or 1 of its blocks (`interval` 2, 4, 8), sharing every layer but each
block's projection BN and PReLU, which are switchable (one per width).

This module only defines the networks; export.py and export_tba.py build, calibrate and
export them, and a training script can import them (forward_features returns the kept
blocks' outputs for distillation; BiFSMN's `blocks` runs any subset of its blocks).
"""
from __future__ import annotations

from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


class SignSTE(torch.autograd.Function):
    """sign(x) forward; clipped straight-through gradient (passes where |x| <= 1) backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


def binary_sign(x: torch.Tensor, training: bool) -> torch.Tensor:
    # In eval (and so at export) this is a plain torch.sign, i.e. an ONNX Sign node.
    return SignSTE.apply(x) if training else torch.sign(x)


def binarize_weight(weight: torch.Tensor, training: bool) -> torch.Tensor:
    """sign(W - mean(W)) * mean|W - mean(W)|, both means per output channel (dim 0).

    Computed from the latent float weight in every forward, so an exported graph carries
    this subgraph on the weight initializer (unless the exporter folds it).
    """
    dims = list(range(1, weight.dim()))
    centered = weight - weight.mean(dim=dims, keepdim=True)
    scale = centered.abs().mean(dim=dims, keepdim=True)
    return binary_sign(centered, training) * scale


class BinaryConv1d(nn.Conv1d):
    """Conv1d on sign(input) with binarized weights; a plain Conv1d when binarize is False."""

    def __init__(self, *args, binarize: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.binarize = binarize

    def forward(self, x):
        if not self.binarize:
            return super().forward(x)
        return self._conv_forward(binary_sign(x, self.training),
                                  binarize_weight(self.weight, self.training), self.bias)


class BinaryConv2d(nn.Conv2d):
    """Conv2d on sign(input) with binarized weights; a plain Conv2d when binarize is False."""

    def __init__(self, *args, binarize: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.binarize = binarize

    def forward(self, x):
        if not self.binarize:
            return super().forward(x)
        return self._conv_forward(binary_sign(x, self.training),
                                  binarize_weight(self.weight, self.training), self.bias)


class BinaryLinear(nn.Linear):
    """Linear on sign(input) with binarized weights; a plain Linear when binarize is False."""

    def __init__(self, *args, binarize: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.binarize = binarize

    def forward(self, x):
        if not self.binarize:
            return super().forward(x)
        return F.linear(binary_sign(x, self.training),
                        binarize_weight(self.weight, self.training), self.bias)


class DFSMNBlock(nn.Module):
    """One D-FSMN block on [B, memory_size, T], as in BiFSMN's BiDfsmnLayerBN:

        memory = x + PReLU(BN(depthwise memory conv over time(x)))
        hidden = PReLU(BN(1x1 conv memory_size -> hidden_size (memory)))
        out    = memory + PReLU(BN(1x1 conv hidden_size -> memory_size (hidden)))

    Exactly three binary layers: the memory conv, the expansion and the projection.
    """

    def __init__(self, memory_size: int = 128, hidden_size: int = 256, kernel_size: int = 5,
                 binarize: bool = True):
        super().__init__()
        self.memory = BinaryConv1d(memory_size, memory_size, kernel_size,
                                   padding=kernel_size // 2, groups=memory_size, bias=False,
                                   binarize=binarize)
        self.memory_bn = nn.BatchNorm1d(memory_size)
        self.memory_act = nn.PReLU(memory_size)
        self.expand = BinaryConv1d(memory_size, hidden_size, 1, bias=False, binarize=binarize)
        self.expand_bn = nn.BatchNorm1d(hidden_size)
        self.expand_act = nn.PReLU(hidden_size)
        self.project = BinaryConv1d(hidden_size, memory_size, 1, bias=False, binarize=binarize)
        self.project_bn = nn.BatchNorm1d(memory_size)
        self.project_act = nn.PReLU(memory_size)

    def forward(self, x):
        memory, projection = self.memory_and_projection(x)
        return memory + self.project_act(self.project_bn(projection))

    def memory_and_projection(self, x):
        """The block up to its projection conv: (memory, projection before its BN)."""
        memory = x + self.memory_act(self.memory_bn(self.memory(x)))
        hidden = self.expand_act(self.expand_bn(self.expand(memory)))
        return memory, self.project(hidden)


class SwitchableDFSMNBlock(DFSMNBlock):
    """A DFSMNBlock of a thinnable network: the three binary layers and the memory and
    expansion BN/PReLU are shared by all widths; the projection's BN and PReLU are
    switchable, one per width (`project_bn[w]`, `project_act[w]`), as bn0..bn3 and
    act0..act3 of BiFSMN's BiDfsmnLayerBN_thinnable."""

    def __init__(self, num_widths: int, memory_size: int = 128, hidden_size: int = 256,
                 kernel_size: int = 5, binarize: bool = True):
        super().__init__(memory_size, hidden_size, kernel_size, binarize)
        # Replace the single projection BN and PReLU (same names, so `<layer>_bn` still
        # names the BNs after the projection).
        self.project_bn = nn.ModuleList(nn.BatchNorm1d(memory_size) for _ in range(num_widths))
        self.project_act = nn.ModuleList(nn.PReLU(memory_size) for _ in range(num_widths))

    def forward(self, x, width: int):
        memory, projection = self.memory_and_projection(x)
        return memory + self.project_act[width](self.project_bn[width](projection))


class BiFSMN(nn.Module):
    """The whole keyword spotter; `binarize=False` gives its float twin (same parameters)."""

    def __init__(self, num_classes: int = 12, n_mels: int = 32, frontend_channels: int = 32,
                 memory_size: int = 128, hidden_size: int = 256, num_blocks: int = 8,
                 kernel_size: int = 5, binarize: bool = True):
        super().__init__()
        if n_mels % 4 != 0:
            raise ValueError(f"n_mels must be a multiple of 4 (two stride-2 convs), got {n_mels}")
        c = frontend_channels
        self.conv1 = nn.Conv2d(1, c, 5, stride=2, padding=2, bias=False)
        self.conv1_bn = nn.BatchNorm2d(c)
        self.conv1_act = nn.PReLU(c)
        self.conv2 = BinaryConv2d(c, c, 5, stride=2, padding=2, bias=False, binarize=binarize)
        self.conv2_bn = nn.BatchNorm2d(c)
        self.conv2_act = nn.PReLU(c)
        self.linear = BinaryLinear(c * (n_mels // 4), memory_size, binarize=binarize)
        self.linear_bn = nn.BatchNorm1d(memory_size)
        self.linear_act = nn.PReLU(memory_size)
        self.blocks = nn.ModuleList(
            DFSMNBlock(memory_size, hidden_size, kernel_size, binarize) for _ in range(num_blocks))
        self.classifier = nn.Linear(memory_size, num_classes)

    def set_binarize(self, binarize: bool) -> None:
        for module in self.modules():
            if isinstance(module, (BinaryConv1d, BinaryConv2d, BinaryLinear)):
                module.binarize = binarize

    def forward(self, mel, blocks: Sequence[int] | None = None):
        return self.forward_features(mel, blocks)[0]

    def forward_features(self, mel, blocks: Sequence[int] | None = None):
        """Returns (logits, outputs of the kept blocks in order).

        `blocks` lists the indices of the blocks to run (default: all); a skipped block is
        the identity, which is how a thinnable variant drops blocks.
        """
        kept = self._kept_blocks(blocks)
        x = self.front_end(mel)
        features = []
        for index in kept:
            x = self.blocks[index](x)
            features.append(x)
        return self.head(x), features

    def front_end(self, mel):
        """mel [B,1,F,T] -> the blocks' input [B,M,T/4]."""
        x = self.conv1_act(self.conv1_bn(self.conv1(mel)))       # [B,C,F/2,T/2]
        x = self.conv2_act(self.conv2_bn(self.conv2(x)))         # [B,C,F/4,T/4]
        frames = x.flatten(1, 2).transpose(1, 2)                 # [B,T/4,C*F/4]
        x = self.linear(frames).transpose(1, 2)                  # [B,M,T/4]
        return self.linear_act(self.linear_bn(x))

    def head(self, x):
        """The last block's output [B,M,T/4] -> logits [B,classes]."""
        return self.classifier(x.mean(dim=2))

    def _kept_blocks(self, blocks: Sequence[int] | None) -> list[int]:
        if blocks is None:
            return list(range(len(self.blocks)))
        kept = list(blocks)
        if kept != sorted(set(kept)) or any(i < 0 or i >= len(self.blocks) for i in kept):
            raise ValueError(f"blocks must be increasing indices in [0, {len(self.blocks)}), "
                             f"got {kept}")
        return kept


class ThinnableBiFSMN(BiFSMN):
    """BiFSMN with its Thinnable Binarization Architecture (TBA): one network that runs at
    several widths. The width of interval L (L divides num_blocks) keeps the blocks i
    (0-based) with (i + 1) % L == 0 and replaces the others by the identity: with 8 blocks,
    L=1 keeps all, L=2 blocks 1,3,5,7, L=4 blocks 3,7 and L=8 block 7.

    Everything is shared by the widths except each block's projection BN and PReLU, which
    are switchable (SwitchableDFSMNBlock): width w = intervals.index(L) uses
    `blocks[i].project_bn[w]` and `blocks[i].project_act[w]`.

    Training all widths together: for each L in `intervals`, `forward_features(mel, L)`
    returns that width's logits and its kept blocks' outputs, which line up with the
    outputs of blocks `kept_blocks(L)` of a full-depth float teacher (for distillation).
    """

    def __init__(self, intervals: Sequence[int] = (1, 2, 4, 8), num_classes: int = 12,
                 n_mels: int = 32, frontend_channels: int = 32, memory_size: int = 128,
                 hidden_size: int = 256, num_blocks: int = 8, kernel_size: int = 5,
                 binarize: bool = True):
        # The plain blocks are replaced by switchable ones below.
        super().__init__(num_classes, n_mels, frontend_channels, memory_size, hidden_size,
                         num_blocks=0, kernel_size=kernel_size, binarize=binarize)
        intervals = tuple(intervals)
        if (not intervals or list(intervals) != sorted(set(intervals))
                or any(L < 1 or num_blocks % L != 0 for L in intervals)):
            raise ValueError(f"intervals must be increasing divisors of num_blocks="
                             f"{num_blocks}, got {intervals}")
        self.intervals = intervals
        self.blocks = nn.ModuleList(
            SwitchableDFSMNBlock(len(intervals), memory_size, hidden_size, kernel_size,
                                 binarize)
            for _ in range(num_blocks))

    def kept_blocks(self, interval: int) -> list[int]:
        """The indices of the blocks the width of `interval` runs."""
        self._width(interval)  # rejects an interval the model was not built for
        return [i for i in range(len(self.blocks)) if (i + 1) % interval == 0]

    def forward(self, mel, interval: int = 1, bn_interval: int | None = None):
        return self.forward_features(mel, interval, bn_interval)[0]

    def forward_features(self, mel, interval: int = 1, bn_interval: int | None = None):
        """Returns (logits, outputs of the kept blocks in order) of the width of `interval`.

        The kept blocks use the switchable BN/PReLU of `bn_interval` (default: `interval`'s
        own). `bn_interval=1` with a larger `interval` is the full network thinned as a
        single graph: its blocks skipped, its BNs unchanged.
        """
        return self.blocks_and_head(self.front_end(mel), interval, bn_interval)

    def blocks_and_head(self, x, interval: int = 1, bn_interval: int | None = None):
        """forward_features from the front end's output `x` on: training every width of a
        batch computes the shared front end once."""
        width = self._width(interval if bn_interval is None else bn_interval)
        features = []
        for index in self.kept_blocks(interval):
            x = self.blocks[index](x, width)
            features.append(x)
        return self.head(x), features

    def _width(self, interval: int) -> int:
        if interval not in self.intervals:
            raise ValueError(f"interval must be one of {self.intervals}, got {interval}")
        return self.intervals.index(interval)
