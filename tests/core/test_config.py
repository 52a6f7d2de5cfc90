"""The settings table: parsing, validation, round trips through links / JSON / --set."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_core import config as C
from rnn_core.config import FIELD_BY_NAME, FIELDS, RunConfig
from rnn_core.errors import RnnExplorerError
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


def _value_strategy(f: C.Field):
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
