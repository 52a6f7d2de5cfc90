"""The lesson player: the step of the lesson in play, in the sidebar of every page.

A lesson (``rnn_core.lessons``) is data; this module plays it. ``begin``/``go`` run in
callbacks (state rule 2): they set the step's setup through ``state.change``, queue its
training, and leave the page to open (``session.lesson_goto``) and the values of that page's
widgets (``session.lesson_widgets``: a window, a time step) for ``panel``, which every page's
``sidebar.draw`` calls first: it switches page once, then writes those widget values before
the page draws them. Numbers in the text are filled live (``rnn_core.lesson_facts``) from the
run, race or pitfall pair this session trained with the step's setup, never typed in.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from rnn_core import lesson_facts, lessons, netguard
from rnn_core.errors import RnnExplorerError
from rnn_core.lessons import Lesson, Step
from rnn_core.run import prepare
from rnn_core.text import is_text

from . import state
from .session import Session, session

PAGE_FILES = {"start": "pages/start.py", "data": "pages/data.py", "train": "pages/train.py",
              "results": "pages/results.py", "inside": "pages/unroll.py",
              "compare": "pages/compare.py", "pitfalls": "pages/pitfalls.py",
              "text": "pages/text.py"}
PAGE_TITLES = {"start": "Start", "data": "Data & windows", "train": "Network & training",
               "results": "Results", "inside": "Inside the network", "compare": "Compare runs",
               "pitfalls": "Pitfalls", "text": "Text"}  # app.py's navigation's (session.page)
# what Inside the network's pickers say (ui/inside.py, pages/unroll.py)
TRAINED, UNTRAINED = "trained (last run)", "untrained (random weights)"
PARTS = {"test": "test window", "train": "training window"}
WAITING = {"run": "the step's training has finished (Show me starts it)",
           "race": "the race has finished", "pitfall": "both trainings have finished",
           "unrolled": "the page has built the network", "keras": "the page has built the network",
           "memory": "the training has finished", "prepared": "the setup's data can be read",
           "text": "the step's training has finished (Show me starts it)",
           "units": "the step's training has finished (Show me starts it)"}


# --------------------------------------------------------------------------- actions (callbacks)


def begin(lesson: Lesson, index: int = 0, train: bool = True) -> None:
    """Start ``lesson`` at step ``index`` (from 0), its state applied."""
    session.lesson, session.lesson_open, session.lesson_error = lesson, True, None
    go(index, train)


def go(index: int, train: bool = True) -> None:
    """Show step ``index`` of the lesson in play and apply its state (Back, Next, Show me)."""
    lesson = session.lesson
    if lesson is None or not lesson.steps:
        return
    index = max(0, min(index, len(lesson.steps) - 1))
    session.lesson_step = index
    apply(lesson.steps[index], train)


def apply(step: Step, train: bool = True) -> None:
    """The step's setup, page and widgets; its training too, unless ``train`` is false or this
    session already trained exactly that."""
    if state.get_config() != step.config or session.preset != step.preset:
        state.change(step.config, step.preset)
    session.lesson_widgets = _widgets(step)
    session.lesson_goto = step.page
    if train:
        _train(step)


def _widgets(step: Step) -> dict[str, Any]:
    """The values of the step's page's widgets: the window and time step on Inside the
    network, the race's choices, the pitfall picked."""
    out: dict[str, Any] = {}
    if step.page == "inside" and step.window:
        part, sep, index = step.window.partition(":")
        if sep:
            out.update({"unroll_model_choice": TRAINED, Session.unroll_source: PARTS[part],
                        Session.unroll_index: int(index)})
        else:
            out.update({"unroll_model_choice": UNTRAINED, Session.unroll_source: "type a window",
                        "unroll_text": step.window})
        out[Session.unroll_t] = step.t or 1
    elif step.page == "inside" and step.t:
        out[Session.unroll_t] = step.t
    if step.race:
        out.update({Session.race_match: step.race, Session.race_seeds: False})
    if step.pitfall:
        out[Session.pitfall_choice] = step.pitfall
    return out


def _train(step: Step) -> None:
    from . import pitfall_view, race_view, train_panel

    if step.train and is_text(step.config):
        from . import text_view

        if _text_run(step) is None:
            text_view.start()  # refused, saying so, while a text training runs
    elif step.train and _run(step) is None:
        train_panel.start()  # likewise while a training runs
    elif step.race and _race(step) is None:
        race_view.start(step.race, False)
    elif step.pitfall and _pitfall(step) is None:
        session.pitfall_choice = step.pitfall
        pitfall_view.start(step.pitfall)


