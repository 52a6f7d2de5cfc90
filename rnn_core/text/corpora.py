"""The texts a character-level network trains on: two built-in corpora and your own text.

- ``python-stdlib``: source files of Python's own standard library, read from the running
  Python's ``Lib`` directory (``sysconfig``), so nothing is downloaded: the fixed, sorted list
  ``STDLIB_FILES`` (about 430 KB), each file after a ``# file: NAME`` line. The text is the same
  on every run of one Python version; another minor version ships slightly different files.
- ``brackets``: generated text of ``( [ {`` brackets, always closed in the right order, with
  letters and spaces between them (``brackets``); seeded, and the nesting depth after every
  character is known exactly (``Corpus.depth``), so a unit that counts depth can be checked.
- ``text``: your own text, pasted or uploaded, checked by ``read_text`` (at most
  ``MAX_TEXT_BYTES``, UTF-8, not binary, not empty).

``corpus(config, own_text)`` gives the first ``config.text_chars`` characters of the one the
config names.

>>> c = brackets(12, max_depth=2, seed=0)
>>> len(c.text), c.depth.shape, int(c.depth[-1])     # balanced: depth 0 at the end
(12, (12,), 0)
>>> read_text("héllo\\r\\nworld".encode("utf-8"), "a.txt")
'héllo\\nworld'
"""

from __future__ import annotations

import functools
import os
import platform
import sysconfig
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import RnnExplorerError

# Your own text: at most this many bytes (a file or a paste); 5 MB is ~5 million characters
# of English, more than the MAX_TEXT_CHARS the network can use.
MAX_TEXT_BYTES = 5_000_000
# The standard-library files of the python-stdlib corpus, in this order: plain modules (not
# packages) present in Python 3.11-3.13, a mix of code and long docstrings.
STDLIB_FILES: tuple[str, ...] = (
    "bisect.py", "calendar.py", "colorsys.py", "contextlib.py", "copy.py", "csv.py",
    "dataclasses.py", "fnmatch.py", "fractions.py", "functools.py", "heapq.py", "numbers.py",
    "operator.py", "queue.py", "random.py", "sched.py", "shlex.py", "statistics.py",
    "string.py", "textwrap.py", "tokenize.py",
)
STDLIB_LICENCE = ("Python Software Foundation License Version 2 (PSF-2.0), "
                  "https://docs.python.org/3/license.html")
OPEN, CLOSE = "([{", ")]}"
LETTERS = "abcdefgh  "  # two spaces: words of about four letters
# brackets: the chance that a character closes (when a bracket is open) or opens one
P_CLOSE, P_OPEN = 0.2, 0.2


@dataclass(frozen=True)
class Corpus:
    """A text, words on where it comes from and its licence, and for ``brackets`` the nesting
    depth after every character (an int array as long as the text; None otherwise)."""

    name: str
    text: str
    source: str
    depth: np.ndarray | None = None

    def head(self, n: int) -> "Corpus":
        """The first ``n`` characters (and their depths)."""
        depth = None if self.depth is None else self.depth[:n]
        return Corpus(self.name, self.text[:n], self.source, depth)


@functools.lru_cache(maxsize=1)
def python_stdlib() -> Corpus:
    """The ``STDLIB_FILES`` of the running Python, concatenated; raises ``RnnExplorerError``
    when this Python ships without its sources."""
    lib = sysconfig.get_paths()["stdlib"]
    parts, found = [], []
    for name in STDLIB_FILES:
        path = os.path.join(lib, name)
        try:
            with open(path, encoding="utf-8") as f:
                parts.append(f"# file: {name}\n" + f.read().replace("\r\n", "\n"))
        except OSError:
            continue  # a trimmed Python (e.g. .pyc only): the source says which files it has
        found.append(name)
    if not found:
        raise RnnExplorerError(
            f"this Python ({platform.python_version()}) has no standard-library sources in "
            f"{lib}, so the python-stdlib text cannot be built: use brackets or your own text.",
            field="dataset")
    text = "\n".join(parts)
    source = (f"Python {platform.python_version()} standard library ({lib}): "
              f"{', '.join(found)} — {len(found)} files, {len(text):,} characters. "
              f"Licence: {STDLIB_LICENCE}.")
    return Corpus("python-stdlib", text, source)


