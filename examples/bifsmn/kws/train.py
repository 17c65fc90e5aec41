"""Trains the keyword spotters of examples/bifsmn/kws on the corpus of make_dataset.py and
exports them to ONNX (TorchScript exporter, opset 13, no constant folding, as
examples/bifsmn/export_tba.py does), each checked against PyTorch with ONNX Runtime:

    models/kws_fp.onnx              the full-precision D-FSMN teacher (BiFSMN(binarize=False))
    models/kws_hed_L{1,2,4,8}.onnx  BiFSMN with TBA (ThinnableBiFSMN, widths of intervals 1,
                                    2, 4, 8 trained together, switchable projection BNs),
                                    distilled from the teacher with HED
    models/kws_nohed_L{1,2,4,8}.onnx  the same without HED (the ablation)

Student training, per batch and for every width L: cross entropy + logit distillation
(KL at temperature 4) + HED on each kept block (the teacher's block at the same depth), the
widths' losses weighted by WIDTH_WEIGHTS. HED (BiFSMN, section 3.2): the teacher's block
output [C, T] goes through a 2-D Haar wavelet transform, the low band is set to zero and
the inverse transform gives its high-frequency part; both are L2-normalized and added, and
the student's output is matched to that by the attention-style loss
|| S/||S|| - T_hed/||T_hed|| ||_2.

Each trained model is saved to DATA/checkpoints (a re-run loads it instead of training it
again; delete the folder to retrain). Seeded; torch runs on one thread by default
(--threads, at most 2). Run from anywhere:

    /work/venv/bin/python examples/bifsmn/kws/train.py [--data /work/kws-data]
"""
from __future__ import annotations

import argparse
import csv
import copy
import json
import math
import os
import sys
import time
import wave

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # examples/bifsmn: the models and export helpers

from export import export_torchscript  # noqa: E402
from export_common import calibrate_batchnorm, check_against_onnxruntime, summarize  # noqa: E402
from export_tba import fixed_width  # noqa: E402
from features import log_mel  # noqa: E402
from kws_classes import LABELS, SAMPLE_RATE  # noqa: E402
from model import (BiFSMN, BinaryConv1d, BinaryConv2d, BinaryLinear,  # noqa: E402
                   ThinnableBiFSMN)

SEED = 7
INTERVALS = (1, 2, 4, 8)
WIDTH_WEIGHTS = {1: 1.0, 2: 0.8, 4: 0.6, 8: 0.4}
KD_TEMPERATURE = 4.0
KD_WEIGHT = 1.0
HED_WEIGHT = 1.0
BATCH = 64


