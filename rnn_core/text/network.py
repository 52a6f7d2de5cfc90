"""A trained character-level network in numpy, for the web server: no TensorFlow.

``TextNetwork(config, vocab, weights)`` runs the layers ``architecture`` lists for a text
config (``forward.Network``) with the cell steps of ``rnn_core.unroll``, over a text of any
length from a zero state, carrying the state from character to character:

- ``probs(text)``: (len(text), V), the next character's probabilities after each character;
- ``step_states(text)``: per recurrent layer, h after each character (and c and the gates of
  an LSTM or GRU, named as ``unroll`` names them), each (len(text), units);
- ``sample(prompt, n, temperature, seed)``: n characters drawn one at a time, each fed back,
  with the network's top 5 next characters at every step.

On a window of T characters (the network's training length) ``probs`` equals what the Keras
model predicts for it (``tests/core/test_text_network.py``), to float32 rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..activations import ACTIVATIONS
from ..errors import RnnExplorerError
from ..forward import Network
from ..unroll import (RECURRENT_KINDS, encode_input, gru_step, lstm_step,
                      simple_rnn_step, split_weights, unroll_layer)
from .vocab import Vocab

MAX_SAMPLE_CHARS = 2000  # characters one sample may generate
MAX_TEMPERATURE = 5.0
TOP_K = 5


@dataclass(frozen=True)
class Sample:
    """Generated text after ``prompt``; ``top5[i]`` the network's five likeliest characters
    (with their probabilities, at temperature 1) before generated character i was drawn."""

    prompt: str
    text: str
    top5: list[list[tuple[str, float]]]
    temperature: float
    seed: int


class TextNetwork:
    """A text network held as its weights (Keras ``get_weights()`` order), run in numpy."""

    def __init__(self, config: Any, vocab: Vocab, weights: Sequence[np.ndarray]):
        self.config, self.vocab = config, vocab
        self.network = Network(config, weights, config.time_steps, vocab.size)
        self.encoder = self.network.layers[0]
        self.recurrent = [l for l in self.network.layers if l.kind in RECURRENT_KINDS]
        self.dense = [l for l in self.network.layers if l.kind == "Dense"]
        self._weights = [split_weights(l.kind, l.arrays) for l in self.recurrent]

    def ids(self, text: str | np.ndarray) -> np.ndarray:
        """Character indices of ``text`` (a string, or indices already)."""
        return self.vocab.encode(text) if isinstance(text, str) else np.asarray(text, np.int64)

    def _head(self, h: np.ndarray) -> np.ndarray:
        for layer in self.dense:
            kernel, bias = layer.arrays
            h = ACTIVATIONS[layer.activation](h @ kernel + bias)
        return h

    def traces(self, text: str | np.ndarray) -> list[Any]:
        """``unroll.LayerTrace`` of every recurrent layer over the whole text."""
        seq = encode_input(self.encoder.kind, self.encoder, self.ids(text))
        out = []
        for layer, w in zip(self.recurrent, self._weights):
            trace = unroll_layer(layer.kind, w, seq, activation=layer.activation,
                                 recurrent_activation=layer.recurrent_activation,
                                 reset_after=layer.reset_after, name=layer.name,
                                 return_sequences=True)
            out.append(trace)
            seq = trace.h
        return out

    def step_states(self, text: str | np.ndarray) -> dict[str, dict[str, np.ndarray]]:
        """Layer name → {"h": …, "c": … (LSTM), gate name: …}, each (len(text), units)."""
        return _states_of(self.traces(text))

    def probs(self, text: str | np.ndarray) -> np.ndarray:
        """(len(text), V): the next character's probabilities after each character."""
        return self.states_and_probs(text)[1]

    def states_and_probs(self, text: str | np.ndarray
                         ) -> tuple[dict[str, dict[str, np.ndarray]], np.ndarray]:
        """``step_states(text)`` and ``probs(text)`` from one pass of the recurrence (the Text
        page reads both for the held-out characters: half the time of asking for each)."""
        ids = self.ids(text)
        if not len(ids):
            raise RnnExplorerError("the text is empty: give at least one character.")
        traces = self.traces(ids)
        return _states_of(traces), self._head(traces[-1].h)

    def next_probs(self, text: str | np.ndarray) -> np.ndarray:
        """(V,): the probabilities of the character after ``text``."""
        return self.probs(text)[-1]

    def top(self, p: np.ndarray, k: int = TOP_K) -> list[tuple[str, float]]:
        """The ``k`` likeliest characters of a distribution ``p`` with their probabilities."""
        best = np.argsort(-p, kind="stable")[:k]
        return [(self.vocab.chars[i], float(p[i])) for i in best]

    def _step(self, i: int, states: list[tuple[np.ndarray, np.ndarray]]
              ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """One character through every layer from ``states`` (h, c per layer)."""
        x = encode_input(self.encoder.kind, self.encoder, i)
        new = []
        for layer, w, (h, c) in zip(self.recurrent, self._weights, states):
            act, gate = ACTIVATIONS[layer.activation], ACTIVATIONS[layer.recurrent_activation]
            if layer.kind == "SimpleRNN":
                h, _ = simple_rnn_step(x, h, w, act)
            elif layer.kind == "LSTM":
                h, c, _, _ = lstm_step(x, h, c, w, act, gate)
            else:
                h, _, _ = gru_step(x, h, w, act, gate, layer.reset_after)
            new.append((h, c))
            x = h
        return self._head(x), new

    def sample(self, prompt: str, n: int, temperature: float = 1.0, seed: int = 0) -> Sample:
        """``n`` characters after ``prompt`` (an empty prompt starts after a newline, or the
        unknown symbol if training had none), each drawn from the network's probabilities
        raised to 1/temperature (0: always the likeliest), then fed back."""
        if not 1 <= n <= MAX_SAMPLE_CHARS:
            raise RnnExplorerError(f"generate from 1 to {MAX_SAMPLE_CHARS:,} characters "
                                   f"(asked for {n:,}).", field="chars")
        if not 0 <= temperature <= MAX_TEMPERATURE:
            raise RnnExplorerError(f"the temperature must be from 0 to {MAX_TEMPERATURE:g} "
                                   f"(got {temperature:g}).", field="temperature")
        rng = np.random.default_rng(seed)
        ids = self.ids(prompt or "\n")
        states = [(np.zeros(l.units), np.zeros(l.units)) for l in self.recurrent]
        for i in ids:
            p, states = self._step(int(i), states)
        chars, top5 = [], []
        for _ in range(n):
            top5.append(self.top(p))
            i = _draw(p, temperature, rng)
            chars.append(self.vocab.chars[i])
            p, states = self._step(i, states)
        return Sample(prompt, "".join(chars), top5, float(temperature), int(seed))


def _states_of(traces: Sequence[Any]) -> dict[str, dict[str, np.ndarray]]:
    """Layer name → its h (and c, gates) from ``unroll.LayerTrace``s."""
    states = {}
    for trace in traces:
        arrays = {"h": trace.h} | ({"c": trace.c} if trace.c is not None else {})
        if trace.kind != "SimpleRNN":
            arrays |= trace.gates
        states[trace.name] = arrays
    return states


def _draw(p: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """An index drawn from ``p`` sharpened (temperature < 1) or flattened (> 1)."""
    if temperature == 0:
        return int(np.argmax(p))
    logp = np.log(np.maximum(p, 1e-300)) / temperature
    q = np.exp(logp - logp.max())
    return int(rng.choice(len(q), p=q / q.sum()))
