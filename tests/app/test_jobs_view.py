"""Following background trainings (ui/jobs_view.py): the epoch progress over several jobs, one
Stop for all, and a Pitfalls comparison that says it was stopped and shows what it trained."""

import re
import time

from rnn_core.config import RunConfig
from rnn_core.jobs import DONE, QUEUED, RUNNING, STOPPED, TrainingJob
from rnn_core.pitfalls import PITFALLS
from rnn_core.training import EpochEvent
from tests.app.helpers import texts
from ui import jobs_view


def _job(epochs: int, status: str, done: int = 0) -> TrainingJob:
    job = TrainingJob(RunConfig(epochs=epochs), status=status)
    job.events = [EpochEvent(e, epochs, 0.1, 0.2, 1.0) for e in range(1, done + 1)]
    return job


def test_the_epoch_line_of_one_training_names_its_loss_and_time_left():
    from ui import text_view, train_panel

    job = _job(30, RUNNING)
    assert train_panel._progress_text([job]) == "Epoch 0/30 · building the model…"
    job.events = [EpochEvent(3, 30, 0.0123456, 0.2, 1.2)]  # 0.4 s an epoch, 27 to go
    assert train_panel._progress_text([job]) == "Epoch 3/30 · loss 0.01235 · about 11 s left"
    job.events = [EpochEvent(1, 30, 1.3862944, 1.5, 2.0)]  # 2 bits: ln 4 nats; 29 epochs of 2 s
    assert text_view._progress_text([job]) == (
        "Epoch 1/30 · loss 1.3863 (2.000 bits/char on training) · about 58 s left")


def test_progress_counts_the_epochs_of_every_job():
    pair = [_job(30, RUNNING, 7), _job(30, RUNNING, 12)]
    assert jobs_view.epochs_text(pair) == "epoch 7/30 and 12/30"
    assert jobs_view.fraction(pair) == 19 / 60
    # a finished job counts all its epochs (stopped early or not); a waiting one none
    grid = [_job(10, STOPPED, 4), _job(10, RUNNING, 5), _job(10, QUEUED)]
    assert jobs_view.epoch_totals(grid) == (15, 30)
    assert jobs_view.epochs_text(grid) == "epoch 4/10 (stopped), 5/10 and 0/10 (queued)"
    assert jobs_view.fraction([_job(3, DONE, 3)]) == 1.0


def test_stop_asks_every_job_to_stop():
    grid = [_job(10, RUNNING, 1), _job(10, QUEUED)]
    jobs_view.stop(grid)
    assert all(job.stop_event.is_set() for job in grid)


def _wait(condition, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the trainings did not get there in time"
        time.sleep(0.1)


def test_a_pitfall_comparison_shows_epochs_and_stops_both(app):
    at = app({"dataset": "airpassengers", "epochs": "400"})
    at.switch_page("pages/pitfalls.py").run()
    at.radio(key="pitfall_choice").set_value("scaler").run()
    at.radio(key="pitfall_base").set_value("current").run()  # the link's 400 epochs
    at.button(key="pitfall_start").click().run()
    name, pair = at.session_state["pitfall"]
    pit = PITFALLS[name]
    _wait(lambda: all(job.events for job in pair))  # both train (two workers)
    at.run()
    [progress] = [p.proto.text for p in at.get("progress")]
    assert re.fullmatch(r"Training both: epoch \d+/400 and \d+/400", progress), progress
    at.button(key="pitfall_stop").click().run()
    _wait(lambda: all(job.finished for job in pair))
    at.run()
    assert [job.status for job in pair] == ["stopped", "stopped"]
    assert not at.get("progress") and "pitfall_stop" not in [b.key for b in at.button]
    stopped = [i for i in texts(at.info) if "stopped after" in i]
    epochs = [job.run.history.epochs_run for job in pair]
    assert stopped == [f"{label}: stopped after {n} of 400 epochs; its numbers are the model's "
                       "as trained so far." for label, n in zip((pit.mistake, pit.fix), epochs)]
    assert all(1 <= n < 400 for n in epochs), epochs
    # what they trained is still compared, and both runs reach the Compare page
    assert at.dataframe[0].value["run"].tolist() == [pit.mistake, pit.fix]
    assert len(at.session_state["runs"]) == 2
    assert not at.exception