def read_split(data: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """(features [N,1,32,32] float32, labels [N]) of a split, cached next to its manifest."""
    manifest = os.path.join(data, f"{split}.csv")
    cache = os.path.join(data, f"{split}.features.npz")
    if os.path.exists(cache) and os.path.getmtime(cache) > os.path.getmtime(manifest):
        cached = np.load(cache)
        return cached["x"], cached["y"]
    with open(manifest, newline="") as f:
        rows = list(csv.DictReader(f))
    audio = np.stack([read_wav(os.path.join(data, row["path"])) for row in rows])
    x = np.concatenate([log_mel(audio[i:i + 512]) for i in range(0, len(audio), 512)])[:, None]
    y = np.array([LABELS.index(row["label"]) for row in rows], dtype=np.int64)
    np.savez(cache, x=x, y=y)
    return x, y


def read_wav(path: str) -> np.ndarray:
    with wave.open(path, "rb") as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise ValueError(f"{path}: not 16 kHz mono 16-bit PCM")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0


def spec_augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One random band mask (up to 4 bands) and one frame mask (up to 4 frames) per clip,
    filled with the clip's minimum (its dB floor)."""
    b, _, bands, frames = x.shape
    floor = x.amin(dim=(1, 2, 3), keepdim=True)
    band = torch.arange(bands).view(1, 1, bands, 1)
    frame = torch.arange(frames).view(1, 1, 1, frames)
    masked = torch.zeros_like(x, dtype=torch.bool)
    for positions, size in ((band, bands), (frame, frames)):
        width = torch.randint(0, 5, (b, 1, 1, 1), generator=generator)
        start = (torch.rand(b, 1, 1, 1, generator=generator) * (size - width + 1)).long()
        masked |= (positions >= start) & (positions < start + width)
    return torch.where(masked, floor, x)


def haar_dwt(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """One level of the orthonormal 2-D Haar transform of x [B, H, W] (H, W even):
    (LL, LH, HL, HH), each [B, H/2, W/2]."""
    a, b = x[:, 0::2, 0::2], x[:, 0::2, 1::2]
    c, d = x[:, 1::2, 0::2], x[:, 1::2, 1::2]
    return (a + b + c + d) / 2, (a - b + c - d) / 2, (a + b - c - d) / 2, (a - b - c + d) / 2


def haar_idwt(ll, lh, hl, hh) -> torch.Tensor:
    """The inverse of haar_dwt."""
    out = ll.new_empty(ll.shape[0], ll.shape[1] * 2, ll.shape[2] * 2)
    out[:, 0::2, 0::2] = (ll + lh + hl + hh) / 2
    out[:, 0::2, 1::2] = (ll - lh + hl - hh) / 2
    out[:, 1::2, 0::2] = (ll + lh - hl - hh) / 2
    out[:, 1::2, 1::2] = (ll - lh - hl + hh) / 2
    return out


def unit(x: torch.Tensor) -> torch.Tensor:
    """Each sample L2-normalized over all its elements."""
    return x / x.flatten(1).norm(dim=1).clamp_min(1e-8).view(-1, *[1] * (x.dim() - 1))


def high_frequency_enhanced(teacher: torch.Tensor) -> torch.Tensor:
    """HED's target: the teacher's representation [B, C, T] plus its high-frequency part
    (low band of the 2-D Haar transform removed), both normalized."""
    _, lh, hl, hh = haar_dwt(teacher)
    high = haar_idwt(torch.zeros_like(lh), lh, hl, hh)
    return unit(teacher) + unit(high)


def hed_loss(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    return (unit(student) - unit(high_frequency_enhanced(teacher))).flatten(1).norm(dim=1).mean()


def logit_distillation(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    t = KD_TEMPERATURE
    return F.kl_div(F.log_softmax(student / t, dim=1), F.softmax(teacher / t, dim=1),
                    reduction="batchmean") * t * t


def batches(x: np.ndarray, y: np.ndarray, generator: torch.Generator, shuffle: bool):
    order = torch.randperm(len(x), generator=generator) if shuffle else torch.arange(len(x))
    for i in range(0, len(x), BATCH):
        index = order[i:i + BATCH].numpy()
        yield torch.from_numpy(x[index]), torch.from_numpy(y[index])


@torch.no_grad()
def accuracy(forward, x: np.ndarray, y: np.ndarray) -> float:
    correct = 0
    for xb, yb in batches(x, y, None, shuffle=False):
        correct += (forward(xb).argmax(dim=1) == yb).sum().item()
    return correct / len(x)


def cosine_schedule(optimizer, steps: int):
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * min(step, steps) / max(steps, 1))))


def train_teacher(model: BiFSMN, train, validation, epochs: int, generator) -> None:
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    schedule = cosine_schedule(optimizer, epochs * math.ceil(len(train[0]) / BATCH))
    for epoch in range(epochs):
        model.train()
        start, total = time.time(), 0.0
        for xb, yb in batches(*train, generator, shuffle=True):
            loss = F.cross_entropy(model(spec_augment(xb, generator)), yb, label_smoothing=0.05)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(xb)
        model.eval()
        print(f"teacher epoch {epoch + 1}/{epochs}: loss {total / len(train[0]):.4f}, "
              f"validation {accuracy(model, *validation):.4f} ({time.time() - start:.0f} s)",
              flush=True)


def start_from(student: ThinnableBiFSMN, teacher: BiFSMN) -> None:
    """The student's latent weights, BNs and PReLUs start as the teacher's (every width's
    switchable projection BN and PReLU too)."""
    state = {}
    for name, tensor in teacher.state_dict().items():
        parts = name.split(".")
        if parts[0] == "blocks" and parts[2] in ("project_bn", "project_act"):
            for w in range(len(INTERVALS)):
                state[".".join(parts[:3] + [str(w)] + parts[3:])] = tensor
        else:
            state[name] = tensor
    student.load_state_dict(state)


def train_student(student: ThinnableBiFSMN, teacher: BiFSMN, train, validation, epochs: int,
                  hed: bool, generator) -> None:
    label = "hed" if hed else "nohed"
    start_from(student, teacher)
    teacher.eval()
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    schedule = cosine_schedule(optimizer, epochs * math.ceil(len(train[0]) / BATCH))
    for epoch in range(epochs):
        student.train()
        start, totals = time.time(), {L: 0.0 for L in INTERVALS}
        for xb, yb in batches(*train, generator, shuffle=True):
            xb = spec_augment(xb, generator)
            with torch.no_grad():
                teacher_logits, teacher_blocks = teacher.forward_features(xb)
            loss = 0.0
            front_end = student.front_end(xb)  # shared by the widths
            for L in INTERVALS:
                logits, blocks = student.blocks_and_head(front_end, L)
                width_loss = (F.cross_entropy(logits, yb)
                              + KD_WEIGHT * logit_distillation(logits, teacher_logits))
                if hed:
                    kept = student.kept_blocks(L)
                    width_loss = width_loss + HED_WEIGHT * sum(
                        hed_loss(s, teacher_blocks[i]) for s, i in zip(blocks, kept)) / len(kept)
                loss = loss + WIDTH_WEIGHTS[L] * width_loss
                totals[L] += width_loss.item() * len(xb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        student.eval()
        scores = ", ".join(f"L{L} {accuracy(lambda x: student(x, L), *validation):.4f}"
                           for L in INTERVALS)
        losses = ", ".join(f"L{L} {totals[L] / len(train[0]):.3f}" for L in INTERVALS)
        print(f"{label} epoch {epoch + 1}/{epochs}: loss {losses}; validation {scores} "
              f"({time.time() - start:.0f} s)", flush=True)


def recalibrate(model: nn.Module, x: np.ndarray, forward) -> None:
    """BN running statistics as the mean batch statistics over the (unaugmented) training
    set, every width run on every batch (instead of the momentum average, which lags)."""
    calibrate_batchnorm(model, [torch.from_numpy(x[i:i + 256]) for i in range(0, len(x), 256)],
                        forward)


@torch.no_grad()
def separate_weight_sign_ties(model: nn.Module, margin: float = 1e-4) -> int:
    """Moves every latent weight of a binary layer that lies within `margin` x (its channel's
    mean |W - mean W|) of its channel mean to twice that distance, on the side of its sign
    (a tie to +). Otherwise sign(W - mean W) depends on how a runtime rounds the mean: an
    element that PyTorch finds exactly on the mean (sign 0) was +1 in ONNX Runtime, which
    changed every logit of a trained model by ~0.05. Returns how many weights moved."""
    moved = 0
    for module in model.modules():
        if isinstance(module, (BinaryConv1d, BinaryConv2d, BinaryLinear)) and module.binarize:
            weight = module.weight
            dims = list(range(1, weight.dim()))
            for _ in range(10):  # moving a weight moves its channel's mean a little
                centered = weight - weight.mean(dim=dims, keepdim=True)
                limit = margin * centered.abs().mean(dim=dims, keepdim=True)
                close = centered.abs() < limit
                if not close.any():
                    break
                moved += int(close.sum())
                side = torch.where(centered >= 0, 1.0, -1.0)
                weight += torch.where(close, side * (2 * limit - centered.abs()), 0.0)
            else:
                raise AssertionError(f"weight sign ties of {module} do not separate")
    return moved


def export(model: nn.Module, path: str, check: torch.Tensor) -> dict:
    export_torchscript(model, path)
    diff = check_against_onnxruntime(model, path, check)
    print(summarize(path))
    print(f"  max |onnxruntime - torch| over {len(check)} test inputs: {diff:.3g}", flush=True)
    return {"file": os.path.basename(path), "max_abs_diff_onnxruntime": diff}


def seeded(stream: int) -> torch.Generator:
    """Each model's own random stream, so that one trains the same whether or not the
    models before it were loaded from checkpoints."""
    return torch.Generator().manual_seed(SEED * 1000 + stream)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/work/kws-data")
    parser.add_argument("--out", default=os.path.join(HERE, "models"))
    parser.add_argument("--teacher-epochs", type=int, default=5)
    parser.add_argument("--student-epochs", type=int, default=8)
    parser.add_argument("--students", default="hed,nohed",
                        help="which students to train (the others must be in the checkpoints); "
                             "two runs with one each train them in parallel")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoints", help="default: DATA/checkpoints")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    # The machine is shared: at most 2 threads; 1 is the default because a second thread
    # competing with other jobs made steps ten times slower here.
    torch.set_num_threads(min(args.threads, 2))
    began = time.time()
    train, validation, test = (read_split(args.data, s) for s in ("train", "validation", "test"))
    print(f"features: train {len(train[0])}, validation {len(validation[0])}, test "
          f"{len(test[0])} clips ({time.time() - began:.0f} s)", flush=True)

    os.makedirs(args.out, exist_ok=True)
    timings, results = {}, {}
    check = torch.from_numpy(test[0][:: max(1, len(test[0]) // 32)][:32])
    checkpoints = args.checkpoints or os.path.join(args.data, "checkpoints")
    os.makedirs(checkpoints, exist_ok=True)

    def trained(name: str, model: nn.Module, train_and_calibrate) -> None:
        """Trains `model` or, when a previous run saved it, loads it (with its training time)."""
        path = os.path.join(checkpoints, f"{name}.pt")
        if os.path.exists(path):
            saved = torch.load(path)
            model.load_state_dict(saved["state"])
            print(f"{name}: loaded {path}", flush=True)
        else:
            start = time.time()
            train_and_calibrate(model)
            saved = {"state": model.state_dict(), "seconds": time.time() - start}
            torch.save(saved, path)
        model.eval()
        timings[name] = saved["seconds"]

    teacher = BiFSMN(num_classes=len(LABELS), binarize=False)
    trained("teacher", teacher, lambda m: (
        train_teacher(m, train, validation, args.teacher_epochs, seeded(0)),
        recalibrate(m, train[0], None)))
    results["fp"] = {"test_accuracy_pytorch": accuracy(teacher, *test),
                     **export(teacher, os.path.join(args.out, "kws_fp.onnx"), check)}
    for hed in (True, False):
        name = "hed" if hed else "nohed"
        if name not in args.students.split(","):
            continue
        student = ThinnableBiFSMN(INTERVALS, num_classes=len(LABELS))
        trained(name, student, lambda m: (
            train_student(m, teacher, train, validation, args.student_epochs, hed,
                          seeded(1 if hed else 2)),
            recalibrate(m, train[0], lambda b: torch.cat([m(b, L) for L in INTERVALS]))))
        results[f"{name}_weights_moved_off_sign_ties"] = separate_weight_sign_ties(student)
        for L in INTERVALS:
            width = fixed_width(student, L, L)
            results[f"{name}_L{L}"] = {
                "test_accuracy_pytorch": accuracy(width, *test),
                **export(width, os.path.join(args.out, f"kws_{name}_L{L}.onnx"), check)}
    summary = {"timings_s": {k: round(v) for k, v in timings.items()},
               "total_s": round(time.time() - began), "results": results}
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
