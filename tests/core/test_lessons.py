"""Lessons as data: reading, checking, and the live numbers they quote (rnn_core.lessons)."""

import re
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_core import lesson_facts, lessons
from rnn_core.config import RunConfig
from rnn_core.equations import fmt_vector
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import preset
from rnn_core.unroll import unroll_layer

HEAD = "# A lesson\nWhat it is about.\n\n"


def step(block: str, text: str = "Words.", title: str = "Go") -> str:
    return f"## {title}\n```step\n{block}\n```\n{text}\n"


@pytest.mark.parametrize("lesson_id", lessons.builtin_ids())
def test_every_built_in_lesson_reads_and_names_its_placeholders(lesson_id):
    lesson = lessons.builtin(lesson_id)
    assert lesson.id == lesson_id and lesson.title and lesson.summary
    if lesson.needs:
        assert not lesson.steps
        return
    assert 2 <= len(lesson.steps) <= lessons.MAX_STEPS
    for s in lesson.steps:
        assert s.page in lessons.PAGES and s.title and s.text
        assert s.placeholders == lesson_facts.placeholders(s.text)
    # no number in the prose but the typed window's, h_0 = 0 and a few words: every number a
    # lesson claims about a network or its data is a placeholder, computed live
    for s in lesson.steps:
        prose = lesson_facts.PATTERN.sub("", s.text)
        numbers = set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:-\w+)?", prose))
        assert numbers <= {"0", "1", "2", "3", "32-bit", "0-2", "1.0"}, (lesson_id, numbers)


def test_steps_inherit_the_setup_and_page_and_apply_their_own():
    lesson = lessons.parse(HEAD + step("preset: sunspots\nset: units=4\npage: data")
                           + step("set: epochs=2", title="Two"), "x")
    first, second = lesson.steps
    assert first.config == preset("sunspots").replace(units=4) and first.preset == "sunspots"
    assert second.config == first.config.replace(epochs=2) and second.page == "data"
    assert second.preset == "sunspots"


def test_the_first_minute_lesson_trains_then_quotes_its_run():
    first = lessons.builtin("0")
    assert first.steps[0].train and first.steps[0].page == "train"
    assert "run.test_rmse" in first.steps[1].placeholders
    assert first.steps[1].config == first.steps[0].config == preset("sunspots")


@pytest.mark.parametrize("block, text, message", [
    ("set: unitz=4", "", "step 1 (Go): set: unknown setting 'unitz'"),
    ("set: units=0", "", "step 1 (Go): set: units='0' is out of range"),
    ("set: units", "", "step 1 (Go): set: 'units' is not name=value"),
    ("preset: sunspot", "", "step 1 (Go): preset: unknown preset 'sunspot'"),
    ("page: home", "", "step 1 (Go): page: 'home' is not a page"),
    ("train: yes\npage: results", "", "step 1 (Go): train: its training is followed on the "
                                      "train page: add 'page: train'"),
    ("race: cells\npage: compare", "", "race: 'cells': use units or params"),
    ("pitfall: leak\npage: pitfalls", "", "pitfall: unknown pitfall 'leak'"),
    ("train: maybe", "", "train: 'maybe': use yes or no"),
    ("preset: t1-structure\npage: inside\nwindow: 1, 2", "", "step 1 (Go): window: the window"),
    ("preset: t1-structure\nt: 4", "", "t: '4': use a whole number from 1 to 3"),
    ("colour: red", "", "'colour: red' is not 'key: value' with a key among"),
    ("page: data", "{{run.tes_rmse}}", "unknown placeholder {{run.tes_rmse}}"),
    ("page: data", "{{run.test_rmse}}", "{{run.test_rmse}} needs an earlier step with 'train: "
                                        "yes' and the same settings"),
    ("page: inside\nwindow: test:0", "{{net.h1}}", "{{net.h1}} needs a typed window"),
    ("preset: t1-structure\npage: inside\nwindow: 1, 2, 3", "{{net.h4}}",
     "{{net.h4}}: the window has time steps 1 to 3"),
])
def test_a_bad_step_is_refused_naming_the_step_and_the_value(block, text, message):
    with pytest.raises(RnnExplorerError) as err:
        lessons.parse(HEAD + step(block, text or "Words."), "mine.md")
    assert str(err.value).startswith("lesson 'mine.md', step 1 (Go): ")
    assert message in str(err.value)


