"""Features of every character of a text, and the units of a network that follow them.

``features(text)`` describes each character by what is true *after reading it* — what a
recurrent network's state h_t could know at that character: whether it is inside a string or a
comment (Python's rules: quotes, triple quotes, escapes, ``#`` to the end of the line; equal to
Python's own tokenizer on the standard library's files), the indentation of its line, its
position in the line, the bracket depth and whether it starts a word. ``find_units(states, features)`` correlates every unit's activation with every
feature and names the best unit per feature (largest |Pearson r|): Karpathy's quote and line-length
units, LSTMVis' depth units, found automatically. On the ``brackets`` corpus the depth is the
generator's own, so the claim can be checked.

A text cut out of a longer one (the held-out part) starts as if at the top of a file: a string
open at the cut is not seen as one, and the depth is counted from the lowest point reached
(Pearson's r does not change when a feature is shifted, so the finder is not affected).

>>> f = features('x = "a#" # c\\n')
>>> [int(v) for v in f["in_string"]]
[0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]
>>> [int(v) for v in f["in_comment"]]
[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

FEATURES = ("in_string", "in_comment", "indentation", "position_in_line", "bracket_depth",
            "word_start")
LABELS = {
    "in_string": "inside a string",
    "in_comment": "inside a comment",
    "indentation": "indentation of the line (spaces)",
    "position_in_line": "position in the line",
    "bracket_depth": "bracket depth ( [ {",
    "word_start": "start of a word",
}
OPENING, CLOSING = "([{", ")]}"
TAB_WIDTH = 8  # Python's tokenizer: a tab moves to the next multiple of 8


def features(text: str) -> dict[str, np.ndarray]:
    """Every feature of ``FEATURES`` for every character: name -> float array of len(text)."""
    string, comment = _strings_and_comments(text)
    return {"in_string": string, "in_comment": comment,
            "indentation": _indentation(text), "position_in_line": _position_in_line(text),
            "bracket_depth": bracket_depth(text, string + comment > 0),
            "word_start": _word_start(text)}


def features_of_part(whole: str, start: int, n: int) -> dict[str, np.ndarray]:
    """``features`` of ``whole[start:start + n]`` counted from the start of ``whole``: a part
    cut inside a string (a held-out part starting in a docstring) is then read the right way
    round, where ``features`` of the part alone would take the closing quotes for opening ones.

    >>> whole = "x = '''doc # not a comment\\nmore''' # a comment\\n"
    >>> part = whole.index("more")
    >>> [int(v) for v in features_of_part(whole, part, 8)["in_string"]]
    [1, 1, 1, 1, 1, 1, 0, 0]
    >>> [int(v) for v in features(whole[part:part + 8])["in_string"]]
    [0, 0, 0, 0, 1, 1, 1, 1]
    """
    return {name: v[start:] for name, v in features(whole[:start + n]).items()}


def _string_end(text: str, i: int, quote: str) -> tuple[int, bool]:
    """(index of the literal's last character, whether a closing quote ends it) for the
    string whose opening quote(s) end at ``i``; an unclosed one-line string stops at its
    line's end (as Python's tokenizer does), an unclosed long one at the text's end."""
    n, j = len(text), i + 1
    while j < n:
        ch = text[j]
        if ch == "\\":  # an escaped character (a quote, a newline) does not end the string,
            j += 2  # in a raw string too (r"\"" is one string)
            continue
        if len(quote) == 1 and ch == "\n":
            return j - 1, False
        if text.startswith(quote, j):
            return j + len(quote) - 1, True
        j += 1
    return n - 1, False


