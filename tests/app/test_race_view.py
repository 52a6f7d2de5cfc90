"""The race of the three cells on the Compare page: the runners and their counts before the start,
the overlaid loss curves, the table and the verdict after, a link that starts a race."""

import time

import numpy as np
import pytest

from rnn_core import jobs, race
from rnn_core.config import RunConfig
from rnn_core.presets import preset
from tests.app.helpers import chart_title, chart_traces, texts, wait_for_jobs

TINY = {"dataset": "sine", "sine_length": "120", "time_steps": "5", "units": "6", "epochs": "2"}


def _race_table(at):
    return next(d.value for d in at.dataframe if "parameters" in d.value.columns)


def _chart(at, title):
    return next(c for c in at.get("plotly_chart") if chart_title(c) == title)


def test_a_race_on_the_same_windows_fills_the_table_and_overlays_the_curves(app):
    at = app(TINY)
    at.switch_page("pages/compare.py").run()
    at.radio(key="race_match").set_value("params").run()
    base = RunConfig(dataset="sine", sine_length=120, time_steps=5, units=6, epochs=2)
    counts = {c: race.parameters(base.replace(cell=c, units=race.matched_units(base, c, 5, 1)), 5, 1)
              for c in race.CELLS}
    lineup = next(c for c in texts(at.caption) if c.startswith("Runners: "))
    assert f"SimpleRNN 6 units ({counts['simplernn']:,} parameters)" in lineup
    assert f"LSTM {race.matched_units(base, 'lstm', 5, 1)} units ({counts['lstm']:,} parameters)" in lineup
    at.button(key="race_start").click().run()
    assert not at.exception
    match, jobs = at.session_state["race"]
    assert match == "params" and [j.config.cell for j in jobs] == list(race.CELLS)
    wait_for_jobs(at, at.session_state["race"][1])
    table = _race_table(at)
    assert table["cell"].tolist() == ["SimpleRNN", "LSTM", "GRU"]
    assert table["parameters"].tolist() == [counts[c] for c in race.CELLS]
    runs = [j.run for j in jobs]
    assert np.allclose(table["test MSE"], [r.metrics["test_rmse_original"] ** 2 for r in runs])
    # the same windows for every runner
    for r in runs[1:]:
        assert np.array_equal(r.windows.x_train, runs[0].windows.x_train)
    assert any(m.value.startswith("Matched on about the same number of parameters. Lowest test MSE:")
               for m in at.markdown)
    loss = chart_traces(_chart(at, "The race: loss per epoch"))
    assert [t["name"] for t in loss][::2] == [f"SimpleRNN 6u (train)",
                                               f"LSTM {runs[1].config.units}u (train)",
                                               f"GRU {runs[2].config.units}u (train)"]
    assert loss[2]["y"] == pytest.approx(runs[1].history.loss)
    profiles = chart_traces(_chart(at, "Where each network looks: mean sensitivity per input step"))
    assert [t["name"].split(" (")[0] for t in profiles] == ["SimpleRNN", "LSTM", "GRU"]
    assert all(len(t["y"]) == 5 for t in profiles)
    # the runners joined the Compare table, once, named as racers
    at.run()
    names = [r.name.split(": ", 1)[1] for r in at.session_state["runs"]]
    assert names == [f"race · SimpleRNN 6u · simplernn 6u T=5",
                     f"race · LSTM {runs[1].config.units}u · lstm {runs[1].config.units}u T=5",
                     f"race · GRU {runs[2].config.units}u · gru {runs[2].config.units}u T=5"]
    assert not at.exception


def test_a_link_starts_a_race_over_seeds_once_and_a_bad_one_says_so(app):
    at = app({**TINY, "epochs": "1", "race": "units", "race_seeds": "1"})
    at.switch_page("pages/compare.py").run()
    match, jobs = at.session_state["race"]
    assert match == "units" and at.checkbox(key="race_seeds").value is True
    assert [(j.config.cell, j.config.seed) for j in jobs] == [(c, s) for c in race.CELLS
                                                              for s in race.RACE_SEEDS]
    wait_for_jobs(at, at.session_state["race"][1])
    table = _race_table(at)
    assert table["seed"].tolist() == [0, 1, 2] * 3
    spread = next(d.value for d in at.dataframe if "worst" in d.value.columns)
    lstm = table[table["cell"] == "LSTM"]["test MSE"]
    assert spread["cell"].tolist() == ["SimpleRNN", "LSTM", "GRU"]
    assert spread.iloc[1][["best test MSE", "worst"]].tolist() == pytest.approx([lstm.min(), lstm.max()])
    verdict = next(m.value for m in at.markdown if m.value.startswith("Matched on the same hidden units."))
    assert "means over seeds" in verdict
    at.run()
    assert at.session_state["race"][1] is jobs  # not started again
    bad = app({**TINY, "race": "fastest"})
    bad.switch_page("pages/compare.py").run()
    assert any("race='fastest' is not valid" in w for w in texts(bad.warning))
    assert "race" not in bad.session_state


def test_a_race_waiting_for_trainers_draws_no_empty_chart(app):
    # both trainers busy with other people's trainings (the server's queue is shared): the
    # runners wait, and the page says where the curves will come rather than drawing axes
    # around nothing
    others = [jobs.runner().submit(preset("sunspots").replace(epochs=500, seed=s)) for s in (1, 2)]
    try:
        deadline = time.monotonic() + 120
        while not all(job.status == jobs.RUNNING for job in others):
            assert time.monotonic() < deadline, "the other trainings did not start"
            time.sleep(0.1)
        at = app(TINY)
        at.switch_page("pages/compare.py").run()
        at.button(key="race_start").click().run()
        pack = at.session_state["race"][1]
        assert not any(job.events for job in pack)
        assert not any(chart_title(c) == "The race: loss per epoch"
                       for c in at.get("plotly_chart"))
        assert "The loss curves appear as the runners finish their first epoch." in texts(
            at.caption)
    finally:
        for job in others:
            job.request_stop()
    wait_for_jobs(at, pack)
    assert chart_traces(_chart(at, "The race: loss per epoch"))  # drawn once they trained
