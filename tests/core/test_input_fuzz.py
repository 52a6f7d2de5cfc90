"""Issue 13's promise, fuzzed with a fixed seed: whatever a user sends through a config file
(``from_json``), ``--set`` (``parse_assignments``), a link (``from_query``) or a table
(``read_table`` → ``inspect`` → ``to_series``), the result either round-trips (config →
``to_json`` / ``to_query`` / ``--set`` text → parsed again gives the same config) or is an
``RnnExplorerError`` whose message is one line of under ``MAX_MESSAGE`` characters.

The strategies include the campaign's reproducers: 400- and 5,000-digit numbers, values nested
thousands of brackets deep, a byte-order mark, Unicode digits (decimal and not) and very long
strings. ``derandomize=True`` makes every run draw the same examples, so a failure is
reproducible and the suite's time is fixed (this file takes a few seconds).
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from rnn_core import config as C
from rnn_core import tables
from rnn_core.config import FIELD_BY_NAME, FIELDS, RunConfig
from rnn_core.errors import RnnExplorerError
from tests.core.test_config import _value_strategy as value_strategy
from tests.core.test_tables_fuzz import raw_inputs

MAX_MESSAGE = 500  # characters of a refusal, however large the input

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = [f.name for f in FIELDS]
BOM = "\ufeff"


def assert_worded(err: RnnExplorerError) -> None:
    """The refusal half of the promise: one line a user can read, never a wall of text."""
    message = str(err)
    event(f"refused: {(err.field or 'file')[:20]}")  # see --hypothesis-show-statistics
    if not message.strip():
        pytest.fail("an error without a message")
    if len(message) >= MAX_MESSAGE or "\n" in message:  # pytest.fail: no 10 MB assertion dump
        pytest.fail(f"a message of {len(message):,} characters or several lines: {message[:300]!r}")


def assert_round_trips(cfg: RunConfig) -> None:
    """The success half: the config survives every way of writing it down."""
    event("accepted")
    assert C.from_json(cfg.to_json()) == cfg
    assert C.from_json((BOM + cfg.to_json()).encode()) == cfg
    assert C.from_query(cfg.to_query()) == (cfg, [])
    items = [f"{f.name}={f.to_text(getattr(cfg, f.name))}" for f in FIELDS]
    assert RunConfig(**C.parse_assignments(items)) == cfg


# --- values -------------------------------------------------------------------------------

decimal_digits = st.characters(categories=["Nd"])  # ٣, ３, ३, 𝟠 ...: every Unicode decimal digit
odd_numerals = st.sampled_from("³²¹⁰½¼⅓ⅧⅫ①⑳五〇๐")  # numeric but refused; ๐ (Thai 0) is decimal
unicode_numbers = st.lists(st.one_of(decimal_digits, st.sampled_from("0123456789"), odd_numerals),
                           min_size=1, max_size=4).map("".join)
huge_int_text = st.sampled_from([400, 4299, 4301, 5000]).map(lambda n: "9" * n)
long_text = st.builds(lambda c, n: c * n, st.sampled_from("x9٣ \x00é"),
                      st.sampled_from([61, 1000, 100_000]))


def valid_text(f: C.Field):
    """Text a field accepts, written as links and --set write it."""
    if f.kind == "choice":
        return st.sampled_from(f.choices)
    if f.kind == "bool":
        return st.sampled_from(["true", "false", "1", "0", "yes", "no"])
    if f.kind == "int":
        return st.integers(int(f.min), int(f.max)).map(str)
    if f.kind == "float":
        return st.floats(f.min, f.max).map(repr)
    return st.one_of(st.floats(0.01, 0.99).map(repr), st.integers(2, C.MAX_SERIES_LENGTH).map(str))


# a typed value each field accepts, as a config file holds it (the config tests' strategy)
valid_settings = st.fixed_dictionaries({}, optional={f.name: value_strategy(f) for f in FIELDS})

texts = st.one_of(
    st.sampled_from(NAMES).flatmap(lambda name: valid_text(FIELD_BY_NAME[name])),
    unicode_numbers, huge_int_text, long_text, st.text(max_size=12),
    st.sampled_from(["1e999", "-1e999", "nan", "NaN", "inf", "1_000", "0x10", "", " ", "1e-400",
                     "0.8", "800", "800.5", "TRUE", "LSTM", "ＧＲＵ", "True"]),
)
json_scalars = st.one_of(
    st.integers(), st.integers(-10**500, 10**500), st.floats(), st.booleans(), st.none(), texts,
)


def _json_containers(inner):
    return st.one_of(st.lists(inner, max_size=3),
                     st.dictionaries(st.text(max_size=4), inner, max_size=3))


json_values = st.recursive(json_scalars, _json_containers, max_leaves=6)
keys = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(NAMES),
                 st.sampled_from(["preset", "Units", "units ", "unit"]), st.text(max_size=8),
                 long_text)


def _dump(value) -> str:
    """JSON text of a value; ints past Python's 4,300-digit str() limit are written by hand."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 10_000:
        return "9" * 5000
    return json.dumps(value)


