"""The start page, lessons played in the app, and teacher links (issue 18, sections 1-3)."""

import json
import os
import subprocess
import sys
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from rnn_core import lesson_facts, lessons
from rnn_core.equations import fmt_vector
from rnn_core.presets import preset
from rnn_core.text import is_text
from rnn_core.unroll import unroll
from tests.app.helpers import APP, wait_for_jobs

TITLES = {"start": "RNN Explorer", "data": "Data & windows", "train": "Network & training",
          "results": "Results", "inside": "Inside the network", "compare": "Compare runs",
          "pitfalls": "Pitfalls made visible", "text": "Text"}
TINY = dict(epochs=1, units=2, train_sequences=10, test_sequences=10,  # every training: ~1 s
            text_chars=5_000)
PLAYABLE = [i for i in lessons.builtin_ids() if not lessons.builtin(i).needs]


def panel_texts(at) -> list[str]:
    return [m.value for m in at.sidebar.markdown]


def step_text(at, step) -> str:
    """The player's paragraph of ``step`` (the markdown right under its title)."""
    texts = panel_texts(at)
    return texts[texts.index("##### " + step.title) + 1]


def test_start_page_is_the_default_with_the_first_minute_and_a_card_per_lesson(app):
    at = app(page=None)
    assert not at.exception
    assert [t.value for t in at.title] == ["RNN Explorer"]
    first = lessons.builtin("0")
    assert [b.label for b in at.button if b.key.startswith("first_minute_")] == [
        f"{i + 1}. {s.title}" for i, s in enumerate(first.steps)]
    starts = {b.key: b for b in at.button if b.key.startswith("lesson_start_")}
    assert set(starts) == {f"lesson_start_{i}" for i in lessons.builtin_ids() if i != "0"}
    for i in lessons.builtin_ids()[1:]:  # a lesson that needs something missing is greyed out
        assert starts[f"lesson_start_{i}"].disabled == bool(lessons.builtin(i).needs)
    assert any(link.proto.page == "data" for link in at.get("page_link"))


START_PAGE_ALONE = f"""
import json, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({APP!r}, default_timeout=60).run()
start = time.perf_counter()
at.run()
print(json.dumps([bool(at.exception), [t.value for t in at.title], time.perf_counter() - start,
                  "tensorflow" in sys.modules or "keras" in sys.modules]))
"""


def test_start_page_opens_in_under_a_second_without_tensorflow():
    env = dict(os.environ, RNN_EXPLORER_PRELOAD="0")
    out = subprocess.run([sys.executable, "-c", START_PAGE_ALONE], capture_output=True,
                         text=True, env=env, timeout=120)
    exception, titles, seconds, tf_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert not exception and titles == ["RNN Explorer"] and not tf_loaded
    assert seconds < 1.0, seconds


def test_lesson_link_opens_the_step_with_its_state_applied(app):
    at = app({"lesson": "1", "step": "2"}, page=None)
    assert not at.exception
    step = lessons.builtin("1").steps[1]
    assert [t.value for t in at.title] == [TITLES[step.page]]  # Inside the network
    assert at.session_state["config"] == preset("t1-structure") == step.config
    assert at.session_state["unroll_t"] == step.t
    assert at.radio(key="unroll_model_choice").value.startswith("untrained")
    assert at.radio(key="unroll_source").value == "type a window"
    assert at.text_input(key="unroll_text").value == "1, 2, 3"
    texts = panel_texts(at)
    assert "##### " + step.title in texts
    assert any(p.proto.text == "Step 2 of 4" for p in at.sidebar.get("progress"))
    # the number the lesson quotes is the page's own h_1, computed by hand (numpy)
    model = at.session_state["unroll_untrained"][1][0]
    h1 = fmt_vector(unroll(model, np.array([[1.0], [2.0], [3.0]])).layers[0].h[0])
    assert any(f"= {h1}." in t for t in texts), texts
    assert any(h1 in c.value for c in at.code)  # the step's equations on the page


def test_bad_lesson_or_step_in_a_link_is_reported(app):
    at = app({"lesson": "99"}, page=None)
    assert not at.exception and [t.value for t in at.title] == ["RNN Explorer"]
    assert any("no lesson '99'" in w.value for w in at.sidebar.warning)
    at = app({"lesson": "1", "step": "9"})
    assert any("step='9' is not a step of lesson '1': use 1 to 4" in w.value
               for w in at.sidebar.warning)


def test_hide_hides_the_learning_rate_and_lock_greys_out_epochs(app):
    at = app({"hide": "learning_rate", "lock": "epochs"})
    for _ in range(2):  # and still after a page switch
        at.switch_page("pages/train.py").run()
        keys = [n.key for n in at.number_input]
        assert "field:learning_rate" not in keys and "field:batch_size" in keys
        assert at.number_input(key="field:epochs").disabled
        at.switch_page("pages/data.py").run()
    assert "hide=learning_rate" in at.sidebar.code[0].value  # kept in the link too


