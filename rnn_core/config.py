"""One declarative table of run settings, and the frozen ``RunConfig`` built from it.

Every way a setting reaches a run goes through this table: the widgets (label, range, help),
the link (query parameters named like the fields), the CLI's ``--set KEY=VALUE``, presets and
the exported JSON. Adding a knob means adding one ``Field`` row here.

>>> cfg = RunConfig().replace(units=8, cell="lstm")
>>> cfg.units, cfg.cell
(8, 'lstm')
>>> parse_assignments(["units=16", "layout=features"])
{'units': 16, 'layout': 'features'}
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .errors import RnnExplorerError, quote

# Named limits, shown in the UI next to the knobs they bound.
MAX_TIME_STEPS = 120
MAX_HORIZON = 24
MAX_UNITS = 256
MAX_LAYERS = 3
MAX_EPOCHS = 500
MAX_BATCH_SIZE = 4096
MAX_SERIES_LENGTH = 50_000
MIN_SERIES_LENGTH = 20
MAX_SEED = 2**31 - 1
MAX_CONFIG_BYTES = 64 * 1024  # a config file; an exported one is under 1 KB


@dataclass(frozen=True)
class Field:
    """One setting: its type, allowed values, default and the line of help a user reads."""

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
        if 2 <= number <= MAX_SERIES_LENGTH and float(number).is_integer():
            return int(number)
        raise RnnExplorerError(  # the number read, as the split widget shows it: split=1.5
            f"split={quote(number)} is not valid: {self.allowed()}.", field=self.name
        )

    def allowed(self) -> str:
        """The allowed values, in words, for error messages and help text."""
        if self.kind == "choice":
            return "choose one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "use true or false"
        if self.kind == "split":
            return ("use a training fraction between 0 and 1 (e.g. 0.8) or the index of the first "
                    f"test value, a whole number from 2 to {MAX_SERIES_LENGTH:,} (e.g. 800)")
        kind = "a whole number" if self.kind == "int" else "a number"
        return f"use {kind} from {_fmt(self.min)} to {_fmt(self.max)}"

    def to_text(self, value: Any) -> str:
        """The value as it appears in a link or on the command line."""
        if self.kind == "bool":
            return "true" if value else "false"
        return _fmt(value)


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


FIELDS: tuple[Field, ...] = (
    # --- data ---
    Field("dataset", "choice", "sunspots", "Series",
          "Built-in: monthly sunspots 1749-1983 (2,820 values), air passengers 1949-1960 (144 "
          "monthly), lynx 1821-1934 (114 yearly), Australian wine sales (176 monthly), "
          "half-hourly electricity demand (4,032), a generated sine + noise; or upload: a table "
          "you uploaded or loaded from a link (kept in your session, not in links).",
          "data", choices=("sunspots", "airpassengers", "lynx", "wineind", "taylor", "sine",
                           "upload")),
    Field("sine_length", "int", 1000, "Sine length",
          "Number of points of the generated series x_t = sin(f·t) + noise.",
          "data", min=MIN_SERIES_LENGTH, max=MAX_SERIES_LENGTH),
    Field("sine_frequency", "float", 0.02, "Sine frequency f",
          "Angular step f in sin(f·t), radians per point (0.02 = one period every 314 points).",
          "data", min=1e-4, max=3.14),
    Field("sine_noise", "float", 2.0, "Noise amplitude a",
          "Uniform noise a·U(0, 1) added to every point; its variance a²/12 is the floor of any model.",
          "data", min=0.0, max=100.0),
    Field("sine_seed", "int", 0, "Noise seed",
          "Random seed of the noise, so the same settings give the same series.",
          "data", min=0, max=MAX_SEED),
    Field("split", "split", 0.8, "Train split",
          "Fraction of the series used for training (0.8 = first 80 %), or the index of the "
          "first test value (e.g. 800).",
          "data"),
    # --- windows ---
    Field("time_steps", "int", 12, "Time steps T",
          "How many past values each window holds; the network reads them one step at a time.",
          "windows", min=1, max=MAX_TIME_STEPS),
    Field("stride", "int", 1, "Stride",
          "Distance between the targets of consecutive windows: 1 = sliding windows; "
          "= time steps gives non-overlapping windows (tutorial T1).",
          "windows", min=1, max=MAX_TIME_STEPS),
    Field("horizon", "int", 1, "Horizon H",
          "How many values after each window the network predicts at once, trained directly "
          "(an output layer of H units); 1 = the next value only.",
          "windows", min=1, max=MAX_HORIZON),
    Field("layout", "choice", "sequence", "Layout",
          "sequence: (samples, T, 1), the recurrence runs T steps. features: (samples, 1, T) as "
          "in tutorial T2, the window is one step of T features, so the recurrence runs once.",
          "windows", choices=("sequence", "features")),
    Field("window_scope", "choice", "continuous", "Window scope",
          "continuous: test windows may read the last training values, so every test value is "
          "predicted. separate: windows are cut inside each part, as the tutorials do.",
          "windows", choices=("continuous", "separate")),
    Field("pad", "bool", False, "Pad each part",
          "Append T copies of each part's last value before cutting windows (tutorial T2), so a "
          "part of n values gives n windows.",
          "windows"),
    # --- scaling ---
    Field("scaler_fit", "choice", "train", "Min-max scaler fitted on",
          "train: the [0, 1] scaling uses only the training part (honest). all: fitted on the "
          "whole series as tutorial T1 does, which leaks the test range. none: raw values.",
          "scaling", choices=("train", "all", "none")),
    # --- network ---
    Field("cell", "choice", "simplernn", "Cell",
          "Recurrent cell: SimpleRNN (Elman), LSTM (forget/input/output gates and a cell state) "
          "or GRU (update/reset gates).",
          "network", choices=("simplernn", "lstm", "gru")),
    Field("layers", "int", 1, "Recurrent layers",
          "How many recurrent layers are stacked; each passes its whole sequence of hidden "
          "states to the next.",
          "network", min=1, max=MAX_LAYERS),
    Field("units", "int", 8, "Hidden units",
          "Size of the hidden state h_t of every recurrent layer.",
          "network", min=1, max=MAX_UNITS),
    Field("activation", "choice", "tanh", "Recurrent activation",
          "Activation applied to the new hidden state (the candidate for LSTM/GRU); gates "
          "always use sigmoid.",
          "network", choices=("tanh", "relu", "sigmoid", "linear")),
    Field("dense_units", "int", 0, "Dense hidden units",
          "Units of an optional Dense layer between the recurrent layers and the output "
          "(tutorial T2 uses 8); 0 = no such layer.",
          "network", min=0, max=MAX_UNITS),
    Field("dense_activation", "choice", "relu", "Dense activation",
          "Activation of the optional Dense hidden layer.",
          "network", choices=("relu", "tanh", "sigmoid", "linear")),
    Field("output_activation", "choice", "linear", "Output activation",
          "Activation of the output units (one per horizon step); tanh or sigmoid bound the "
          "prediction, which only suits scaled targets.",
          "network", choices=("linear", "tanh", "sigmoid")),
    # --- training ---
    Field("optimizer", "choice", "adam", "Optimizer",
          "Gradient-descent variant used to fit the weights (loss: mean squared error).",
          "training", choices=("adam", "rmsprop", "sgd")),
    Field("learning_rate", "float", 0.001, "Learning rate",
          "Step size of the optimizer; lower it if the loss jumps around or becomes NaN.",
          "training", min=1e-6, max=1.0),
    Field("epochs", "int", 20, "Epochs",
          "Passes over the training windows.",
          "training", min=1, max=MAX_EPOCHS),
    Field("batch_size", "int", 32, "Batch size",
          "Windows per weight update; 1 updates after every window (tutorial T1), slow but noisy.",
          "training", min=1, max=MAX_BATCH_SIZE),
    Field("seed", "int", 0, "Random seed",
          "Seeds the weight initialisation and shuffling, so a run can be repeated.",
          "training", min=0, max=MAX_SEED),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
GROUPS: tuple[str, ...] = ("data", "windows", "scaling", "network", "training")


def _validate(cfg: "RunConfig") -> None:
    for f in FIELDS:
        value = getattr(cfg, f.name)
        parsed = f.parse(value)
        if parsed != value or type(parsed) is not type(value):
            object.__setattr__(cfg, f.name, parsed)


def _post_init(self: "RunConfig") -> None:
    _validate(self)


def _replace(self: "RunConfig", **changes: Any) -> "RunConfig":
    unknown = set(changes) - FIELD_BY_NAME.keys()
    if unknown:
        raise RnnExplorerError(_unknown_message(sorted(unknown)[0]))
    return dataclasses.replace(self, **changes)


def _to_dict(self: "RunConfig") -> dict[str, Any]:
    return {f.name: getattr(self, f.name) for f in FIELDS}


def _to_query(self: "RunConfig", base: "RunConfig | None" = None) -> dict[str, str]:
    """The fields that differ from ``base`` (defaults if None), as link parameters."""
    base = base if base is not None else RunConfig()
    return {
        f.name: f.to_text(getattr(self, f.name))
        for f in FIELDS
        if getattr(self, f.name) != getattr(base, f.name)
    }


def _to_json(self: "RunConfig") -> str:
    return json.dumps(self.to_dict(), indent=2)


RunConfig = dataclasses.make_dataclass(
    "RunConfig",
    [(f.name, Any, dataclasses.field(default=f.default)) for f in FIELDS],
    frozen=True,
    namespace={
        "__post_init__": _post_init,
        "replace": _replace,
        "to_dict": _to_dict,
        "to_query": _to_query,
        "to_json": _to_json,
        "__doc__": "One run's settings, frozen and validated on creation; fields are FIELDS.",
    },
)
RunConfig.__module__ = __name__


def _unknown_message(name: Any) -> str:
    return f"unknown setting {quote(name)}: use one of " + ", ".join(FIELD_BY_NAME) + "."


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["units=8", ...]`` (CLI ``--set``) to typed values; raises on the first bad one."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise RnnExplorerError(f"--set {quote(item)} is not KEY=VALUE (e.g. --set units=8).")
        if key not in FIELD_BY_NAME:
            raise RnnExplorerError(_unknown_message(key), field=key)
        out[key] = FIELD_BY_NAME[key].parse(value)
    return out


def from_mapping(values: Mapping[str, Any], base: "RunConfig | None" = None) -> "RunConfig":
    """A config from typed or string values on top of ``base``; strict: raises on any bad value."""
    base = base if base is not None else RunConfig()
    parsed = {}
    for key, value in values.items():
        if key not in FIELD_BY_NAME:
            raise RnnExplorerError(_unknown_message(key), field=key)
        parsed[key] = FIELD_BY_NAME[key].parse(value)
    return base.replace(**parsed)


def from_query(
    params: Mapping[str, str], base: "RunConfig | None" = None
) -> tuple["RunConfig", list[str]]:
    """A config from link parameters, lenient: bad values are skipped and reported.

    Returns the config and one message per value that was ignored, so the app can keep the
    defaults for those and say why. ``preset`` is handled by the caller, unknown keys ignored.
    """
    cfg = base if base is not None else RunConfig()
    problems: list[str] = []
    for key, value in params.items():
        if key not in FIELD_BY_NAME:
            continue
        try:
            cfg = cfg.replace(**{key: FIELD_BY_NAME[key].parse(value)})
        except RnnExplorerError as err:
            problems.append(f"Link setting ignored: {err}")
    return cfg, problems


class _LongNumber:
    """A JSON whole number longer than ``MAX_VALUE_CHARS``, kept as its text: converting it
    would fail inside ``json.loads`` past 4,300 digits (Python's limit) without naming the
    setting, and no setting is that long. ``Field.parse`` refuses it with the setting's name."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        digits = len(self.text.lstrip("-"))
        return f"{self.text[:20]}… ({digits:,} digits)"


def _json_int(text: str) -> "int | _LongNumber":
    return int(text) if len(text) <= MAX_VALUE_CHARS else _LongNumber(text)


def from_json(text: "str | bytes") -> "RunConfig":
    """A config from exported JSON (a flat object of field values); strict like ``from_mapping``.

    Takes the file's text or bytes (UTF-8, a byte-order mark is skipped). Anything else raises
    ``RnnExplorerError`` with one line: a file over ``MAX_CONFIG_BYTES``, text that is not JSON
    or not one object, values nested too deeply, an unknown setting or a bad value (a number of
    400 or 5,000 digits is named with its setting and quoted short).
    """
    size = len(text) if isinstance(text, (bytes, bytearray)) or len(text) > MAX_CONFIG_BYTES \
        else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_CONFIG_BYTES:
        raise RnnExplorerError(
            f"the config file is {size:,} bytes, more than the limit of {MAX_CONFIG_BYTES:,} "
            "bytes: a config holds only the settings (an exported one is under 1 KB); load the "
            "file exported from the Results page.")
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise RnnExplorerError(
                f"the config file is not UTF-8 text (byte {err.start + 1:,}): save it as UTF-8 "
                "or export the config again.") from None
    text = text.removeprefix("\ufeff")  # saved with a byte-order mark (Windows editors)
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as err:
        raise RnnExplorerError(
            f"the config file is not valid JSON ({err.msg} at line {err.lineno:,}, column "
            f"{err.colno:,}).") from None
    except RecursionError:
        raise RnnExplorerError(
            "the config file nests lists or objects too deeply to read: a config is one flat "
            'object of settings such as {"units": 8, "cell": "lstm"}.') from None
    if not isinstance(data, dict):
        raise RnnExplorerError(
            'the config file must hold one JSON object of settings, such as {"units": 8}.')
    return from_mapping(data)