@st.composite
def config_json(draw) -> str | bytes:
    """An exported config (valid settings), as text or bytes, with one of the campaign's faults
    or an odd key or value in most examples."""
    pairs: dict = draw(valid_settings)
    fault = draw(st.sampled_from(["none", "none", "odd value", "odd value", "odd key", "huge",
                                  "deep", "bom", "truncate", "list", "not json", "big"]))
    if fault == "odd value":
        pairs[draw(st.sampled_from(NAMES))] = draw(json_values)
    elif fault == "odd key":
        pairs[draw(keys)] = draw(json_values)
    body = "{" + ", ".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in pairs.items()) + "}"
    if fault == "huge":  # a bare number of 400 / 5,000 digits for a setting
        body = body[:-1] + (", " if pairs else "") + '"%s": %s}' % (
            draw(st.sampled_from(NAMES)), draw(huge_int_text))
    elif fault == "deep":
        depth = draw(st.sampled_from([50, 999, 2_000, 20_000]))
        body = '{"units": ' + "[" * depth + "]" * depth + "}"
    elif fault == "bom":
        body = BOM + body
    elif fault == "truncate":
        body = body[: draw(st.integers(0, len(body)))]
    elif fault == "list":
        body = "[" + body + "]"
    elif fault == "not json":
        body = draw(st.text(max_size=40))
    elif fault == "big":  # a 10 MB string value
        body = '{"cell": "' + "x" * 10_000_000 + '"}'
    if draw(st.booleans()):
        return body.encode("utf-8", "surrogatepass")
    return body


@st.composite
def assignments(draw) -> list[str]:
    """``--set`` items: valid ones as links and the CLI write them, maybe one odd item."""
    items = [f"{k}={FIELD_BY_NAME[k].to_text(v)}" for k, v in draw(valid_settings).items()]
    if draw(st.booleans()):
        odd = draw(st.one_of(st.tuples(keys, texts).map("=".join),
                             st.tuples(st.sampled_from(NAMES), texts).map("=".join),
                             texts, long_text))
        items.insert(draw(st.integers(0, len(items))), odd)
    return items


@st.composite
def link_params(draw) -> dict[str, str]:
    """Link parameters: valid settings, odd values for known settings, unknown keys."""
    params = {k: FIELD_BY_NAME[k].to_text(v) for k, v in draw(valid_settings).items()}
    params.update(draw(st.dictionaries(keys, texts, max_size=3)))
    return params


# --- the promise ------------------------------------------------------------------------------


@FUZZ
@given(config_json())
def test_from_json_round_trips_or_refuses_in_one_short_line(text):
    try:
        cfg = C.from_json(text)
    except RnnExplorerError as err:
        assert_worded(err)
        return
    assert_round_trips(cfg)


@FUZZ
@given(assignments())
def test_parse_assignments_round_trips_or_refuses_in_one_short_line(items):
    try:
        cfg = RunConfig(**C.parse_assignments(items))
    except RnnExplorerError as err:
        assert_worded(err)
        return
    assert_round_trips(cfg)


@FUZZ
@given(link_params())
def test_from_query_keeps_good_values_and_reports_bad_ones_in_short_lines(params):
    cfg, problems = C.from_query(params)
    refused = 0
    for key, text in params.items():
        if key not in FIELD_BY_NAME:
            continue  # unknown keys (utm_source, preset) are the caller's business
        try:
            expected = FIELD_BY_NAME[key].parse(text)
        except RnnExplorerError:
            refused += 1
            assert getattr(cfg, key) == getattr(RunConfig(), key)  # the default is kept
        else:  # a long-lag task fixes the settings its network reads (config.TASK_FIXED)
            fixed = C.TASK_FIXED if cfg.dataset in C.TASKS else {}
            assert getattr(cfg, key) == fixed.get(key, expected)
    assert len(problems) == refused
    for problem in problems:
        assert problem.startswith("Link setting ignored: ")
        assert len(problem) < MAX_MESSAGE and "\n" not in problem, problem[:200]
    assert_round_trips(cfg)


@FUZZ
@given(st.sampled_from([f for f in FIELDS if f.kind in ("int", "split")]),
       st.lists(decimal_digits, min_size=1, max_size=3).map("".join))
def test_every_unicode_decimal_digit_reads_as_the_digit_it_is(field, digits):
    """The rule of Field.parse: ٣ is 3, ３ is 3, ३ is 3, whichever script (issue 13 item 4)."""
    expected = int("".join(str(unicodedata.decimal(ch)) for ch in digits))
    try:
        value = field.parse(digits)
    except RnnExplorerError as err:
        assert_worded(err)
        # refused only because the number itself is not allowed (the same refusal as its ASCII
        # spelling), never because of its script
        with pytest.raises(RnnExplorerError) as ascii_refusal:
            field.parse(str(expected))
        assert str(err).replace(repr(digits), repr(str(expected))) == str(ascii_refusal.value)
    else:
        assert value == expected and type(value) is int


