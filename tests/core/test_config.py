"""The settings table: parsing, validation, round trips through links / JSON / --set."""

from __future__ import annotations

import dataclasses
import json
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_core import config as C
from rnn_core.config import FIELD_BY_NAME, FIELDS, RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.fields import Field, fields_of, setting
from rnn_core.presets import DESCRIPTIONS, PRESETS, preset


def test_runconfig_fields_are_exactly_the_table_with_its_defaults():
    names = [f.name for f in dataclasses.fields(RunConfig)]
    assert names == [f.name for f in FIELDS]
    cfg = RunConfig()
    for f in FIELDS:
        assert getattr(cfg, f.name) == f.default, f.name
        # a default must itself be a valid value of its field
        assert f.parse(f.default) == f.default
    assert len(set(names)) == len(names)
    assert {f.group for f in FIELDS} <= set(C.GROUPS)



def _default_fits(hint: typing.Any, default: typing.Any) -> bool:
    if typing.get_origin(hint) is typing.Literal:
        return default in typing.get_args(hint)
    if hint == int | float:  # the split: a fraction or an index
        return type(default) in (int, float)
    return type(default) is hint  # exactly: True is not an int setting's default


def test_each_attribute_of_runconfig_is_a_field_with_its_type_words_and_default():
    attrs = dataclasses.fields(RunConfig)
    hints = typing.get_type_hints(RunConfig)
    assert [a.name for a in attrs] == [f.name for f in FIELDS] == list(FIELD_BY_NAME)
    assert [a.name for a in attrs][:6] == ["dataset", "sine_length", "sine_frequency",
                                           "sine_noise", "sine_seed", "split"]
    for attr, f in zip(attrs, FIELDS):
        assert "field" in attr.metadata, f"{attr.name} is declared without setting(...)"
        assert attr.default == f.default and type(attr.default) is type(f.default), f.name
        assert _default_fits(hints[f.name], f.default), (f.name, hints[f.name], f.default)
        assert f.label.strip() and f.help.strip() and f.group in C.GROUPS, f.name
        if f.kind == "choice":
            assert f.choices == typing.get_args(hints[f.name]) and len(f.choices) >= 2, f.name
        if f.kind in ("int", "float", "split"):
            assert f.min is not None and f.max is not None and f.min < f.max, f.name
    assert hints["units"] is int and hints["learning_rate"] is float and hints["pad"] is bool
    assert FIELD_BY_NAME["cell"].choices == ("simplernn", "lstm", "gru")
    assert FIELD_BY_NAME["dense_activation"].choices == ("relu", "tanh", "sigmoid", "linear")
    assert (FIELD_BY_NAME["split"].kind, FIELD_BY_NAME["split"].max) == ("split", C.MAX_SERIES_LENGTH)


def test_a_setting_declared_without_its_words_or_with_another_type_fails_at_import():
    @dataclasses.dataclass(frozen=True)
    class Bare:
        units: int = setting(8, "Hidden units", "Size of h_t.", "network", min=1, max=256)
        layers: int = 1  # no setting(...): no label, help or range

    with pytest.raises(TypeError, match=r"Bare\.layers needs its default from setting\(\.\.\.\)"):
        fields_of(Bare)

    @dataclasses.dataclass(frozen=True)
    class Untyped:
        name: str = setting("a", "Name", "Any text.", "data")

    with pytest.raises(TypeError, match=r"Untyped\.name: annotate it with int, float, bool"):
        fields_of(Untyped)

def test_runconfig_is_frozen_and_replace_returns_a_new_validated_config():
    cfg = RunConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.units = 3
    new = cfg.replace(units=16, cell="gru")
    assert (new.units, new.cell) == (16, "gru")
    assert (cfg.units, cfg.cell) == (8, "simplernn")


@pytest.mark.parametrize("changes", [
    dict(units=0), dict(units=C.MAX_UNITS + 1), dict(time_steps=0), dict(epochs=-1),
    dict(learning_rate=float("nan")), dict(learning_rate=float("inf")), dict(learning_rate=2.0),
    dict(cell="transformer"), dict(layers=C.MAX_LAYERS + 1), dict(units=2.5), dict(units=True),
    dict(split=1), dict(split=0), dict(split=1.5), dict(split=-0.2), dict(pad="maybe"),
])
def test_invalid_values_are_rejected_on_creation(changes):
    with pytest.raises(RnnExplorerError) as info:
        RunConfig(**changes)
    name = next(iter(changes))
    assert info.value.field == name
    assert name in str(info.value)
    with pytest.raises(RnnExplorerError):
        RunConfig().replace(**changes)


