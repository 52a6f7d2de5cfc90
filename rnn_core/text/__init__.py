"""Text mode: a character-level network that predicts the next character (issue 17).

The pieces, each in its module (no TensorFlow is imported until a training starts):

- ``corpora``: the texts (``python-stdlib``, ``brackets``, your own via ``read_text``);
- ``vocab``: the characters known, with one unknown symbol;
- ``prepare``: the held-out part and the windows (``prepare_text``);
- ``baselines``: unigram and bigram bits per character on the held-out characters;
- ``train``: ``train_text`` → ``TextRun`` (in a worker process, like a series training);
- ``network``: ``TextNetwork``, the trained network in numpy, and sampling.

>>> from rnn_core.config import RunConfig
>>> is_text(RunConfig(dataset="brackets")), is_text(RunConfig())
(True, False)
>>> not_applicable(RunConfig(dataset="brackets"))["horizon"]
'Not used by a text: the network predicts the next character at every step.'
>>> sorted(not_applicable(RunConfig()))[:2]
['brackets_depth', 'embedding_dim']
"""

from __future__ import annotations

from typing import Any

from ..config import TEXTS
from .baselines import bigram_bits, unigram_bits
from .corpora import MAX_TEXT_BYTES, STDLIB_FILES, Corpus, corpus, read_text
from .network import MAX_SAMPLE_CHARS, MAX_TEMPERATURE, Sample, TextNetwork
from .prepare import TextPrepared, prepare_text
from .train import TextRun, check_cost, estimate_seconds, train_text, verdict
from .vocab import MAX_VOCAB, UNKNOWN, Vocab

__all__ = ["MAX_SAMPLE_CHARS", "MAX_TEMPERATURE", "MAX_TEXT_BYTES", "MAX_VOCAB", "STDLIB_FILES",
           "UNKNOWN", "Corpus", "Sample", "TextNetwork", "TextPrepared", "TextRun", "Vocab",
           "bigram_bits", "check_cost", "corpus", "estimate_seconds", "is_text", "not_applicable", "prepare_text", "read_text",
           "train_text", "unigram_bits", "verdict", "TEXT_FIELDS"]

# the settings only a text reads (drawn on the Text page)
TEXT_FIELDS: tuple[str, ...] = ("text_chars", "text_input", "embedding_dim", "brackets_depth",
                                "text_seed")
_WINDOWS = "a text is cut into windows of T characters end to end"
# series and task settings a text does not read, and why
_NOT_FOR_TEXTS = {
    "stride": _WINDOWS, "window_scope": _WINDOWS, "pad": _WINDOWS,
    "horizon": "the network predicts the next character at every step",
    "layout": "a text's window is read one character per step",
    "output_activation": "the output is a softmax over the characters",
    "scaler_fit": "characters are not scaled", "transform": "characters are not scaled",
    "interval_level": "a text is judged in bits per character against its baselines",
    "sine_length": "it shapes the sine series", "sine_frequency": "it shapes the sine series",
    "sine_noise": "it shapes the sine series", "sine_seed": "it shapes the sine series",
    "train_sequences": "it is for the recall and adding tasks",
    "test_sequences": "it is for the recall and adding tasks",
    "task_seed": "it is for the recall and adding tasks",
}


def is_text(config: Any) -> bool:
    """Whether ``config`` trains a character-level network on a text."""
    return getattr(config, "dataset", None) in TEXTS


def not_applicable(config: Any) -> dict[str, str]:
    """The settings ``config`` does not read, each with the reason as a sentence. Composes
    with ``tasks.not_applicable`` (``{**tasks.not_applicable(c), **not_applicable(c)}``):
    for a series or a task config this gives the text settings only."""
    if not is_text(config):
        return {name: "Used by the texts only (python-stdlib, brackets, your own text)."
                for name in TEXT_FIELDS}
    out = {name: f"Not used by a text: {why}." for name, why in _NOT_FOR_TEXTS.items()}
    if config.text_input != "embedding":
        out["embedding_dim"] = "Used with embedding input only (the input is one-hot)."
    if config.dataset != "brackets":
        for name in ("brackets_depth", "text_seed"):
            out[name] = "Used by the generated brackets text only."
    return out