@FUZZ
@given(st.sampled_from(NAMES), st.lists(st.one_of(decimal_digits, odd_numerals), min_size=1,
                                        max_size=3).map("".join).filter(
    lambda s: any(ch.isnumeric() and not ch.isdecimal() for ch in s)))
def test_numerals_that_are_not_decimal_digits_are_refused_by_every_field(name, text):
    try:
        FIELD_BY_NAME[name].parse(text)
    except RnnExplorerError as err:
        assert_worded(err)
        assert str(err).startswith(f"{name}={text!r} is not valid: ")
    else:
        raise AssertionError(f"{name}={text!r} was accepted")


# --- tables: the existing fuzz strategies, with a fixed seed and the message bound ---------------

cells_of_issue_13 = st.one_of(
    unicode_numbers, huge_int_text, st.sampled_from(["١٢", "٣.٥", "１２", "1e400", "-1e999"]),
    st.builds(lambda n: "x" * n, st.sampled_from([61, 5000])),
)


@st.composite
def issue_13_tables(draw) -> bytes:
    """A date,value table whose value column holds some of the campaign's odd cells."""
    n = draw(st.integers(20, 40))
    values = [str(i % 7 + i / 10) for i in range(n)]
    for _ in range(draw(st.integers(1, 3))):
        values[draw(st.integers(0, n - 1))] = draw(cells_of_issue_13)
    rows = ["date,value"] + [f"2000-01-{1 + i % 28:02d}T{i // 28:02d}:00,{v}"
                             for i, v in enumerate(values)]
    text = "\n".join(rows) + "\n"
    return (BOM.encode() if draw(st.booleans()) else b"") + text.encode()


def load_or_refuse(data: bytes, missing: str) -> None:
    """The upload path as the app runs it; a refusal must be worded and short."""
    try:
        frame = tables.read_table(data, "fuzz.csv")
        info = tables.inspect(frame)
        date = info.dates[0] if info.dates and info.dates[0] != info.targets[0] else None
        tables.to_series(frame, info.targets[0], date=date, missing=missing)
    except RnnExplorerError as err:
        assert not isinstance(err, tables.UnexpectedTableError), str(err)[:300]
        assert_worded(err)
    else:
        event("loaded")


# raw_inputs is test_tables_fuzz's (its own test runs 500 random examples without the length
# bound); here a fixed seed, and issue 13's cells in a test of their own: one_of would flatten
# them into raw_inputs' eleven branches and draw them rarely.
@settings(FUZZ, max_examples=40)
@given(data=raw_inputs, missing=st.sampled_from(tables.MISSING_POLICIES))
def test_tables_load_or_refuse_in_one_short_line(data, missing):
    load_or_refuse(data, missing)


@settings(FUZZ, max_examples=40, phases=[Phase.generate])  # no shrinking: tables are small
@given(data=issue_13_tables(), missing=st.sampled_from(tables.MISSING_POLICIES))
def test_tables_with_issue_13_cells_load_or_refuse_in_one_short_line(data, missing):
    load_or_refuse(data, missing)


# --- the CLI echoes no more than the quote limit of a bad value -----------------------------------

LONG = "x" * 100_000
SHORT_ECHO = "'" + "x" * 60 + "…' (100,000 characters)"


def test_cli_errors_quote_at_most_60_characters_of_a_bad_value(capsys, tmp_path):
    import io

    from rnn_core import cli, cli_options

    for argv in (["train", "--set", f"cell={LONG}"], ["train", "--set", LONG],
                 ["train", "--csv", str(tmp_path / "x" / LONG[:1000]), "--target", "v"]):
        err = io.StringIO()
        assert cli.main(argv, out=io.StringIO(), err=err) == cli.EXIT_USAGE
        line = err.getvalue()
        assert line.count("\n") == 1 and len(line) < MAX_MESSAGE, line[:300]
    for call in (lambda: cli.parse_arima_order(LONG), lambda: cli.parse_season(LONG),
                 lambda: cli_options.parse_features("," * 100_000)):
        with pytest.raises(cli.CliError) as info:
            call()
        assert len(str(info.value)) < MAX_MESSAGE
    assert SHORT_ECHO in str(pytest.raises(cli.CliError, cli.parse_season, LONG).value)
    for argv in (["train", "--missing", LONG, "--csv", "a.csv", "--target", "v"], [LONG],
                 ["train", LONG]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == cli.EXIT_USAGE
        line = capsys.readouterr().err
        assert SHORT_ECHO in line and line.count("\n") == 1 and len(line) < MAX_MESSAGE, line[:300]