def test_replace_with_unknown_field_names_the_allowed_fields():
    with pytest.raises(RnnExplorerError, match="unknown setting 'unit'.*units"):
        RunConfig().replace(unit=3)


@pytest.mark.parametrize("name, text, expected", [
    ("units", "12", 12), ("units", " 12.0 ", 12), ("units", 12.0, 12),
    ("learning_rate", "1e-3", 0.001), ("learning_rate", "1", 1.0),
    ("cell", "LSTM", "lstm"), ("layout", " Features ", "features"),
    ("pad", "yes", True), ("pad", "0", False), ("pad", "TRUE", True), ("pad", False, False),
    ("split", "0.75", 0.75), ("split", "800", 800), ("split", "800.0", 800),
])
def test_field_parse_accepts_text_and_returns_typed_values(name, text, expected):
    value = FIELD_BY_NAME[name].parse(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("name, text, fragment", [
    ("units", "12.5", "whole number from 1 to 256"),
    ("units", "abc", "not valid"),
    ("units", "0", "out of range"),
    ("learning_rate", "nan", "not valid"),
    ("learning_rate", "-inf", "not valid"),
    ("learning_rate", "0", "out of range"),
    ("cell", "rnn", "choose one of simplernn, lstm, gru"),
    ("pad", "2", "true or false"),
    ("split", "1", "training fraction"),
    ("split", "800.5", "training fraction"),
])
def test_field_parse_rejects_with_a_message_that_says_what_is_allowed(name, text, fragment):
    with pytest.raises(RnnExplorerError) as info:
        FIELD_BY_NAME[name].parse(text)
    assert fragment in str(info.value)
    assert info.value.field == name


def test_parse_assignments_types_values_and_rejects_bad_items():
    assert C.parse_assignments(["units=16", "layout=features", "pad=true", "split=0.7"]) == {
        "units": 16, "layout": "features", "pad": True, "split": 0.7}
    assert C.parse_assignments([]) == {}
    assert C.parse_assignments(["units=4", "units=5"]) == {"units": 5}
    with pytest.raises(RnnExplorerError, match="not KEY=VALUE"):
        C.parse_assignments(["units"])
    with pytest.raises(RnnExplorerError, match="not KEY=VALUE"):
        C.parse_assignments(["=4"])
    with pytest.raises(RnnExplorerError, match="unknown setting 'colour'"):
        C.parse_assignments(["colour=red"])
    with pytest.raises(RnnExplorerError, match="out of range"):
        C.parse_assignments(["units=10000"])


def test_to_query_lists_only_changed_fields_and_from_query_restores_them():
    cfg = RunConfig(units=16, cell="lstm", learning_rate=0.0005, pad=True, split=800)
    query = cfg.to_query()
    assert query == {"units": "16", "cell": "lstm", "learning_rate": "0.0005", "pad": "true",
                     "split": "800"}
    restored, problems = C.from_query(query)
    assert restored == cfg and problems == []


def test_from_query_is_lenient_keeps_defaults_and_reports_each_bad_value():
    cfg, problems = C.from_query({"units": "9999", "cell": "gru", "epochs": "x", "preset": "a",
                                  "utm_source": "mail"})
    assert cfg == RunConfig(cell="gru")
    assert len(problems) == 2
    assert any("units" in p for p in problems) and any("epochs" in p for p in problems)


def test_from_mapping_is_strict():
    assert C.from_mapping({"units": "4"}).units == 4
    with pytest.raises(RnnExplorerError):
        C.from_mapping({"units": "9999"})
    with pytest.raises(RnnExplorerError, match="unknown setting"):
        C.from_mapping({"unitz": 4})


def test_json_round_trip_and_bad_json():
    cfg = RunConfig(dataset="sine", sine_noise=0.5, split=0.6, layers=2)
    assert C.from_json(cfg.to_json()) == cfg
    assert json.loads(cfg.to_json())["sine_noise"] == 0.5
    with pytest.raises(RnnExplorerError, match="not valid JSON"):
        C.from_json("{units: 3")
    with pytest.raises(RnnExplorerError, match="one JSON object"):
        C.from_json("[1, 2]")


def _value_strategy(f: Field):
    if f.kind == "choice":
        return st.sampled_from(f.choices)
    if f.kind == "bool":
        return st.booleans()
    if f.kind == "int":
        return st.integers(int(f.min), int(f.max))
    if f.kind == "float":
        return st.floats(f.min, f.max, allow_nan=False, allow_infinity=False)
    return st.one_of(st.floats(0.01, 0.99), st.integers(2, 10_000))  # split


@given(st.fixed_dictionaries({}, optional={f.name: _value_strategy(f) for f in FIELDS}))
def test_any_valid_config_round_trips_through_link_json_and_cli_text(values):
    cfg = RunConfig(**values)
    assert C.from_query(cfg.to_query()) == (cfg, [])
    assert C.from_json(cfg.to_json()) == cfg
    items = [f"{f.name}={f.to_text(getattr(cfg, f.name))}" for f in FIELDS]
    assert RunConfig(**C.parse_assignments(items)) == cfg


def test_every_preset_is_valid_and_described_and_unknown_preset_fails():
    assert set(PRESETS) == set(DESCRIPTIONS)
    for name, values in PRESETS.items():
        cfg = preset(name)
        for key, value in values.items():
            assert getattr(cfg, key) == value, (name, key)
    assert preset("t1-sunspots").batch_size == 1
    with pytest.raises(RnnExplorerError, match="unknown preset 'nope'") as info:
        preset("nope")
    assert info.value.field == "preset"


# --- issue 13: reproducers of the fuzz campaign ---------------------------------------------

NUMERIC = [f.name for f in FIELDS if f.kind in ("int", "float", "split")]


@pytest.mark.parametrize("name", NUMERIC)
@pytest.mark.parametrize("digits", [400, 5000])
def test_from_json_with_a_huge_integer_names_the_setting_in_a_short_message(name, digits):
    # was OverflowError (400 digits) and ValueError "Exceeds the limit (4300 digits)" (5,000)
    with pytest.raises(RnnExplorerError) as info:
        C.from_json('{"%s": %s}' % (name, "9" * digits))
    message = str(info.value)
    assert message.startswith(f"{name}=99999999999999999999… ({digits:,} digits) is not valid: ")
    assert info.value.field == name and len(message) < 250


@pytest.mark.parametrize("name", NUMERIC)
def test_field_parse_of_a_huge_python_int_is_out_of_range_not_overflow(name):
    with pytest.raises(RnnExplorerError, match=r"99999999999999999999… \(400 digits\) is (out of "
                                               r"range|not valid)") as info:
        FIELD_BY_NAME[name].parse(10**400 - 1)
    assert info.value.field == name


@pytest.mark.parametrize("name", [f.name for f in FIELDS])
@pytest.mark.parametrize("value", ["1e999", "-1e999", "nan", "inf", float("nan"), float("inf"),
                                   pytest.param(10**5000, id="5001-digit-int"), 1e308,
                                   pytest.param("9" * 400, id="400-digit-text"), [1], {"a": 1}, None, "٣³", "1_0"])
def test_every_field_refuses_odd_values_with_its_own_message(name, value):
    with pytest.raises(RnnExplorerError) as info:
        FIELD_BY_NAME[name].parse(value)
    assert info.value.field == name
    assert str(info.value).startswith(f"{name}=") and len(str(info.value)) < 250


@pytest.mark.parametrize("depth", [2_000, 30_000])  # 30,000: 60 KB, under the size limit
def test_from_json_nested_deeply_is_refused_not_a_recursion_error(depth):
    with pytest.raises(RnnExplorerError, match="nests lists or objects too deeply"):
        C.from_json('{"units": ' + "[" * depth + "]" * depth + "}")
    with pytest.raises(RnnExplorerError, match="nests lists or objects too deeply"):
        C.from_json("[" * depth + "]" * depth)


def test_from_json_nested_a_little_names_the_setting_and_quotes_it_short():
    with pytest.raises(RnnExplorerError) as info:
        C.from_json('{"units": ' + "[" * 500 + "]" * 500 + "}")
    assert str(info.value) == "units=[[[[...]]]] is not valid: use a whole number from 1 to 256."


def test_from_json_skips_a_byte_order_mark_in_text_and_bytes():
    cfg = RunConfig(units=16, cell="gru")
    assert C.from_json("\ufeff" + cfg.to_json()) == cfg
    assert C.from_json(b"\xef\xbb\xbf" + cfg.to_json().encode()) == cfg
    assert C.from_json(cfg.to_json().encode()) == cfg


def test_from_json_refuses_a_file_over_the_size_limit_and_bytes_that_are_not_utf8():
    assert len(RunConfig().to_json()) < 1024 < C.MAX_CONFIG_BYTES == 64 * 1024
    padded = RunConfig().to_json() + " " * C.MAX_CONFIG_BYTES
    with pytest.raises(RnnExplorerError, match=r"is 66,\d{3} bytes, more than the limit of 65,536"):
        C.from_json(padded)
    with pytest.raises(RnnExplorerError, match="more than the limit"):
        C.from_json(padded.encode())
    with pytest.raises(RnnExplorerError, match="more than the limit"):  # 10 MB of one string
        C.from_json('{"cell": "' + "x" * 10_000_000 + '"}')
    with pytest.raises(RnnExplorerError, match=r"not UTF-8 text \(byte 11\)"):
        C.from_json(b'{"cell": "\xff"}')
    with pytest.raises(RnnExplorerError, match=r"not valid JSON \(Expecting ',' delimiter at line 2, "
                                               r"column 1\)"):
        C.from_json('{"units": 3\n"cell": "gru"}')


def test_from_json_keeps_refusing_unknown_keys_and_quotes_them_short():
    with pytest.raises(RnnExplorerError) as info:
        C.from_json('{"%s": 1}' % ("k" * 1000))
    message = str(info.value)
    assert message.startswith("unknown setting '" + "k" * 60 + "…' (1,000 characters): use one of dataset,")
    assert len(message) < 600  # the key quoted short, then the 38 settings' names


@pytest.mark.parametrize("text, expected", [
    ("٣", 3), ("١٢", 12), ("३२", 32), ("３", 3), ("１２.０", 12), ("١2", 12), (" ٨ ", 8),
])
def test_unicode_decimal_digits_count_as_the_digits_they_are(text, expected):
    value = FIELD_BY_NAME["units"].parse(text)
    assert value == expected and type(value) is int
    assert C.parse_assignments([f"units={text}"]) == {"units": expected}
    assert C.from_query({"units": text}) == (RunConfig(units=expected), [])


def test_unicode_digits_in_float_split_bool_and_choice_fields():
    assert FIELD_BY_NAME["learning_rate"].parse("٠.٠٠٥") == 0.005
    assert FIELD_BY_NAME["split"].parse("٨٠٠") == 800
    assert FIELD_BY_NAME["split"].parse("０.７") == 0.7
    assert FIELD_BY_NAME["pad"].parse("١") is True
    assert FIELD_BY_NAME["cell"].parse("ＬＳＴＭ") == "lstm"


@pytest.mark.parametrize("text", ["³", "1²", "½", "Ⅻ", "五", "①", "0x10", "1_000", "inf", "1 2",
                                  "٣٫٥", "−3", "3e", "e3", "."])
def test_numeric_characters_that_are_not_decimal_digits_are_refused(text):
    # NFKC alone would read superscript ³ as 3; those are refused with the usual message
    with pytest.raises(RnnExplorerError, match=r"is not valid: use a whole number from 1 to 256\.$"):
        FIELD_BY_NAME["units"].parse(text)
    _, problems = C.from_query({"units": text})
    assert len(problems) == 1 and problems[0].startswith("Link setting ignored: units=")


def test_split_index_is_bounded_by_the_longest_series():
    assert FIELD_BY_NAME["split"].parse(C.MAX_SERIES_LENGTH) == 50_000
    for value in (C.MAX_SERIES_LENGTH + 1, 1e300, 10**400):
        with pytest.raises(RnnExplorerError, match="a whole number from 2 to 50,000"):
            FIELD_BY_NAME["split"].parse(value)


def test_messages_quote_at_most_60_characters_of_a_long_value():
    long = "x" * 100_000
    for call in (lambda: C.parse_assignments([f"cell={long}"]),
                 lambda: C.parse_assignments([long]),
                 lambda: C.parse_assignments([f"{long}=3"]),
                 lambda: C.from_mapping({"units": long})):
        with pytest.raises(RnnExplorerError) as info:
            call()
        assert "'" + "x" * 60 + "…' (100,000 characters)" in str(info.value)
        assert len(str(info.value)) < 600  # the value quoted short, the settings' names
    _, problems = C.from_query({"cell": long})
    assert problems == ["Link setting ignored: cell='" + "x" * 60 + "…' (100,000 characters) is "
                        "not valid: choose one of simplernn, lstm, gru."]


@pytest.mark.parametrize("value, expected", [
    ("abc", "'abc'"),
    ("a" * 61, "'" + "a" * 60 + "…' (61 characters)"),
    ("\x00" * 100, "'" + "\\x00" * 15 + "…' (100 characters)"),
    pytest.param(10**400, "10000000000000000000… (401 digits)", id="401 digits"),
    pytest.param(-(10**5000), "-10000000000000000000… (5,001 digits)", id="5001 digits"),
    (12345, "12345"), (2.5, "2.5"), (None, "None"),
    ([[[[1]]]], "[[[[...]]]]"),
])
def test_quote_shortens_any_value(value, expected):
    from rnn_core.errors import quote

    assert quote(value) == expected
