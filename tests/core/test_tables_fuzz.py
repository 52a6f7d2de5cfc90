"""Fuzzing the upload path: whatever bytes arrive, ``read_table`` → ``inspect`` → ``to_series``
either gives a ``Series`` or raises ``RnnExplorerError`` with a message, never anything else
(and never the catch-all ``UnexpectedTableError``, which would mean an unforeseen case)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rnn_core import tables
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError

NAN_STRINGS = ["", " ", "NA", "n/a", "NaN", "nan", "null", "None", "#N/A", "-", "?", "<NA>", "NaT"]
WORDS = ["x", "abc", "température", "1 kg", "12%", "$3", "1,5", "1,234", "0x1F", "1_000", "Inf",
         "-inf", "1e400", "−5", "TRUE", '"', '""', "a\nb", "=SUM(A1)", "\ufeff", "日本"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%Y-%m", "%Y-%m-%d %H:%M", "%b %Y", "%Y"]
MAX_ROWS = 120  # the longest table drawn

numbers = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1e6, 1e6).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["1e308", "-1e308", "1e31", "9" * 40, "0", "-0", ".5", "5.", "+3"]),
)
cells = st.one_of(numbers, numbers, numbers, st.sampled_from(NAN_STRINGS), st.sampled_from(WORDS),
                  st.text(max_size=6))
faulty_cells = st.one_of(st.sampled_from(NAN_STRINGS), cells)
column_kinds = st.sampled_from(["series", "series", "series", "number", "date", "date", "cells", "constant"])


@functools.cache
def calendar(fmt: str, freq: str, start: str) -> tuple[str, ...]:
    """The first MAX_ROWS dates from ``start`` every ``freq``, written in ``fmt``: computed once
    per calendar (pandas is slow to call for every example, and a table takes the first n)."""
    return tuple(d.strftime(fmt) for d in pd.date_range(start, periods=MAX_ROWS, freq=freq))


def repeated(draw, strategy, n: int) -> list[str]:
    """n cells taken from a few drawn ones: the same kinds of cells as n draws, in a few draws."""
    pool = draw(st.lists(strategy, min_size=1, max_size=8))
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    return [pool[i] for i in rng.integers(len(pool), size=n)]


@st.composite
def date_strings(draw, n):
    fmt = draw(st.sampled_from(DATE_FORMATS))
    freq = draw(st.sampled_from(["D", "MS", "h", "YS", "QS", "W-MON"]))
    start = draw(st.sampled_from(["1999-12-31", "2000-01-01", "1821-01-01", "2020-02-29"]))
    dates = list(calendar(fmt, freq, start)[:n])
    if dates and draw(st.booleans()):  # shuffle, duplicate or drop a few
        rng = np.random.default_rng(draw(st.integers(0, 1000)))
        action = draw(st.sampled_from(["shuffle", "duplicate", "blank", "garble"]))
        i = int(rng.integers(len(dates)))
        if action == "shuffle":
            dates = list(rng.permutation(dates))
        elif action == "duplicate":
            dates[i] = dates[max(0, i - 1)]
        elif action == "blank":
            dates[i] = ""
        else:
            dates[i] = "31/02/20x"
    return dates


@st.composite
def tables_text(draw):
    """Mostly well-formed tables with a few faults, to reach every branch of ``to_series``."""
    n_rows = draw(st.one_of(st.integers(0, 5), st.integers(15, 60), st.integers(20, 80), st.integers(20, 80)))
    n_cols = draw(st.integers(1, 4))
    sep = draw(st.sampled_from([",", ",", ";", "\t", "|", " "]))
    columns = []
    for _ in range(n_cols):
        kind = draw(column_kinds)
        if kind == "series":
            scale = draw(st.sampled_from([1e-9, 1.0, 1e6, 1e12]))
            col = [f"{math.sin(i / 3) * scale:.6g}" for i in range(n_rows)]
            faults = draw(st.sampled_from([0, 0, 0, 1, 3]))
            for _ in range(faults if col else 0):  # a few faulty cells
                col[draw(st.integers(0, n_rows - 1))] = draw(faulty_cells)
        elif kind == "number":
            col = repeated(draw, numbers, n_rows)
        elif kind == "date":
            col = draw(date_strings(n_rows))
        elif kind == "constant":
            col = ["7"] * n_rows
        else:
            col = repeated(draw, cells, n_rows)
        columns.append(col)
    quote = draw(st.booleans())

    def fmt(cell: str) -> str:
        if quote or sep in cell or '"' in cell or "\n" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = []
    if draw(st.booleans()):
        header = draw(st.lists(st.sampled_from(["date", "value", "x", "", "year", "value", "a b"]),
                               min_size=n_cols, max_size=n_cols))
        lines.append(sep.join(fmt(h) for h in header))
    for r in range(n_rows):
        lines.append(sep.join(fmt(c[r]) for c in columns))
    if draw(st.booleans()):  # empty lines here and there
        for _ in range(draw(st.integers(1, 3))):
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", "  ", sep])))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    if draw(st.integers(0, 4)) == 0 and text:  # cut it short, maybe mid-quote
        text = text[: draw(st.integers(0, len(text)))]
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if draw(st.booleans()) else data


@st.composite
def loadable_text(draw):
    """A date column and one or two number columns, usually loadable: reaches the sorting,
    gap, interpolation and feature code with realistic tables."""
    n = draw(st.integers(18, 120))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    dates = draw(date_strings(n))
    decimal = "," if sep != "," and draw(st.booleans()) else "."
    scale = draw(st.sampled_from([1.0, 1e-3, 1e9]))
    rows = [sep.join(["date", "value", "other"])]
    for i, d in enumerate(dates):
        y = f"{math.sin(i / 4) * scale + i:.6g}".replace(".", decimal)
        other = draw(st.sampled_from(["", "NA"])) if i % 17 == 16 else str((i * 7) % 5)
        rows.append(sep.join([d, y, other]))
    if draw(st.booleans()):
        rows.insert(draw(st.integers(1, len(rows))), "")
    return ("\n".join(rows) + "\n").encode()


raw_inputs = st.one_of(
    loadable_text(), loadable_text(), loadable_text(),
    tables_text(), tables_text(), tables_text(), tables_text(),
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda s: s.encode("utf-8")),
    st.text(alphabet=st.sampled_from(list('0123456789.,;\t\n"-e +NaN')), max_size=600).map(str.encode),
    st.text(max_size=200).map(lambda s: s.encode("latin-1", errors="replace")),
)


@settings(max_examples=500, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=raw_inputs, missing=st.sampled_from(tables.MISSING_POLICIES), use_date=st.booleans(),
       use_features=st.booleans())
def test_any_input_loads_or_raises_a_worded_error(data, missing, use_date, use_features):
    try:
        frame = tables.read_table(data, "fuzz.csv")
        info = tables.inspect(frame)
        target = info.targets[0]
        date = info.dates[0] if use_date and info.dates and info.dates[0] != target else None
        features = [c for c in info.numeric if c not in (target, date)][:2] if use_features else []
        series, report = tables.to_series(frame, target, date=date, features=features,
                                          missing=missing)
    except RnnExplorerError as err:
        assert not isinstance(err, tables.UnexpectedTableError), str(err)
        assert str(err).strip(), "an error without a message"
        event(f"refused: {err.field or 'other'}")
        return
    event("loaded" + (" with dates" if date else "") + (" and features" if features else ""))
    assert isinstance(series, Series) and np.isfinite(series.values).all()
    assert report.rows_used == len(series)
    if features:
        feats = series.features
        assert feats.shape == (len(series), len(features)) and np.isfinite(feats).all()
        assert series.feature_names == tuple(features)
    if date is not None:
        assert series.index.is_monotonic_increasing and series.index.is_unique