def test_bad_hide_value_gives_a_message_and_hides_nothing(app):
    at = app({"hide": "lerning_rate"})
    assert not at.exception
    assert any("hide='lerning_rate' is not a setting" in w.value for w in at.sidebar.warning)
    at.switch_page("pages/train.py").run()
    assert at.number_input(key="field:learning_rate") is not None


def _jobs(at, step):
    state = at.session_state
    if step.train:
        return [state["text_job" if is_text(step.config) else "job"]]
    if step.race:
        return state["race"][1]
    return state["pitfall"][1] if step.pitfall else []


@pytest.mark.parametrize("lesson_id", PLAYABLE)
def test_every_built_in_lesson_plays_to_its_end(app, lesson_id):
    """Every step with Show me then Next: its page opens, its training runs, and every number
    its text quotes is filled (the lesson's own steps, with tiny trainings)."""
    lesson = lessons.shortened(lessons.builtin(lesson_id), **TINY)
    at = app(page=None)  # (AppTest pins a page it was sent to: the lesson switches pages)
    at.session_state["lesson"], at.session_state["lesson_open"] = lesson, True
    at.run()
    at.sidebar.button(key="lesson_show").click().run()
    for i, step in enumerate(lesson.steps):
        assert not at.exception, (i, at.exception)
        jobs = _jobs(at, step)
        if jobs:
            at = wait_for_jobs(at, jobs, seconds=180)
        assert [t.value for t in at.title] == [TITLES[step.page]], i
        assert at.session_state["config"] == step.config, i
        text = step_text(at, step)
        assert lesson_facts.MISSING not in text and "{{" not in text, (i, text)
        if i + 1 < len(lesson.steps):
            at.sidebar.button(key="lesson_next").click().run()
    assert at.sidebar.button(key="lesson_next").disabled


def test_leave_and_resume_keep_the_step(app):
    at = app({"lesson": "1", "step": "3"})
    at.sidebar.button(key="lesson_leave").click().run()
    assert not any(k == "lesson_next" for k in (b.key for b in at.sidebar.button))
    at.switch_page("pages/start.py").run()
    at.button(key="start_resume").click().run()
    assert any(p.proto.text == "Step 3 of 4" for p in at.sidebar.get("progress"))
    assert at.session_state["unroll_t"] == lessons.builtin("1").steps[2].t


def test_teacher_section_builds_the_link_from_ticks(app):
    at = app()
    at.sidebar.multiselect(key="teacher_hide").set_value(["learning_rate", "optimizer"]).run()
    at.sidebar.multiselect(key="teacher_lock").set_value(["epochs"]).run()
    at.sidebar.selectbox(key="teacher_lesson").set_value("2").run()
    at.sidebar.number_input(key="teacher_step").set_value(3).run()
    link = urlsplit(at.sidebar.code[-1].value)
    params = dict(parse_qsl(link.query))
    assert {k: params.pop(k) for k in ("hide", "lock", "lesson", "step")} == {
        "hide": "optimizer,learning_rate", "lock": "epochs", "lesson": "2", "step": "3"}
    assert params == state_params(at)  # and the setup, as the share link has it


def state_params(at) -> dict:
    return dict(parse_qsl(urlsplit(at.sidebar.code[0].value).query))


def test_a_lesson_file_from_a_link_is_checked_then_played(app, monkeypatch):
    asked = []

    def fetch_url(url, max_bytes, allow_private=False, **_):
        asked.append((url, max_bytes, allow_private))
        text = "# Mine\nA lesson of my own.\n\n## Units\n```step\nset: units=5\npage: train\n```\n"
        return (text + ("{{config.units}} units." if "good" in url else "{{run.test_rmse}}")).encode()

    monkeypatch.setattr("rnn_core.fetch.fetch_url", fetch_url)
    at = app(page=None)
    at.text_input(key="lesson_url").input("https://example.org/bad.md").run()
    at.button(key="lesson_open_link").click().run()
    assert "step 1 (Units): {{run.test_rmse}} needs an earlier step" in at.error[0].value
    at.text_input(key="lesson_url").input("https://example.org/good.md").run()
    at.button(key="lesson_open_link").click().run()
    assert asked[-1] == ("https://example.org/good.md", lessons.MAX_LESSON_BYTES, False)
    assert [t.value for t in at.title] == ["Network & training"]
    assert at.number_input(key="field:units").value == 5
    assert "5 units." in panel_texts(at)
