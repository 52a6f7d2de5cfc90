"""One setting of a run (``Field``): its kind, range, words, and how a value is read into it.

``config.RunConfig`` declares each setting as a typed attribute whose default comes from
``setting(...)``; ``fields_of`` turns those attributes into ``Field`` rows, taking the name and
default from the attribute, the kind and choices from its annotation and the rest from the
metadata ``setting`` attached. Text is read the same way wherever it comes from (a link,
``--set``, a config file, a widget):

>>> from typing import Literal
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Knobs:
...     units: int = setting(8, "Hidden units", "Size of h_t.", "network", min=1, max=256)
...     cell: Literal["simplernn", "lstm"] = setting("simplernn", "Cell", "The cell.", "network")
>>> units, cell = fields_of(Knobs)
>>> units.kind, units.parse(" １２ "), cell.kind, cell.parse("LSTM")
('int', 12, 'choice', 'lstm')
>>> units.allowed()
'use a whole number from 1 to 256'
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import re
import typing
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .errors import RnnExplorerError, quote

T = TypeVar("T")

# The kind of a setting follows from its annotation; ``int | float`` is the train split, the
# one setting that is either a fraction (0.8) or an index (800). A Literal is a choice.
_KIND_OF_TYPE: dict[Any, str] = {bool: "bool", int: "int", float: "float", int | float: "split"}


@dataclass(frozen=True)
class Field:
    """One setting: its type, allowed values, default and the line of help a user reads.

    ``min`` and ``max`` bound a number; for the split they bound the index (a fraction is
    always between 0 and 1).
    """

    name: str
    kind: str  # "int" | "float" | "choice" | "bool" | "split"
    default: Any
    label: str
    help: str
    group: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def parse(self, value: Any) -> Any:
        """Turn a string (link, ``--set``, JSON) or a typed value into a valid typed value, or raise.

        Text is read the same way wherever it comes from: surrounding spaces are dropped, it is
        NFKC-normalised (full-width ``１２`` and ``ｌｓｔｍ`` read as ``12`` and ``lstm``), and
        every Unicode decimal digit counts as the digit it is (Arabic-Indic ``٣`` is 3,
        Devanagari ``३`` is 3), the project's rule for table cells too. Characters that are
        numeric without being decimal digits (superscript ``³``, ``½``, ``Ⅻ``, ``五``) are
        refused, as is anything outside plain decimal notation (``1_000``, ``0x10``, ``inf``) and
        text longer than ``MAX_VALUE_CHARS``. Ints are compared exactly, however long. A message
        quotes at most ``errors.QUOTE_LIMIT`` (60) characters of the value.
        """
        if isinstance(value, str):
            value = value.strip()
        try:
            if self.kind == "choice":
                return self._parse_choice(value)
            if self.kind == "bool":
                return self._parse_bool(value)
            number = _number(value)
            if isinstance(number, float):  # ints are exact, however long
                if not math.isfinite(number):
                    raise ValueError
                if self.kind == "int":
                    if not number.is_integer():
                        raise ValueError
                    number = int(number)
        except ValueError:
            raise RnnExplorerError(
                f"{self.name}={quote(value)} is not valid: {self.allowed()}.", field=self.name
            ) from None
        if self.kind == "split":
            return self._check_split(number)
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            raise RnnExplorerError(
                f"{self.name}={quote(value)} is out of range: {self.allowed()}.", field=self.name
            )
        # a huge int is compared above exactly; only a value in range becomes a float
        return float(number) if self.kind == "float" else number

    def _parse_choice(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError
        text = _normalise(value).lower()
        if text not in self.choices:
            raise ValueError
        return text

    def _parse_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if getattr(getattr(value, "dtype", None), "kind", None) == "b":  # numpy bool
            return bool(value)
        if isinstance(value, int) and value in (0, 1):  # JSON 0 / 1
            return bool(value)
        if not isinstance(value, str):
            raise ValueError
        text = _normalise(value).lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError

    def _check_split(self, number: float | int) -> float | int:
        if isinstance(number, float) and 0 < number < 1:
            return number
        if self.min is not None and self.max is not None and self.min <= number <= self.max \
                and float(number).is_integer():
            return int(number)
        raise RnnExplorerError(  # the number read, as the split widget shows it: split=1.5
            f"{self.name}={quote(number)} is not valid: {self.allowed()}.", field=self.name
        )

    def allowed(self) -> str:
        """The allowed values, in words, for error messages and help text."""
        if self.kind == "choice":
            return "choose one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "use true or false"
        if self.kind == "split":
            return ("use a training fraction between 0 and 1 (e.g. 0.8) or the index of the first "
                    f"test value, a whole number from {self.min:,.0f} to {self.max:,.0f} (e.g. 800)")
        kind = "a whole number" if self.kind == "int" else "a number"
        return f"use {kind} from {_fmt(self.min)} to {_fmt(self.max)}"

    def to_text(self, value: Any) -> str:
        """The value as it appears in a link or on the command line."""
        if self.kind == "bool":
            return "true" if value else "false"
        return _fmt(value)


def setting(default: T, label: str, help: str, group: str, *,
            min: float | None = None, max: float | None = None) -> T:
    """A dataclass attribute's default, with its ``Field``'s words and range as metadata.

    Typed as the default itself, so ``units: int = setting(8, ...)`` reads as an ``int`` to a
    type checker and go-to-definition lands on that line.
    """
    words = {"label": label, "help": help, "group": group, "min": min, "max": max}
    return typing.cast(T, dataclasses.field(default=default, metadata={"field": words}))


def fields_of(cls: type) -> tuple[Field, ...]:
    """The ``Field`` of every attribute of the dataclass ``cls``, in their order.

    Name and default come from the attribute, kind and choices from its annotation (``int``,
    ``float``, ``bool``, ``int | float`` for the split, or a ``Literal`` of choices), label,
    help, group and range from ``setting``. An attribute declared without ``setting`` or with
    another annotation raises ``TypeError`` here, when the module is imported.
    """
    hints = typing.get_type_hints(cls)
    out = []
    for attr in dataclasses.fields(cls):
        hint = hints[attr.name]
        words = attr.metadata.get("field")
        if words is None:
            raise TypeError(f"{cls.__name__}.{attr.name} needs its default from setting(...), "
                            "which gives it a label, help and group")
        if typing.get_origin(hint) is Literal:
            kind, choices = "choice", typing.get_args(hint)
        elif hint in _KIND_OF_TYPE:
            kind, choices = _KIND_OF_TYPE[hint], ()
        else:
            raise TypeError(f"{cls.__name__}.{attr.name}: annotate it with int, float, bool, "
                            f"int | float or a Literal of choices, not {hint}")
        out.append(Field(attr.name, kind, attr.default, choices=choices, **words))
    return tuple(out)


# Plain decimal notation, after digits are made ASCII: what a setting's number may look like.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
MAX_VALUE_CHARS = 100  # a setting's text is short; longer text is refused before it is read


def _normalise(text: str) -> str:
    """NFKC with every decimal digit made ASCII; raises ValueError on '³', '½', 'Ⅻ', '五'.

    NFKC alone would turn superscript '³' into '3' and '½' into '1⁄2', so numeric characters
    that are not decimal digits are refused first.
    """
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError
    if any(ch.isnumeric() and not ch.isdecimal() for ch in text):
        raise ValueError
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text).strip()


def _number(value: Any) -> int | float:
    """An int or float from a typed number or from text in plain decimal notation.

    Raises ValueError for anything else (bools, lists, '1_000', '0x10', 'inf', '³'). Digit
    strings become ints, so a 400-digit value is compared exactly instead of overflowing.
    """
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, numbers.Integral):  # int, numpy ints (a sweep's grid)
        return int(value)
    if isinstance(value, numbers.Real):  # float, numpy floats
        return float(value)
    if not isinstance(value, str):
        raise ValueError
    text = _normalise(value)
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        return float(text)
    raise ValueError


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return repr(x) if not x.is_integer() else str(int(x)) if abs(x) < 1e15 else repr(x)
    return str(x)
