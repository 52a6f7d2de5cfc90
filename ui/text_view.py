"""The Text page's setup and training: the corpus, your own text, the knobs, Train and its run.

The setup is the one ``RunConfig`` (state rule): picking a corpus is ``state.change`` in a
callback; the knobs are ``widgets.field``. Your own text is kept in the session like an
uploaded table (``session.user_text``), never in links. Trainings go through the same queue and
worker processes as the series (``rnn_core.jobs``), followed by ``jobs_view.follow``; the finished
``TextRun`` lands in ``session.text_run`` and ``session.text_runs``, and in the store for
this browser's next sessions (``persist.remember_text_run``; restored on reload). What the
page shows of a run is in ``ui/text_inside.py``.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd
import streamlit as st

from rnn_core import cost, jobs, text, text_figures
from rnn_core.config import TEXTS
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import preset

from . import jobs_view, persist, state, widgets
from .session import Session, session

CORPUS_LABELS = {"python-stdlib": "Python standard library (source)",
                 "brackets": "brackets (depth known exactly)",
                 "text": "your own text (paste or upload)"}
# A series setup moving to a text starts from the text preset of that corpus, whose network
# and windows suit characters (a sunspots setup's 12 steps and 1 feature do not).
START_PRESET = {"python-stdlib": "text-stdlib", "brackets": "text-brackets", "text": "text-stdlib"}
KNOBS = ("text_chars", "time_steps", "split", "text_input", "embedding_dim", "brackets_depth",
         "text_seed", "cell", "layers", "units", "epochs", "batch_size", "learning_rate", "seed")
MAX_TEXT_RUNS = 10  # text runs kept per session (the page's comparison table)


def is_text_setup() -> bool:
    return text.is_text(state.get_config())


def elsewhere_note(page_name: str) -> bool:
    """On a series page given a text setup: a line saying so with a link to the Text page;
    True when drawn (the page then stops, as it has nothing to show for a text)."""
    config = state.get_config()
    if not text.is_text(config):
        return False
    st.info(f"The setup is a character-level text model ({CORPUS_LABELS[config.dataset]}): "
            f"{page_name} is for series. It is trained, sampled and read unit by unit on the "
            "Text page.")
    st.page_link("pages/text.py", label="Open the Text page", icon=":material/text_fields:")
    return True


# --- the corpus ---------------------------------------------------------------------------------

def _on_corpus() -> None:
    if state.is_echo(Session.text_corpus):
        return
    name = session.text_corpus
    config = state.get_config()
    if name is None or name == config.dataset:
        return
    if text.is_text(config):
        state.change(config.replace(dataset=name), session.preset)
    else:
        base = START_PRESET[name]
        state.change(preset(base).replace(dataset=name), base)


def corpus_picker() -> None:
    """The corpus radio (it shows the setup's text, nothing for a series setup)."""
    config = state.get_config()
    state.push(Session.text_corpus, config.dataset if text.is_text(config) else None)
    st.radio("Text", TEXTS, key=Session.text_corpus, on_change=_on_corpus, horizontal=True,
             format_func=CORPUS_LABELS.get,
             help="What the network learns to continue, one character at a time.")
    if not text.is_text(config):
        st.info(f"The setup trains on a series ({config.dataset}). Pick a text above: it "
                "starts from the text preset (text-stdlib or text-brackets), whose network "
                "suits characters.")


def own_text() -> str | None:
    """The text of dataset "text" (None until one is given)."""
    return session.user_text


def _use_upload() -> None:
    upload = session.text_upload
    if upload is not None:
        _use(upload.getvalue(), upload.name)


def _use_paste() -> None:
    _use(session.text_paste or "", "the pasted text")


def _use(data: bytes | str, name: str) -> None:
    try:
        session.user_text = text.read_text(data, name)
    except RnnExplorerError as err:
        session.text_error = str(err)
        return
    session.text_error, session.user_text_name = None, name
    config = state.get_config()
    if config.dataset != "text":
        state.change(config.replace(dataset="text") if text.is_text(config)
                     else preset(START_PRESET["text"]).replace(dataset="text"),
                     session.preset if text.is_text(config) else START_PRESET["text"])


def own_text_inputs() -> None:
    """Upload or paste your own text (UTF-8, at most ``MAX_TEXT_BYTES``)."""
    cap = f"{text.MAX_TEXT_BYTES / 1e6:g} MB"
    left, right = st.columns(2)
    left.file_uploader(f"Upload a UTF-8 text file (at most {cap})", key=Session.text_upload,
                       on_change=_use_upload,
                       help="Plain text: .txt, .py, .md … saved as UTF-8; kept in this session "
                            "only (links do not carry it).")
    right.text_area("…or paste a text", key=Session.text_paste, height=100,
                    help=f"At most {cap}; at least a few hundred characters to learn anything.")
    right.button("Use the pasted text", key="text_use_paste", on_click=_use_paste)
    if session.text_error:
        st.error(session.text_error)
    if session.user_text is not None:
        st.caption(f"Your text: {session.user_text_name}, {len(session.user_text):,} characters.")


def corpus_summary(config: Any) -> Any | None:
    """Words on the corpus and its parts; the prepared text, or None after saying why not."""
    try:
        prepared = text.prepare_text(config, own_text())
    except RnnExplorerError as err:
        st.error(str(err))
        return None
    st.caption(prepared.corpus.source)
    # two rows of two: four in a row cut "Held-out characters" to "Held-out charact…" on a
    # projector's 1024 pixels
    a, b = st.columns(2)
    c, d = st.columns(2)
    a.metric("Training characters", f"{prepared.n_train_chars:,}")
    b.metric("Held-out characters", f"{prepared.n_test_chars:,}",
             help="The last part of the text (the split setting), never trained on.")
    c.metric("Vocabulary", f"{prepared.vocab.size:,}",
             help=f"The characters of the training part, plus one symbol "
                  f"({prepared.vocab.chars[0]}) for any other.")
    d.metric("Unknown in held-out", f"{prepared.unknown_in_test:,}",
             help="Held-out characters training never saw: each is read and scored as the "
                  "unknown symbol.")
    return prepared


def knobs() -> None:
    """The settings a text run reads, in three columns (those it does not, greyed out)."""
    for column, names in zip(st.columns(3), (KNOBS[:5], KNOBS[5:10], KNOBS[10:])):
        with column:
            for name in names:
                widgets.field(name)


# --- training -----------------------------------------------------------------------------------

def active_job() -> jobs.TrainingJob | None:
    job = session.text_job
    return job if job is not None and not job.finished else None


def start() -> None:
    """Queue a training of the current setup (Train, and a lesson's Show me), or say why not."""
    if jobs_view.refused_while_running([session.text_job] if session.text_job else [],
                                       "A text training"):
        return
    config = state.get_config()
    try:  # a text that cannot be used, or a training too long for the server, fails here
        text.check_cost(text.prepare_text(config, own_text()))
    except RnnExplorerError as err:
        session.text_train_error = str(err)
        return
    session.text_train_error = None
    session.text_job = jobs.runner().submit(config, text=own_text())


def collect() -> None:
    """The finished text job's run into ``text_run`` and ``text_runs``, once."""
    job = session.text_job
    if job is not None:
        jobs_view.collect([job], lambda: _keep(job))


def _keep(job: jobs.TrainingJob) -> None:
    run = job.run
    if run is None:
        return
    c = job.config  # numbered with the session's other runs, kept for the browser's next ones
    number = persist.next_run_number()
    run.name = f"text run {number}: {c.dataset} {c.cell} {c.units}u T={c.time_steps}"
    session.text_run = run
    runs = session.text_runs
    runs.append(run)
    del runs[:-MAX_TEXT_RUNS]
    persist.remember_text_run(run, number)


def train_panel() -> None:
    """Train, and the live view of the latest text training (bar, Stop, loss per epoch)."""
    job = session.text_job
    view = jobs_view.JobsView(
        progress_text=_progress_text, draw=lambda: _draw(job), collect=collect,
        stop_key="text_stop_button",
        stop_help="End training after the current epoch and keep the network trained so far.")
    jobs_view.train_section(
        job, view, _estimate(), session.text_train_error, key="text_train_button",
        on_click=start, disabled=active_job() is not None or not is_text_setup(),
        help="Train the network on the training part in a background worker; the bar and the "
             "loss follow every epoch.")


def _estimate() -> str | None:
    """"Training time: about 20 s on this server (limit 15 min)", from ``rnn_core.cost`` (no
    TensorFlow); None when the text cannot be prepared (the page says why above)."""
    try:
        return cost.estimate_line(text.estimate_seconds(text.prepare_text(state.get_config(),
                                                                         own_text())))
    except RnnExplorerError:
        return None


def _progress_text(followed: Sequence[jobs.TrainingJob]) -> str:
    return jobs_view.epoch_line(followed[0], "the network", lambda loss: (
        f"loss {loss:.4f} ({loss / text_figures.LN2:.3f} bits/char on training)"))


def _draw(job: jobs.TrainingJob) -> None:
    """Under the bar: how it ended and its loss per epoch."""
    name = job.run.name if job.run is not None and job.run.name else ""
    if job.status == jobs.DONE and job.run is not None:
        st.success(f"Training finished: {job.run.epochs_run} epochs in {job.run.fit_seconds:.1f} s"
                   f" ({name}).")
    elif job.status == jobs.STOPPED:
        st.info(f"Stopped after {job.run.epochs_run} of {job.config.epochs} epochs ({name}); the "
                "network trained so far is kept." if job.run is not None
                else "Stopped before training started.")
    elif job.status in (jobs.DIVERGED, jobs.FAILED):
        st.error(job.error)
    if job.finished and job.config != state.get_config():
        st.caption("The settings changed since this training: Train to apply them.")
    if job.events:
        loss = [e.loss for e in job.events]
        val = [e.val_loss for e in job.events]
        st.plotly_chart(text_figures.loss_bits_figure(loss, val, job.config.epochs),
                        key=f"text_loss_{job.id}", width="stretch")


# --- the run's score ----------------------------------------------------------------------------

def score(run: Any) -> None:
    """Bits per held-out character against the unigram and bigram baselines, the verdict."""
    a, b, c = st.columns(3)
    a.metric("Network", f"{run.bits_per_char:.3f} bits/char",
             help=f"Cross-entropy on the {run.n_test_chars:,} held-out characters, in bits.")
    b.metric("Bigram baseline", f"{run.bigram_bits_per_char:.3f} bits/char",
             help="The next character from the previous one's counts in the training part "
                  "(add-one smoothing), on the same held-out characters.")
    c.metric("Unigram baseline", f"{run.unigram_bits_per_char:.3f} bits/char",
             help="Each character's frequency in the training part (add-one smoothing).")
    beats = run.bits_per_char < run.bigram_bits_per_char
    (st.success if beats else st.warning)(run.verdict())
    st.plotly_chart(text_figures.bits_figure(run.bits_per_char, run.unigram_bits_per_char,
                                             run.bigram_bits_per_char),
                    key="text_bits", width="stretch")
    st.caption(f"{run.name} · {run.epochs_run} epochs in {run.fit_seconds:.1f} s · "
               f"{run.n_train_chars:,} training and {run.n_test_chars:,} held-out characters · "
               f"{run.unknown_in_test:,} held-out characters unknown to the vocabulary.")


def runs_table() -> None:
    """The browser's text runs side by side (the latest last; kept across reloads)."""
    runs = session.text_runs
    if len(runs) < 2:
        return
    st.subheader("Your text runs")
    st.dataframe(pd.DataFrame([{
        "run": r.name, "epochs": r.epochs_run, "seconds": round(r.fit_seconds, 1),
        "bits/char": round(r.bits_per_char, 4), "bigram": round(r.bigram_bits_per_char, 4),
        "unigram": round(r.unigram_bits_per_char, 4)} for r in runs]),
        hide_index=True, key="text_runs_table")


SERIES_PAGES = ("Data & windows", "Network & training", "Compare runs", "Pitfalls")


def series_page_note() -> None:
    """After the sidebar: a series page given a text setup says so, links to the Text page and
    stops (its series, windows and runs do not apply)."""
    if session.page in SERIES_PAGES and elsewhere_note(session.page):
        st.stop()
