"""Synthesizes a Speech-Commands-like keyword corpus with espeak-ng: 1 s clips, 16 kHz mono
16-bit PCM, 12 classes (the 10 keywords, "unknown" and "silence"), written as WAV files with
one manifest per split:

    OUT/train.csv, OUT/validation.csv, OUT/test.csv   path,label,voice,word,speed,pitch,noise,snr_db,gain_db
    OUT/<split>/<label>/<clip>.wav

A voice is an espeak-ng variant (timbre, pitch range, formants: "f3", "klatt2", "grandpa",
or the plain voice); each variant is spoken in every English accent espeak-ng has. The split
is by variant, so no voice of the validation or test split is heard in training. Every
utterance gets a random speed and pitch; every clip a random time shift, gain and noise
(white, pink, brown or mains hum at 0-30 dB SNR, or none); "silence" clips are noise alone.
Everything is seeded: a re-run gives the same files. Needs espeak-ng (Debian package).

    /work/venv/bin/python examples/bifsmn/kws/make_dataset.py [--out /work/kws-data] [--workers 2]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import multiprocessing
import os
import shutil
import subprocess
import sys
import wave

import numpy as np

from kws_classes import KEYWORDS, LABELS, SAMPLE_RATE, SILENCE, UNKNOWN

SEED = 20260307
ACCENTS = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
           "en-gb-x-rp", "en-029", "en-us-nyc"]
# The auxiliary words of Speech Commands v2: the "unknown" class.
UNKNOWN_WORDS = ["bed", "bird", "cat", "dog", "eight", "five", "four", "happy", "house", "marvin",
                 "nine", "one", "seven", "sheila", "six", "three", "tree", "two", "wow", "zero",
                 "backward", "forward", "follow", "learn", "visual"]
SPLIT_VOICES = {"validation": 10, "test": 15}  # the rest train
# Per (accent, voice): utterances of each keyword and of random unknown words, and augmented
# copies of each utterance; silence clips per (accent, voice, copy).
COPIES = {"train": 2, "validation": 1, "test": 1}
KEYWORD_TAKES = 1
UNKNOWN_TAKES = 2
SILENCE_TAKES = 1
ESPEAK_RATE = 22050
MAX_SAMPLES = SAMPLE_RATE  # one second


def variants() -> list[str]:
    """espeak-ng's variant files, sorted, plus "" for each accent's own voice."""
    listing = subprocess.run(["espeak-ng", "--voices=variant"], check=True, capture_output=True,
                             text=True).stdout.splitlines()[1:]
    names = set()
    for line in listing:
        fields = line.split()
        # The file column is "!v/NAME"; "Mr serious" has a space in its file name: skip it.
        if len(fields) >= 5 and fields[4].startswith("!v/") and len(fields) == 5:
            names.add(fields[4][3:])
    return [""] + sorted(names)


def split_voices(voices: list[str]) -> dict[str, list[str]]:
    order = np.random.default_rng(SEED).permutation(len(voices))
    shuffled = [voices[i] for i in order]
    splits, start = {}, 0
    for split, count in SPLIT_VOICES.items():
        splits[split] = sorted(shuffled[start:start + count])
        start += count
    splits["train"] = sorted(shuffled[start:])
    return splits


def rng_for(*key) -> np.random.Generator:
    """A generator seeded by a clip's identity, so results do not depend on the work order."""
    digest = hashlib.sha256(repr((SEED,) + key).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def speak(accent: str, voice: str, word: str, speed: int, pitch: int) -> np.ndarray:
    """espeak-ng's utterance at 16 kHz, float in [-1, 1], leading and trailing silence cut."""
    name = accent + ("+" + voice if voice else "")
    raw = subprocess.run(["espeak-ng", "-v", name, "-s", str(speed), "-p", str(pitch), "--stdout",
                          word], check=True, capture_output=True).stdout
    # --stdout writes a 44-byte header with placeholder lengths: take the samples after it.
    header = raw[:44]
    if header[:4] != b"RIFF" or int.from_bytes(header[24:28], "little") != ESPEAK_RATE:
        raise RuntimeError(f"espeak-ng -v {name}: unexpected output header {header!r}")
    audio = np.frombuffer(raw[44:len(raw) - (len(raw) - 44) % 2], dtype="<i2") / 32768.0
    audio = resample(audio, ESPEAK_RATE, SAMPLE_RATE)
    loud = np.flatnonzero(np.abs(audio) > 0.02 * np.abs(audio).max())
    if loud.size == 0:
        raise RuntimeError(f"espeak-ng -v {name} {word!r}: no audio")
    audio = audio[loud[0]:loud[-1] + 1]
    if audio.size > MAX_SAMPLES:  # a slow long word: keep its middle second
        start = (audio.size - MAX_SAMPLES) // 2
        audio = audio[start:start + MAX_SAMPLES]
    return audio


def resample(audio: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    """Band-limited resampling by truncating the spectrum (the clip ends in silence, so the
    wrap-around of the DFT does no harm)."""
    length = int(round(audio.size * new_rate / rate))
    spectrum = np.fft.rfft(audio)[:length // 2 + 1]
    return np.fft.irfft(spectrum, length) * (length / audio.size)


def noise(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One second of unit-RMS noise of the given colour."""
    if kind == "hum":
        t = np.arange(MAX_SAMPLES) / SAMPLE_RATE
        base = rng.choice([50.0, 60.0])
        signal = sum(rng.uniform(0.2, 1.0) * np.sin(2 * np.pi * base * k * t + rng.uniform(0, 6.3))
                     for k in range(1, 6))
        signal = signal + 0.05 * rng.standard_normal(MAX_SAMPLES)
    else:
        spectrum = np.fft.rfft(rng.standard_normal(MAX_SAMPLES))
        frequency = np.maximum(np.fft.rfftfreq(MAX_SAMPLES, 1 / SAMPLE_RATE), 20.0)
        exponent = {"white": 0.0, "pink": 0.5, "brown": 1.0}[kind]
        signal = np.fft.irfft(spectrum / frequency ** exponent, MAX_SAMPLES)
    return signal / np.sqrt(np.mean(signal ** 2))


NOISES = ["none", "white", "pink", "brown", "hum"]


def augment(utterance: np.ndarray | None, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """A one-second clip: the utterance (None for silence) at a random offset and gain, plus
    noise. Returns the clip and what was done."""
    clip = np.zeros(MAX_SAMPLES)
    if utterance is None:
        kind = rng.choice(NOISES[1:])
        gain_db = rng.uniform(-70, -20)  # noise RMS in dBFS
        clip += noise(kind, rng) * 10 ** (gain_db / 20)
        return clip, {"noise": kind, "snr_db": "", "gain_db": f"{gain_db:.1f}"}
    offset = rng.integers(0, MAX_SAMPLES - utterance.size + 1)
    clip[offset:offset + utterance.size] = utterance / np.abs(utterance).max()
    gain_db = rng.uniform(-30, -1)  # peak in dBFS
    clip *= 10 ** (gain_db / 20)
    kind = rng.choice(NOISES)
    snr_db = ""
    if kind != "none":
        snr = rng.uniform(0, 30)
        speech_rms = np.sqrt(np.mean(clip[offset:offset + utterance.size] ** 2))
        clip += noise(kind, rng) * speech_rms * 10 ** (-snr / 20)
        snr_db = f"{snr:.1f}"
    return clip, {"noise": kind, "snr_db": snr_db, "gain_db": f"{gain_db:.1f}"}


def write_wav(path: str, clip: np.ndarray) -> None:
    pcm = np.clip(np.round(clip * 32767), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())


def voice_jobs(split: str, accent: str, voice: str) -> list[tuple]:
    """The utterances of one (accent, voice): (label, word, take)."""
    rng = rng_for("words", split, accent, voice)
    jobs = [(word, word, take) for word in KEYWORDS for take in range(KEYWORD_TAKES)]
    jobs += [(UNKNOWN, str(word), take) for take, word in
             enumerate(rng.choice(UNKNOWN_WORDS, size=UNKNOWN_TAKES, replace=False))]
    jobs += [(SILENCE, "", take) for take in range(SILENCE_TAKES)]
    return jobs


def render(task: tuple) -> list[dict]:
    """All clips of one utterance (its augmented copies), written; returns their rows."""
    out, split, accent, voice, label, word, take = task
    voice_id = f"{accent}+{voice or 'default'}"
    rng = rng_for("utterance", split, accent, voice, label, word, take)
    speed, pitch = int(rng.integers(120, 241)), int(rng.integers(15, 86))
    utterance = None if label == SILENCE else speak(accent, voice, word, speed, pitch)
    rows = []
    for copy in range(COPIES[split]):
        clip, done = augment(utterance, rng_for("clip", split, accent, voice, label, word, take, copy))
        name = f"{voice_id}_{word or 'noise'}_{take}_{copy}.wav"
        path = os.path.join(split, label, name)
        write_wav(os.path.join(out, path), clip)
        rows.append({"path": path, "label": label, "voice": voice_id, "word": word,
                     "speed": speed if utterance is not None else "",
                     "pitch": pitch if utterance is not None else "", **done})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/work/kws-data")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("make_dataset.py: espeak-ng is not installed (apt-get install espeak-ng)")
    splits = split_voices(variants())
    for split, voices in splits.items():
        print(f"{split}: {len(voices)} voices x {len(ACCENTS)} accents: {' '.join(v or 'default' for v in voices)}")
    with multiprocessing.Pool(args.workers) as pool:
        for split in ("train", "validation", "test"):
            for label in LABELS:
                os.makedirs(os.path.join(args.out, split, label), exist_ok=True)
            tasks = [(args.out, split, accent, voice) + job
                     for voice in splits[split] for accent in ACCENTS
                     for job in voice_jobs(split, accent, voice)]
            rows = [row for rows in pool.imap(render, tasks, chunksize=16) for row in rows]
            with open(os.path.join(args.out, f"{split}.csv"), "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            counts = {label: sum(r["label"] == label for r in rows) for label in LABELS}
            print(f"{split}: {len(rows)} clips {counts}", flush=True)


if __name__ == "__main__":
    main()