def test_a_run_quoted_after_the_settings_changed_is_refused():
    text = (HEAD + step("preset: sunspots\npage: train\ntrain: yes")
            + step("set: units=4\npage: results", "{{run.test_rmse}}", "Other"))
    with pytest.raises(RnnExplorerError, match="step 2 .*needs an earlier step with 'train"):
        lessons.parse(text, "x")


@pytest.mark.parametrize("text, message", [
    ("No title\n\n## A\nWords.", "its first line: a lesson starts with its title"),
    ("# Title only\n", "no step"),
    (b"# T\n\n## A\n\xff", "not UTF-8 (byte 11)"),
    ("# T\n\n" + "## A\nWords.\n" * (lessons.MAX_STEPS + 1), f"more than {lessons.MAX_STEPS}"),
    ("# T\n\n## A\n" + "x" * lessons.MAX_LESSON_BYTES, "more than the limit of 65,536"),
])
def test_a_bad_file_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(RnnExplorerError, match="lesson 'f'") as err:
        lessons.parse(text, "f")
    assert message in str(err.value)


def test_a_lesson_from_a_link_is_fetched_with_the_lesson_size_cap():
    asked = {}

    def fetch(url, max_bytes):
        asked.update(url=url, max_bytes=max_bytes)
        return (HEAD + step("page: data")).encode()

    lesson = lessons.from_link("https://example.org/my.md", fetch)
    assert asked == {"url": "https://example.org/my.md", "max_bytes": lessons.MAX_LESSON_BYTES}
    assert lesson.id == "https://example.org/my.md" and lesson.steps[0].page == "data"


def test_unknown_built_in_lesson_lists_the_others():
    with pytest.raises(RnnExplorerError, match="no lesson '42': use one of 0, 1, 2"):
        lessons.builtin("42")


def test_shortened_caps_every_step_and_keeps_the_rest():
    lesson = lessons.builtin("3")
    short = lessons.shortened(lesson, epochs=1, units=2)
    for a, b in zip(lesson.steps, short.steps):
        assert b.config == a.config.replace(epochs=1, units=min(a.config.units, 2))
        assert (b.title, b.page, b.train, b.text) == (a.title, a.page, a.train, a.text)


# --------------------------------------------------------------------------- live numbers


def test_net_placeholders_are_the_unrolled_numbers():
    w = {"W_x": np.array([[1.0, 0.5]]), "W_h": np.array([[0.5, 0.0], [0.0, 0.5]]),
         "b": np.array([0.0, 0.0])}
    trace = unroll_layer("SimpleRNN", w, np.array([[1.0], [2.0], [3.0]]), activation="linear")
    unrolled = SimpleNamespace(layers=[trace], output=np.array([4.0]))
    found = lesson_facts.Sources(config=preset("t1-structure"), unrolled=unrolled,
                                 keras=np.array([4.0000005]))
    text, missing = lesson_facts.fill("{{net.h2}} | {{net.W_x}} | {{net.gap}} | {{net.keras}}",
                                      found)
    assert missing == []
    assert text == f"{fmt_vector(trace.h[1])} | [1, 0.5] | 5e-07 | [4]"
    assert fmt_vector(trace.h[1]) == "[2.5, 1.25]"


def test_run_placeholders_come_from_the_run_and_wait_for_it():
    metrics = {"test_rmse_original": 18.0, "persistence_test_rmse_original": 20.0,
               "train_rmse_original": 15.0}
    run = SimpleNamespace(metrics=metrics, config=RunConfig(),
                          windows=SimpleNamespace(horizon=1, n_train=2195, n_test=564),
                          history=SimpleNamespace(epochs_run=30, fit_seconds=4.26))
    text = "{{run.test_rmse}} vs {{run.persistence_test_rmse}}: {{run.gain}}, {{run.windows_train}}"
    assert lesson_facts.fill(text, lesson_facts.Sources(config=RunConfig(), run=run)) == (
        "18 vs 20: 10.0 % better, 2,195", [])
    assert lesson_facts.fill(text, lesson_facts.Sources(config=RunConfig()))[1] == [
        "run.test_rmse", "run.persistence_test_rmse", "run.gain", "run.windows_train"]
