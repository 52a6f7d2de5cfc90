"""Reading numbers from text cells: decimal marks, thousands separators, Unicode digits.

A column is numbers when every cell that is not missing reads as one number. Besides the
decimal point, a file whose delimiter is not a comma may write a decimal comma and group
thousands with . or , (the column's cells decide which); when two ways of writing would both
read every cell with different values, the first one is kept and a note says what was
assumed. Every Unicode decimal digit is the digit it is (١٢ is 12).

>>> values, bad = column_numbers(pd.Series(["1,5", "NA", "٣"]))
>>> values.tolist(), bad.tolist()
([nan, nan, 3.0], [True, False, False])
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import quote
from .limits import MISSING_TOKENS

NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?(\d+,\d+|\d+)")
_ANY_DIGIT = re.compile(r"(?![0-9])\d")  # \d is every Unicode decimal digit (str.isdecimal)
# How a column's numbers may be written: (decimal mark, thousands mark or ""), in the order
# preferred when several readings fit every cell. A comma file cannot hold a decimal comma or
# an unquoted grouping comma, so it only reads the decimal point (as it always did).
_NUMBER_READINGS = ((".", ""), (",", ""), (",", "."), (".", ","))
_MARK_NAMES = {".": "decimal point", ",": "decimal comma"}


def looks_numeric(cell: str, delimiter: str) -> bool:
    """Whether a raw cell is one number (a decimal comma counts unless commas split columns)."""
    cell = cell.strip()
    return bool(NUMBER.fullmatch(cell) or (delimiter != "," and DECIMAL_COMMA.fullmatch(cell)))


def text_column_numbers(name: str, text: pd.Series, missing: np.ndarray, delimiter: str
                        ) -> tuple[np.ndarray | None, str, str]:
    """A column's float64 values (None when some cell is text), its decimal mark, and a note
    when another way of writing numbers (e.g. 1.037 = 1037 with . grouping thousands) would
    also read every cell but give other values: the first reading that fits is kept, and the
    note says what was assumed."""
    text = ascii_digits(text)
    readings = _NUMBER_READINGS if delimiter != "," else _NUMBER_READINGS[:1]
    fits: list[tuple[tuple[str, str], np.ndarray]] = []
    for reading in readings:
        values = _read_numbers(text, missing, reading)
        if values is not None:
            fits.append((reading, values))
    if not fits:
        return None, ".", ""
    (reading, values), note = fits[0], ""
    for other, alt in fits[1:]:
        differ = np.flatnonzero(~np.isclose(values, alt, rtol=0, atol=0, equal_nan=True))
        if len(differ):
            note = _grouping_note(name, str(text.iloc[differ[0]]), reading, values[differ[0]],
                                  other, alt[differ[0]])
            break
    mark = reading[0] if text[~missing].str.contains(reading[0], regex=False).any() else "."
    return values, mark, note


def _read_numbers(text: pd.Series, missing: np.ndarray, reading: tuple[str, str]) -> np.ndarray | None:
    """The values of cells written with ``reading``'s marks, or None if one cell is not."""
    decimal, group = reading
    if not group:
        if decimal == ".":
            numbers, bad = parse_numbers(text, missing)
            return None if bad.any() else numbers
        ok = text[~missing].str.fullmatch(DECIMAL_COMMA.pattern)
        if not ok.all():
            return None
        numbers, bad = parse_numbers(text.str.replace(",", ".", regex=False), missing)
        return None if bad.any() else numbers
    g, d = re.escape(group), re.escape(decimal)
    if not text[~missing].str.fullmatch(rf"[+-]?([1-9]\d{{0,2}}({g}\d{{3}})+|\d+)({d}\d+)?").all():
        return None
    plain = text.str.replace(group, "", regex=False).str.replace(decimal, ".", regex=False)
    numbers, bad = parse_numbers(plain, missing)
    return None if bad.any() else numbers


def _grouping_note(name: str, cell: str, reading: tuple[str, str], value: float,
                   other: tuple[str, str], alt: float) -> str:
    """"column 'price': 1.037 read as 1.037 (decimal point); if . groups thousands in this
    file, 1.037 is 1037: ..." for a column whose marks could be read two ways."""
    def num(v: float) -> str:
        return np.format_float_positional(v, trim="-")

    def describe(r: tuple[str, str]) -> str:
        return _MARK_NAMES[r[0]] + (f", {r[1]} grouping thousands" if r[1] else "")

    if other[1] and other[1] not in reading[1]:
        alternative = f"{other[1]} groups thousands"
    else:
        alternative = f"{other[0]} is the decimal mark"
    return (f"column {quote(name)}: {quote(cell)} read as {num(value)} ({describe(reading)}); if "
            f"{alternative} in this file, it is {num(alt)}: write the numbers without "
            "thousands separators to make sure.")


def ascii_digits(text: pd.Series) -> pd.Series:
    """Cells with every Unicode decimal digit (Arabic-Indic ١٢, full-width １２, ...) written as
    the ASCII digit it is, as Python's float() reads them, so that ١٢ is 12 and not text."""
    if "".join(v for v in text.tolist() if isinstance(v, str)).isascii():
        return text
    return text.map(lambda v: _ANY_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), v)
                    if isinstance(v, str) and not v.isascii() else v)


def parse_numbers(text: pd.Series, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float64 values (NaN where missing or not a number) and the mask of cells that hold
    something that is not a number (never counted as missing)."""
    candidates = ascii_digits(text.where(~missing))
    ok = candidates.str.fullmatch(NUMBER.pattern + r"|[+-]?(inf|infinity)", case=False)
    ok = ok.fillna(False).astype(bool).to_numpy()
    numbers = pd.to_numeric(candidates.where(ok), errors="coerce")
    numbers = np.asarray(numbers, dtype=np.float64)
    return numbers, ~missing & (~ok | np.isnan(numbers))


def missing_mask(column: pd.Series) -> np.ndarray:
    """The cells that hold no value: NaN, None or a missing-value marker (NA, n/a, null, ...)."""
    mask = column.isna().to_numpy()
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        text = column.astype(object).where(~mask, "").astype(str).str.strip().str.lower()
        mask = mask | text.isin(MISSING_TOKENS).to_numpy()
    return np.asarray(mask, dtype=bool)


def column_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as float64 (NaN where missing) and the mask of cells that are not numbers."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or (
            pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)):
        return column.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(column), bool)
    missing = missing_mask(column)
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return np.full(len(column), np.nan), ~missing
    text = column.astype(object).where(~missing, "").astype(str).str.strip()
    return parse_numbers(text, missing)
