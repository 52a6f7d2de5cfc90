"""Network & training page: the estimated training time next to Train, and a training that
could not finish in time refused before it is queued (issue 13, item 8)."""

import re

from rnn_core import cost
from tests.app.helpers import texts


def _captions(at) -> list[str]:
    return [c for c in texts(at.caption) if c.startswith("Training time: ")]


def test_the_estimate_shows_next_to_train(app, monkeypatch):
    monkeypatch.delenv(cost.LIMIT_VARIABLE, raising=False)
    at = app()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    shown = _captions(at)
    assert len(shown) == 1, texts(at.caption)
    assert re.fullmatch(r"Training time: (a few seconds|about \d+ s) on this server "
                        r"\(limit 15 min\)\.", shown[0]), shown
    at.number_input(key="field:epochs").set_value(500).run()
    at.number_input(key="field:units").set_value(256).run()
    assert re.fullmatch(r"Training time: about [\d.]+ (min|h) on this server \(limit 15 min\)\.",
                        _captions(at)[0]), _captions(at)


def test_an_over_limit_training_is_refused_and_queues_nothing(app, monkeypatch):
    monkeypatch.delenv(cost.LIMIT_VARIABLE, raising=False)
    at = app()
    at.switch_page("pages/train.py").run()
    at.selectbox(key="field:cell").set_value("lstm").run()
    at.number_input(key="field:units").set_value(256).run()
    at.number_input(key="field:layers").set_value(3).run()
    at.number_input(key="field:epochs").set_value(500).run()
    assert " h on this server" in _captions(at)[0]
    at.button(key="train_button").click().run()
    assert not at.exception
    errors = texts(at.error)
    assert any(e.startswith("This training would take about ") and "limit of 15 min" in e
               and ("lower the hidden units from 256 to" in e or "lower the epochs from 500 to" in e)
               for e in errors), errors
    job = at.session_state["job"] if "job" in at.session_state else None
    assert job is None  # nothing was queued
    assert not at.success and not at.get("progress")
