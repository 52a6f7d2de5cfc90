"""The Text page: the corpus and your own text, a trained run's numbers recomputed from its
network (bits per character, the sample, the text coloured by a unit, the finder), and the
series pages pointing a text setup to it."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from rnn_core import text, text_features
from rnn_core.text_figures import glyph, layout, symbol

from tests.app.helpers import APP, TIMEOUT, chart_traces, texts, wait_for_jobs

TINY = (("text_chars", 3000), ("time_steps", 16), ("units", 8), ("epochs", 2))


@pytest.fixture(scope="module")
def trained():
    """The page after one tiny brackets training through the queue (Train, as a user does)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["preset"] = "text-brackets"
    at.run()
    at.switch_page("pages/text.py").run()
    for name, value in TINY:
        at.number_input(key=f"field:{name}").set_value(value).run()
    at.button(key="text_train_button").click().run()
    assert not at.exception and not at.error
    return wait_for_jobs(at, [at.session_state["text_job"]])


@pytest.fixture(scope="module")
def brackets_run(trained):
    return trained.session_state["text_run"]


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def chart(at, key):
    return next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))


def _open_with(app, run):
    at = app({"dataset": "brackets", "text_chars": "3000", "time_steps": "16"})
    at.session_state["text_run"] = run
    return at.switch_page("pages/text.py").run()


@pytest.mark.parametrize("page", ["pages/data.py", "pages/train.py", "pages/compare.py",
                                  "pages/pitfalls.py"])
def test_a_series_page_given_a_text_setup_points_to_the_text_page(app, page):
    at = app({"dataset": "python-stdlib"})
    at.switch_page(page).run()
    assert not at.exception
    assert any("character-level text model" in v and "Text page" in v for v in texts(at.info))


def test_own_text_pasted_is_used_and_a_bad_one_says_why(app):
    at = app()
    at.switch_page("pages/text.py").run()
    assert not at.exception
    at.radio(key="text_corpus").set_value("text").run()
    assert at.session_state["config"].dataset == "text"
    words = "the cat sat on the mat and the dog sat on the log. " * 20
    at.text_area(key="text_paste").set_value(words).run()
    at.button(key="text_use_paste").click().run()
    assert not at.exception and not at.error
    assert at.session_state["user_text"] == words
    assert f"{len(words):,} characters" in " ".join(texts(at.caption))
    config = at.session_state["config"]
    n_test = len(words) - int(len(words) * config.split)
    assert metric(at, "Held-out characters") == f"{n_test:,}"
    at.text_area(key="text_paste").set_value("   \n ").run()
    at.button(key="text_use_paste").click().run()
    assert any("empty" in e for e in texts(at.error))
    assert at.session_state["user_text"] == words  # the good text stays


def test_bits_per_char_and_verdict_are_the_runs(app, brackets_run):
    at = _open_with(app, brackets_run)
    assert not at.exception
    run = brackets_run
    assert metric(at, "Network") == f"{run.bits_per_char:.3f} bits/char"
    assert metric(at, "Bigram baseline") == f"{run.bigram_bits_per_char:.3f} bits/char"
    assert metric(at, "Unigram baseline") == f"{run.unigram_bits_per_char:.3f} bits/char"
    # the baselines are those of the held-out text, recomputed here
    prepared = text.prepare_text(run.config)
    assert run.bigram_bits_per_char == pytest.approx(
        text.bigram_bits(prepared.train_text, prepared.test_text, prepared.vocab))
    verdicts = texts(at.success) + texts(at.warning)
    assert run.verdict() in verdicts
    bars = chart_traces(chart(at, "text_bits"))[0]
    assert bars["x"] == pytest.approx([run.bits_per_char, run.bigram_bits_per_char,
                                       run.unigram_bits_per_char])


