"""The 12 classes of the keyword spotter, in the order of the model's logits (as in the
Speech Commands 12-class task), and the audio format."""
KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
SILENCE = "_silence_"
UNKNOWN = "_unknown_"
LABELS = [SILENCE, UNKNOWN] + KEYWORDS
SAMPLE_RATE = 16000