def leave() -> None:
    """Hide the player; the lesson and its step are kept for Resume."""
    session.lesson_open = False


def resume() -> None:
    session.lesson_open = True
    go(session.lesson_step, train=False)


def open_from_link(lesson_id: str, step_text: str) -> None:
    """``?lesson=N&step=K`` (or ``lesson=<http(s) link to a lesson file>``): open that step
    with its setup, page and window applied (its training waits for Show me). A bad value is
    reported in the sidebar, like every link value."""
    try:
        lesson = load(lesson_id)
        step = int(step_text) if str(step_text).strip().isdigit() else 0
        if not 1 <= step <= max(1, len(lesson.steps)):
            raise RnnExplorerError(f"step={str(step_text)[:20]!r} is not a step of lesson "
                                   f"{lesson.id!r}: use 1 to {len(lesson.steps)}.")
    except RnnExplorerError as err:
        session.messages.append(f"Link setting ignored: {err}")
        return
    if lesson.needs:
        session.messages.append(f"Lesson {lesson.id!r} needs {lesson.needs}.")
        return
    begin(lesson, step - 1, train=False)


def load(lesson_id: str) -> Lesson:
    """A built-in lesson by number, or a lesson file behind an http(s) link (fetched and
    checked like a table from a link: the same limits per visitor, the same address checks)."""
    lesson_id = str(lesson_id).strip()
    if not lesson_id.lower().startswith(("http://", "https://")):
        return lessons.builtin(lesson_id)
    from rnn_core import fetch

    session.link_fetches = fetch.check_fetch_rate(session.link_fetches)
    allow = netguard.allow_private_from_env()
    return lessons.from_link(lesson_id, lambda url, max_bytes: fetch.fetch_url(
        url, max_bytes=max_bytes, allow_private=allow))


def load_from_box() -> None:
    """The start page's "Open" button: the lesson behind the link typed in its box."""
    try:
        lesson = load(session.lesson_url)
    except RnnExplorerError as err:
        session.lesson_error = f"Lesson not opened: {err}"
        return
    begin(lesson, 0, train=False)


# --------------------------------------------------------------------------- what the text quotes


def _run(step: Step):
    run = session.run
    return run if run is not None and run.config == step.config else None


def _text_run(step: Step):
    run = session.text_run
    return run if run is not None and run.config == step.config else None


def _finished_runs(jobs_: list) -> list | None:
    if not jobs_ or not all(job.finished for job in jobs_):
        return None
    return [job.run for job in jobs_ if job.run is not None] or None


def _race(step: Step):
    """The finished race's runs, if it raced this step's data."""
    runs = _finished_runs(session.race[1]) if session.race else None
    if runs and all(r.config.dataset == step.config.dataset
                    and r.config.time_steps == step.config.time_steps for r in runs):
        return runs
    return None


def _pitfall(step: Step):
    """The finished pitfall pair (name, mistake's run, fix's run), if it is this step's."""
    if not session.pitfall:
        return None
    name, pair = session.pitfall
    runs = _finished_runs(pair)
    if runs is None or len(runs) != 2 or (step.pitfall and step.pitfall != name):
        return None
    return name, runs[0], runs[1]


def sources(step: Step) -> lesson_facts.Sources:
    """What the step's placeholders are filled from, computed only for those it quotes."""
    needs = {lesson_facts.source_of(name) for name in step.placeholders}
    found = lesson_facts.Sources(config=step.config)
    if "prepared" in needs:
        try:
            found.prepared = session.cached(Session.lesson_cache, step.config,
                                            lambda: prepare(step.config, state.series()))
        except RnnExplorerError:
            pass
    found.run = _run(step)
    if "race" in needs and (runs := _race(step)):
        from rnn_core import race, tasks

        found.race = [race.result(r) for r in runs]
        if tasks.is_task(runs[0].config):
            found.race_baseline = tasks.baseline_mse(runs[0].config.dataset, runs[0].windows)
    if "pitfall" in needs:
        found.pitfall = _pitfall(step)
    if "memory" in needs and found.run is not None:
        from . import memory_view

        found.memory = memory_view.test_windows_profile(found.run.network, found.run.prepared)
    found.text = _text_run(step)
    if "units" in needs and found.text is not None:
        found.units = _text_units(found.text)
    if needs & {"unrolled", "keras"} and step.window and ":" not in step.window:
        _network_numbers(step, found)
    return found


def _text_units(run) -> list:
    """The unit that follows each feature of the held-out text best (the Text page's finder,
    on the same cached states)."""
    from rnn_core import text_features

    from . import text_inside

    found = text_inside.read(run)
    flat = {f"{layer} {signal}": acts for layer, arrays in found["states"].items()
            for signal, acts in arrays.items()}
    return text_features.find_units(flat, found["features"])


