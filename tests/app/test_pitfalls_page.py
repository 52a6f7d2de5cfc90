"""Pitfalls page: two trainings differing in one choice, the difference shown with its lesson."""

from tests.app.helpers import texts, wait_for_jobs


def test_layout_pitfall_trains_both_and_reports_the_difference(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.switch_page("pages/pitfalls.py").run()
    assert not at.exception
    at.radio(key="pitfall_choice").set_value("layout").run()
    assert any("recurrence runs once" in i for i in texts(at.info))
    at.button(key="pitfall_start").click().run()
    name, pair = at.session_state["pitfall"]
    assert [job.config.layout for job in pair] == ["features", "sequence"]
    assert pair[0].config.replace(layout="sequence") == pair[1].config
    wait_for_jobs(at, pair)
    table = at.dataframe[0].value
    assert table["run"].tolist() == ["window as features (samples, 1, T)",
                                     "time steps as sequence (samples, T, 1)"]
    a, b = table["test RMSE"].tolist()
    assert any(f"test RMSE {b:.4g} vs {a:.4g}" in m.value for m in at.markdown)
    # both runs are on the Compare page too, once, named by the choice
    at.switch_page("pages/compare.py").run()
    at.run()
    runs = at.session_state["runs"]
    assert [r.name.split(": ", 1)[1] for r in runs] == [
        "window as features (samples, 1, T) · simplernn 8u T=12",
        "time steps as sequence (samples, T, 1) · simplernn 8u T=12"]
    assert [r.metrics["test_rmse_original"] for r in runs] == [a, b]
    assert not at.exception


def test_windows_pitfall_needs_more_than_one_time_step(app):
    at = app({"time_steps": "1"})
    at.switch_page("pages/pitfalls.py").run()
    at.radio(key="pitfall_choice").set_value("windows").run()
    at.button(key="pitfall_start").click().run()
    assert any("non-overlapping and sliding windows are the same" in e for e in texts(at.error))


def test_a_choice_sent_with_the_click_is_the_one_trained(app):
    """The radio and the button in one message (a click that left the browser before the
    radio's rerun was drawn; seen in CI under load): the callback must train the radio's
    choice as sent, not the one of the run that drew the button."""
    at = app({"dataset": "airpassengers", "epochs": "1"})
    at.switch_page("pages/pitfalls.py").run()
    assert at.radio(key="pitfall_choice").value == "scaler"
    at.radio(key="pitfall_choice").set_value("transform")
    at.button(key="pitfall_start").click().run()
    name, pair = at.session_state["pitfall"]
    assert name == "transform"
    assert [job.config.transform for job in pair] == ["none", "log_seasonal_diff"]
    wait_for_jobs(at, pair)