def test_sample_is_the_networks_and_changes_with_the_seed(app, brackets_run):
    at = _open_with(app, brackets_run)
    at.text_input(key="text_prompt").set_value("((").run()
    at.number_input(key="text_n").set_value(100).run()
    at.number_input(key="text_sample_seed").set_value(3).run()
    assert not at.exception
    expected = brackets_run.network().sample("((", 100, 0.5, 3)
    drawn = chart_traces(chart(at, "text_sample_chart"))[1]["text"]
    assert len(drawn) == 102
    assert at.code[0].value == "((" + expected.text  # the plain text of the same sample
    at.number_input(key="text_sample_seed").set_value(4).run()
    assert at.code[0].value == "((" + brackets_run.network().sample("((", 100, 0.5, 4).text


def test_text_coloured_by_the_unit_picked(app, brackets_run):
    at = _open_with(app, brackets_run)
    net = brackets_run.network()
    layer = next(iter(net.step_states("a")))
    at.selectbox(key="text_signal").set_value("c").run()
    at.selectbox(key="text_unit").set_value(5).run()
    assert not at.exception
    shown = brackets_run.test_text[:2000]
    states = net.step_states(brackets_run.test_text[:5000])[layer]["c"]
    heat = chart_traces(chart(at, "text_coloured"))[0]
    rows, cols = layout(shown)
    z = np.array(heat["z"], dtype=float).reshape(rows.max() + 1, -1)  # sent flat
    np.testing.assert_allclose(z[rows, cols], states[:len(shown), 5], atol=1e-9)
    units = chart_traces(chart(at, "text_units_heatmap"))[0]
    np.testing.assert_allclose(np.array(units["z"], dtype=float),  # units × the first 160
                               states[:160].T.ravel(), atol=1e-9)


def test_finder_on_brackets_names_the_best_unit_against_the_exact_depth(app, brackets_run):
    at = _open_with(app, brackets_run)
    at.button(key="text_find_units").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    net = brackets_run.network()
    shown = brackets_run.test_text[:5000]
    flat = {f"{layer} {signal}": a for layer, arrays in net.step_states(shown).items()
            for signal, a in arrays.items()}
    whole = text.corpus(brackets_run.config).text  # features counted from the text's start
    start = len(whole) - brackets_run.n_test_chars
    values = text_features.features_of_part(whole, start, len(shown))
    values["bracket_depth"] = brackets_run.test_depth[:len(shown)].astype(float)
    expected = {m.feature: m for m in text_features.find_units(flat, values)}
    row = table[table["feature"].str.startswith("bracket depth")].iloc[0]
    depth = expected["bracket_depth"]
    assert row["feature"].endswith("(exact)")
    assert (row["layer and signal"], row["unit"]) == (depth.layer, depth.unit + 1)
    assert row["correlation r"] == pytest.approx(depth.correlation, abs=1e-3)
    # no strings or comments in brackets: nothing claimed for them, and the page says so
    assert "inside a string" not in set(table["feature"])
    assert any("Not in this text" in c for c in texts(at.caption))


def test_inside_without_a_text_run_says_where_to_train(app):
    at = app({"dataset": "brackets"})
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    assert any("No text model trained" in v for v in texts(at.info))


def test_inside_steps_through_a_window_of_characters(app, brackets_run):
    at = app({"dataset": "brackets", "text_chars": "3000", "time_steps": "16"})
    at.session_state["text_run"] = brackets_run
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    window = brackets_run.test_text[:16]
    assert at.text_input(key="text_window").value == window
    at.slider(key="text_unroll_t").set_value(5).run()
    net = brackets_run.network()
    probs = net.probs(window)[4]  # after the 5th character
    table = at.dataframe[0].value
    best = np.argsort(-probs, kind="stable")[:5]
    assert table["probability"].tolist() == pytest.approx(probs[best].tolist())
    assert any(f"reads ``{symbol(window[4])}`` (index {net.vocab.encode(window[4])[0]} "
               in m for m in texts(at.markdown))
    assert table["next character"].tolist() == [symbol(net.vocab.chars[i]) for i in best]
    at.text_input(key="text_window").set_value("(((").run()
    assert any("exactly 16 characters" in e for e in texts(at.error))
    at.text_input(key="text_window").set_value(window).run()
    at.toggle(key="text_unroll_keras").set_value(True).run()
    gap = next(m.value for m in at.metric if m.label.startswith("Largest |numpy"))
    assert float(gap) < 1e-5


