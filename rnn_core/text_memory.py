"""How far back a text network looks: the sensitivity of its prediction after a window of T
characters to each character it read.

``char_sensitivity(net, window, target)`` runs ``memory.gradients`` on the text network (its
one-hot or embedding input, forward mode through the same step functions as ``unroll``) and
reads off the derivative of log p(target) (or p(target)) after the last character:

- one-hot input: ∂/∂x_{t, id_t}, the entry of the one-hot vector of the character actually
  read at step t (signed; its size is the bar);
- embedding input: the gradient with respect to the character's embedding vector e_t; the
  bar is its norm ‖∂/∂e_t‖, the signed value the gradient times the input, ⟨∂/∂e_t, e_t⟩.

``memory`` is ``memory.effective_memory`` of the bars: how many of the latest characters carry
``MEMORY_SHARE`` of the summed sensitivity. ``tests/core/test_text_memory.py`` checks every
number against TensorFlow's ``GradientTape``.

>>> import numpy as np
>>> from rnn_core.config import RunConfig
>>> from rnn_core.text import TextNetwork, Vocab
>>> config = RunConfig(dataset="brackets", cell="simplernn", units=2, time_steps=3,
...                    text_input="onehot")
>>> vocab = Vocab.of("()")                      # �, (, )
>>> weights = [np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), 0.5 * np.eye(2), np.zeros(2),
...            np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.zeros(3)]
>>> s = char_sensitivity(TextNetwork(config, vocab, weights), "(()", target=")")
>>> s.target, round(s.probability, 3), s.memory
(')', 0.46, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .char_input import encode_input
from .errors import RnnExplorerError, quote
from .memory import MEMORY_SHARE, Gradients, effective_memory, gradients
from .text_figures import symbol

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class CharSensitivity:
    """What the prediction after ``window`` owes to each character of it (arrays (T,))."""

    window: str
    target: str  # the character whose probability is explained
    probability: float  # p(target) after the last character
    log: bool  # True: the sensitivity of log p(target); False: of p(target)
    signed: Array  # one-hot: ∂/∂x_{t, id_t}; embedding: ⟨∂/∂e_t, e_t⟩
    size: Array  # one-hot: |∂/∂x_{t, id_t}|; embedding: ‖∂/∂e_t‖
    embedding: bool
    memory: int  # the latest characters carrying MEMORY_SHARE of sum(size); 0 if all are 0
    gradients: Gradients

    @property
    def quantity(self) -> str:
        """"log p(')')" or "p(')')": what is differentiated (a newline or blank as its
        symbol, ``text_figures.symbol``)."""
        return f"{'log ' if self.log else ''}p('{symbol(self.target)}')"

    @property
    def quantity_markdown(self) -> str:
        """``quantity`` for markdown: the character in a code span, read literally."""
        return f"{'log ' if self.log else ''}p(``{symbol(self.target)}``)"


def char_sensitivity(net: Any, window: str, target: str | None = None,
                     log: bool = True) -> CharSensitivity:
    """The sensitivity of log p(``target``) (or p, ``log=False``) after the last character of
    ``window`` to each character read; ``target`` None: the network's likeliest next
    character. ``net`` is a ``text.TextNetwork``; ``window`` must be its T characters."""
    steps = net.config.time_steps
    if len(window) != steps:
        raise RnnExplorerError(f"the window needs exactly {steps} characters (it has "
                               f"{len(window)}): the network was trained on windows of that "
                               "length.", field="window")
    vocab = net.vocab
    ids = vocab.encode(window)
    g = gradients(net.network, ids)
    if target is None:
        k = int(np.argmax(g.output))
    elif len(target) == 1 and target in vocab.chars:
        k = vocab.chars.index(target)
    else:
        raise RnnExplorerError(f"target {quote(target)} is not one character of the "
                               "network's vocabulary.", field="target")
    p = float(g.output[k])
    d = g.d_output[k] / p if log else g.d_output[k]  # (T, 1) one-hot, (T, E) embedding
    embedding = net.encoder.kind == "Embedding"
    if embedding:
        e = encode_input(net.encoder.kind, net.encoder, ids)
        signed, size = np.sum(d * e, axis=1), np.sqrt(np.sum(d ** 2, axis=1))
    else:
        signed = d[:, 0]
        size = np.abs(signed)
    memory = effective_memory(size) if np.all(np.isfinite(size)) else 0
    return CharSensitivity(window, vocab.chars[k], p, log, signed, size, embedding, memory, g)


def sentence(s: CharSensitivity) -> str:
    """The effective memory in words.

    >>> import numpy as np
    >>> s = CharSensitivity("ab(c", "c", 0.5, True, np.zeros(4), np.array([0, 0, 1.0, 3.0]),
    ...                     False, 2, None)
    >>> sentence(s)
    'The last 2 of the 4 characters (``(c``) carry 90% of the sensitivity of log p(``c``) = -0.693 (p = 0.5) to the characters read.'

    Markdown: the characters are in code spans (read literally, a blank or newline as its
    symbol), and nothing else in the sentence is markup.
    """
    steps = len(s.window)
    value = f"{np.log(s.probability):.3g}" if s.log else f"{s.probability:.3g}"
    quantity = s.quantity_markdown
    what = f"the sensitivity of {quantity} = {value}" + (f" (p = {s.probability:.3g})"
                                                          if s.log else "")
    if not np.all(np.isfinite(s.size)):
        return f"The sensitivity of {quantity} is not finite (the network overflows)."
    if s.memory == 0:
        return f"{quantity} does not depend on the characters read (every derivative is 0)."
    latest = "".join(symbol(c) for c in s.window[steps - s.memory:])
    carry = ("The last character" if s.memory == 1 else f"The last {s.memory}") \
        + f" of the {steps} characters (``{latest}``) carr{'ies' if s.memory == 1 else 'y'}"
    return f"{carry} {MEMORY_SHARE:.0%} of {what} to the characters read."