def _network_numbers(step: Step, found: lesson_facts.Sources) -> None:
    """The typed window through the untrained network of the step's setup: by hand and by
    Keras (the same cached network and numbers as Inside the network; Keras' from a worker).
    Left unfilled while the worker has not answered."""
    from rnn_core.model import input_shape
    from rnn_core.windows import parse_window

    from . import inside

    if state.get_config() != step.config:
        return  # the page builds the setup shown; the user moved on from the step's
    untrained = inside.untrained(step.config)
    if untrained is None:
        return
    model, _ = untrained
    window = parse_window(step.window, *input_shape(step.config))
    found.unrolled = inside.unrolled(model, window)
    found.keras = inside.keras_prediction(model, window)


# --------------------------------------------------------------------------- drawing


def panel() -> None:
    """Called by ``sidebar.draw`` before the page: the pending page switch and widget values
    of a Show me, then the player (or a Resume button after Leave)."""
    goto = session.lesson_goto
    if goto:
        del session.lesson_goto
        if session.page != PAGE_TITLES[goto]:  # (a switch to the page shown reruns it all)
            st.switch_page(PAGE_FILES[goto])
    pending = session.lesson_widgets
    if pending:
        del session.lesson_widgets
        for key, value in pending.items():
            state.set_widget(key, value)
    lesson = session.lesson
    if lesson is None:
        return
    with st.sidebar:
        if not session.lesson_open:
            st.button(f"Resume the lesson: {lesson.title}", key="lesson_resume", on_click=resume,
                      width="stretch")
            return
        with st.container(border=True, key="lesson_panel"):
            _player(lesson)


def _player(lesson: Lesson) -> None:
    index = min(session.lesson_step, len(lesson.steps) - 1)
    step, n = lesson.steps[index], len(lesson.steps)
    st.markdown(f"**{'Lesson ' + lesson.id + ': ' if lesson.id.isdigit() else ''}{lesson.title}**")
    st.progress((index + 1) / n, text=f"Step {index + 1} of {n}")
    st.markdown(f"##### {step.title}")
    text, missing = lesson_facts.fill(step.text, sources(step))
    st.markdown(text)
    if step.look:
        st.caption(f"Look at: {step.look}")
    if missing:
        waits = sorted({WAITING[lesson_facts.source_of(m)] for m in missing})
        st.caption(f"{lesson_facts.MISSING} : numbers computed live, shown once "
                   + " and ".join(waits) + ".")
    # Show me on a row of its own: three buttons side by side cut its label to "Sh…" in the
    # sidebar's width
    st.button("Show me", key="lesson_show", on_click=go, args=(index,), type="primary",
              width="stretch", help="Set the app as this step says: settings, page, window, "
                                    "and its training if it has one.")
    back, nxt = st.columns(2)
    back.button("Back", key="lesson_back", on_click=go, args=(index - 1,), disabled=index == 0,
                width="stretch")
    nxt.button("Next", key="lesson_next", on_click=go, args=(index + 1,),
               disabled=index == n - 1, width="stretch")
    st.button("Leave the lesson", key="lesson_leave", on_click=leave, width="stretch",
              help="Hide it; a Resume button brings it back at this step.")


def teacher_section() -> None:
    """In the share box: a link for a class, built from ticks (``hide=``, ``lock=``,
    ``lesson=``, ``step=``): the room sees only the knobs the lesson is about."""
    from rnn_core.config import FIELD_BY_NAME

    st.markdown("**For a class**")
    names = list(FIELD_BY_NAME)
    label = lambda n: FIELD_BY_NAME[n].label  # noqa: E731
    state.remember_widget(Session.teacher_hide, [])
    hide = st.multiselect("Hide these knobs", names, format_func=label, key=Session.teacher_hide)
    state.remember_widget(Session.teacher_lock, [])
    lock = st.multiselect("Show these greyed out", names, format_func=label,
                          key=Session.teacher_lock)
    choices = ["", *(i for i in lessons.builtin_ids() if not lessons.builtin(i).needs)]
    state.remember_widget(Session.teacher_lesson, "", choices)
    lesson = st.selectbox("Open a lesson", choices, key=Session.teacher_lesson,
                          format_func=lambda i: f"{i}. {lessons.builtin(i).title}" if i else "none")
    step = 1
    if lesson:
        step = st.number_input("at step", 1, len(lessons.builtin(lesson).steps), 1,
                               key="teacher_step")
    st.code(state.teacher_link(hide, lock, lesson or None, int(step)), language=None,
            wrap_lines=True)
