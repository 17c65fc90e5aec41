"""Writes the fixtures of the Java tests (examples/src/test/.../kws) into fixtures/:

    NAME.wav     16 kHz mono 16-bit PCM audio
    NAME.logmel  its log-mel features by features.py: float32 little-endian, [32 bands][frames]
    fixtures.csv NAME,label,source

Three clips of the test split (voices that training never heard): the first, in manifest
order, of "yes" in an en-us voice, of "stop" in an en-gb voice and of silence, that the
trained BiFSMN (models/kws_hed_L1.onnx and _L2.onnx, in ONNX Runtime) recognizes at
intervals 1 and 2 -- the tests check the Java pipeline against these, not accuracy; and
"go" spoken by espeak-ng in a test voice as it comes (shorter than a second, not padded),
the first test voice in sorted order whose clip both widths recognize. Run after train.py:

    /work/venv/bin/python examples/bifsmn/kws/make_fixtures.py [--data /work/kws-data]
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil

import numpy as np
import onnxruntime as ort

from features import log_mel
from kws_classes import LABELS, SILENCE
from make_dataset import speak, write_wav
from train import read_wav

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")


def recognizers() -> list[ort.InferenceSession]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return [ort.InferenceSession(os.path.join(HERE, "models", f"kws_hed_L{interval}.onnx"), options,
                                 providers=["CPUExecutionProvider"]) for interval in (1, 2)]


def recognized(sessions, audio: np.ndarray, label: str) -> bool:
    one_second = np.zeros(16000)
    one_second[:min(audio.size, 16000)] = audio[:16000]
    mel = log_mel(one_second)[None, None]
    return all(LABELS[int(np.argmax(s.run(None, {"mel": mel})[0]))] == label for s in sessions)


def write_fixture(name: str, audio: np.ndarray) -> None:
    write_wav(os.path.join(FIXTURES, f"{name}.wav"), audio)
    audio = read_wav(os.path.join(FIXTURES, f"{name}.wav"))  # as quantized in the file
    log_mel(audio).astype("<f4").tofile(os.path.join(FIXTURES, f"{name}.logmel"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/work/kws-data")
    args = parser.parse_args()
    sessions = recognizers()
    with open(os.path.join(args.data, "test.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    shutil.rmtree(FIXTURES, ignore_errors=True)
    os.makedirs(FIXTURES)
    chosen = []
    for name, label, accent in (("yes", "yes", "en-us+"), ("stop", "stop", "en-gb+"),
                                ("silence", SILENCE, "")):
        row = next(r for r in rows if r["label"] == label and r["voice"].startswith(accent)
                   and recognized(sessions, read_wav(os.path.join(args.data, r["path"])), label))
        write_fixture(name, read_wav(os.path.join(args.data, row["path"])))
        chosen.append((name, label, f"test split: {row['path']}"))
    voices = sorted({r["voice"] for r in rows if r["voice"].startswith("en-us+")})
    for voice in voices:
        variant = voice.split("+")[1]
        audio = speak("en-us", "" if variant == "default" else variant, "go", 175, 50)
        if recognized(sessions, audio, "go"):
            write_fixture("go-short", audio)
            chosen.append(("go-short", "go", f"espeak-ng -v {voice} go ({audio.size} samples)"))
            break
    with open(os.path.join(FIXTURES, "fixtures.csv"), "w", newline="") as f:
        csv.writer(f).writerows([("name", "label", "source")] + chosen)
    for fixture in chosen:
        print(*fixture)


if __name__ == "__main__":
    main()