def _strings_and_comments(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(in_string, in_comment): 1.0 where the scanner is inside a string or comment after the
    character. A string's opening quotes count as inside, its last closing quote as outside."""
    n = len(text)
    string, comment = np.zeros(n), np.zeros(n)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            comment[i:end] = 1.0  # the newline ends it: 0 there
            i = end
        elif ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            end, closed = _string_end(text, i + len(quote) - 1, quote)
            string[i:end + 1] = 1.0
            string[end] = 0.0 if closed else 1.0  # after the closing quote: outside again
            i = end + 1
        else:
            i += 1
    return string, comment


def bracket_depth(text: str, ignore: np.ndarray | None = None) -> np.ndarray:
    """Nesting depth of ( [ { after each character (an opening bracket counts itself, a
    closing one does not), counted from the lowest point reached so it is never negative;
    characters where ``ignore`` is true (strings, comments) change nothing.

    >>> bracket_depth("a(b[c])d").astype(int).tolist()
    [0, 1, 1, 2, 2, 1, 0, 0]
    """
    steps = np.array([1.0 if ch in OPENING else -1.0 if ch in CLOSING else 0.0 for ch in text])
    if ignore is not None and len(steps):
        steps[np.asarray(ignore, dtype=bool)] = 0.0
    depth = np.cumsum(steps)
    return depth - min(0.0, depth.min()) if len(depth) else depth


def _position_in_line(text: str) -> np.ndarray:
    """Characters of the line read so far: 1 for a line's first character, 0 at a newline."""
    out, column = np.zeros(len(text)), 0
    for i, ch in enumerate(text):
        column = 0 if ch == "\n" else column + 1
        out[i] = column
    return out


def _indentation(text: str) -> np.ndarray:
    """Leading blanks of the character's line, counted as far as they are read (a tab to the
    next multiple of ``TAB_WIDTH``); 0 at a newline."""
    out, indent, leading = np.zeros(len(text)), 0, True
    for i, ch in enumerate(text):
        if ch == "\n":
            indent, leading = 0, True
        elif leading and ch == " ":
            indent += 1
        elif leading and ch == "\t":
            indent += TAB_WIDTH - indent % TAB_WIDTH
        else:
            leading = False
        out[i] = indent
    return out


def _word_start(text: str) -> np.ndarray:
    """1.0 at a letter, digit or underscore that follows none of them."""
    word = np.array([ch.isalnum() or ch == "_" for ch in text], dtype=bool)
    before = np.concatenate([[False], word[:-1]]) if len(word) else word
    return (word & ~before).astype(float)


class UnitMatch(NamedTuple):
    """The unit whose activation follows a feature best over a text."""

    feature: str
    layer: str  # the name of the array the unit is a column of ("layer 1 h", …)
    unit: int  # 0-based column
    correlation: float  # Pearson r of the activation and the feature (sign kept)


def correlations(activations: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson r of every column of ``activations`` (n, units) with ``feature`` (n,); 0.0 for a
    unit that does not move (r is undefined there).

    >>> a = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> correlations(a, np.array([0.0, 2.0, 4.0])).tolist()
    [1.0, 0.0]
    """
    a = np.asarray(activations, dtype=float)
    f = np.asarray(feature, dtype=float)
    a, f = a - a.mean(axis=0), f - f.mean()
    scale = np.sqrt((a ** 2).sum(axis=0) * (f ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a * f[:, None]).sum(axis=0) / scale
    return np.clip(np.where(scale > 0, r, 0.0), -1.0, 1.0)


def constant_features(values: Mapping[str, np.ndarray]) -> list[str]:
    """Features that take one value over the whole text: no unit can be said to follow them."""
    return [name for name, v in values.items() if len(v) == 0 or np.ptp(v) == 0]


def find_units(states: Mapping[str, np.ndarray],
               values: Mapping[str, np.ndarray]) -> list[UnitMatch]:
    """For every feature that varies, the unit (over every array of ``states``, each of shape
    (len(text), units)) with the largest |r|; in the order of ``values``.

    >>> h = np.array([[0.1, -1.0], [0.2, 1.0], [0.3, -1.0]])
    >>> find_units({"h": h}, {"up": np.array([0.0, 1.0, 0.0])})
    [UnitMatch(feature='up', layer='h', unit=1, correlation=1.0)]
    """
    varying = [name for name in values if name not in constant_features(values)]
    found = []
    for name in varying:
        best = None
        for layer, acts in states.items():
            r = correlations(acts, values[name])
            unit = int(np.argmax(np.abs(r)))
            if best is None or abs(r[unit]) > abs(best.correlation):
                best = UnitMatch(name, layer, unit, float(r[unit]))
        if best is not None:
            found.append(best)
    return found