@functools.lru_cache(maxsize=2)
def brackets(n: int, max_depth: int, seed: int) -> Corpus:
    """``n`` characters of balanced brackets (at most ``max_depth`` deep) with letters between.

    Each character closes the innermost open bracket with chance ``P_CLOSE``, opens one of
    ``( [ {`` with chance ``P_OPEN`` (when deeper is allowed and there is room to close it
    before the end), else is a letter or a space; the last characters close what is open.
    """
    rng = np.random.default_rng(seed)
    u, kinds, letters = rng.random(n), rng.integers(0, 3, n), rng.integers(0, len(LETTERS), n)
    chars, depth, stack = [], np.zeros(n, dtype=np.int64), []
    for i in range(n):
        left = n - i  # characters still to write, this one included
        if stack and (left <= len(stack) or u[i] < P_CLOSE):
            chars.append(CLOSE[stack.pop()])
        elif len(stack) < max_depth and left > len(stack) + 1 and u[i] < P_CLOSE + P_OPEN:
            stack.append(int(kinds[i]))
            chars.append(OPEN[stack[-1]])
        else:
            chars.append(LETTERS[letters[i]])
        depth[i] = len(stack)
    depth.setflags(write=False)
    source = (f"Generated here: {n:,} characters of ( [ {{ brackets nested at most {max_depth} "
              f"deep with letters between, seed {seed}; no licence needed.")
    return Corpus("brackets", "".join(chars), source, depth)


def read_text(data: bytes | str, name: str = "the text") -> str:
    """Your own text, checked: at most ``MAX_TEXT_BYTES``, UTF-8 (a byte-order mark is
    skipped), not binary, not empty; line ends become ``\\n``. Anything else raises
    ``RnnExplorerError`` with one sentence saying what to do."""
    size = len(data) if isinstance(data, (bytes, bytearray)) else len(data.encode("utf-8", "replace"))
    if size > MAX_TEXT_BYTES:
        raise RnnExplorerError(
            f"{name} is {size:,} bytes, more than the limit of {MAX_TEXT_BYTES:,} bytes: use "
            "a shorter extract (the network uses at most the first "
            "1,000,000 characters anyway).", field="text")
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data)
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Windows' "Unicode": zero bytes, not binary
            raise RnnExplorerError(
                f"{name} is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as "
                "UTF-8 and try again.", field="text")
        zero = data.find(b"\x00")
        if zero >= 0:
            raise RnnExplorerError(
                f"{name} looks binary (a zero byte at byte {zero + 1:,}), not text: give a "
                "plain-text file such as .txt, .py or .md saved as UTF-8.", field="text")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise RnnExplorerError(
                f"{name} is not UTF-8 text (byte {err.start + 1:,} cannot be read): save it as "
                "UTF-8 and try again.", field="text") from None
    elif "\x00" in data:  # pasted, or read elsewhere: a zero character is no text either
        raise RnnExplorerError(
            f"{name} looks binary (a zero character at character {data.index(chr(0)) + 1:,}), "
            "not text: give a plain text saved as UTF-8.", field="text")
    text = data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise RnnExplorerError(f"{name} is empty: give a text with some characters in it.",
                               field="text")
    return text


def corpus(config: Any, own_text: str | None = None) -> Corpus:
    """The first ``config.text_chars`` characters of the text ``config.dataset`` names
    (``own_text`` for ``text``, checked by ``read_text``)."""
    n = config.text_chars
    if config.dataset == "python-stdlib":
        return python_stdlib().head(n)
    if config.dataset == "brackets":
        return brackets(n, config.brackets_depth, config.text_seed)
    if config.dataset != "text":
        raise RnnExplorerError(f"dataset={config.dataset} is not a text.", field="dataset")
    if own_text is None:
        raise RnnExplorerError("no text given: paste a text or upload a UTF-8 file first.",
                               field="text")
    text = read_text(own_text, "your text")
    used = f" (the first {n:,} used)" if len(text) > n else ""
    return Corpus("text", text[:n], f"Your own text: {len(text):,} characters{used}.")