def test_train_through_the_queue_shows_the_runs_numbers(trained):
    at = trained
    job = at.session_state["text_job"]
    run = at.session_state["text_run"]
    assert run is job.run and run.epochs_run == 2
    assert (run.config.text_chars, run.config.units, run.config.dataset) == (3000, 8, "brackets")
    assert metric(at, "Network") == f"{run.bits_per_char:.3f} bits/char"
    assert any(s.startswith("Training finished: 2 epochs") for s in texts(at.success))
    loss = chart_traces(chart(at, f"text_loss_{job.id}"))[0]  # in bits per character
    assert loss["y"] == pytest.approx([v / np.log(2) for v in run.history.loss])


def test_knobs_a_text_does_not_read_are_greyed_out_with_the_reason(app):
    at = app({"preset": "text-stdlib"})
    at.switch_page("pages/text.py").run()
    assert not at.exception
    assert at.number_input(key="field:brackets_depth").disabled
    assert at.number_input(key="field:text_seed").disabled
    assert not at.number_input(key="field:embedding_dim").disabled  # the preset embeds
    assert "Used by the generated brackets text only." in texts(at.caption)
    at.selectbox(key="field:text_input").set_value("onehot").run()
    assert at.number_input(key="field:embedding_dim").disabled
    at.radio(key="text_corpus").set_value("brackets").run()
    assert not at.number_input(key="field:brackets_depth").disabled
    assert at.session_state["config"].text_input == "onehot"  # the knobs stay
    assert any(c.startswith("Training time: ") and "limit" in c for c in texts(at.caption))


def test_inside_shows_how_far_back_a_text_window_looks(app, brackets_run):
    """The bars are the sensitivity of log p(next character) to each character read, as
    text_memory computes it from the run's network (itself checked against GradientTape)."""
    from rnn_core.text_memory import char_sensitivity, sentence

    at = app({"dataset": "brackets", "text_chars": "3000", "time_steps": "16"})
    at.session_state["text_run"] = brackets_run
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    net = brackets_run.network()
    window = brackets_run.test_text[:16]
    came = brackets_run.test_text[16]
    for target, measure, wanted in (("next", "log", came), ("top", "probability", None)):
        at.radio(key="text_memory_target").set_value(target).run()
        at.radio(key="text_memory_measure").set_value(measure).run()
        assert not at.exception
        s = char_sensitivity(net, window, wanted, log=measure == "log")
        bars = chart_traces(chart(at, "text_memory_bars"))[0]
        np.testing.assert_allclose(np.array(bars["y"], dtype=float), s.size, rtol=1e-9)
        signed = [float(row[0]) for row in bars["customdata"]]
        np.testing.assert_allclose(signed, s.signed, rtol=1e-9)
        assert [row[1] for row in bars["customdata"]] == [glyph(c) for c in window]
        assert s.memory >= 1 and sentence(s) in texts(at.markdown)
        lag = chart_traces(chart(at, "text_memory_lag_0"))  # why it forgets, as for a series
        np.testing.assert_allclose(np.array(lag[1]["y"], dtype=float),
                                   s.gradients.layers[0].d_state_state_norm, rtol=1e-9)


def test_the_trained_text_run_is_kept_for_the_browsers_next_session(trained):
    """Train's run is in the store under the session's browser token (a reload restores it:
    tests/app/test_text_persist.py)."""
    from rnn_core import store as store_mod

    run = trained.session_state["text_run"]
    token = trained.session_state["persist_token"]
    [stored] = [s for s in store_mod.from_env().text_runs(token) if s.run.name == run.name]
    assert stored.number == int(run.name.split()[2].rstrip(":"))
    assert stored.run.bits_per_char == run.bits_per_char
    for a, b in zip(stored.run.weights, run.weights, strict=True):
        np.testing.assert_array_equal(a, b)
