"""Every key of a user's session state, named once, and the one small cache over it.

Pages and ui modules read and write the session through ``session``, never through a string
key: ``session.job`` is ``st.session_state["job"]``, ``session.job = j`` stores it, ``del
session.job`` drops it. Each key is declared once below with what it holds; its name is the
session-state key, so tests can still read ``at.session_state["job"]``. On the class, an entry
is its key (``Session.unroll_t == "unroll_t"``): that is how a widget whose value the code also
sets is drawn (``st.slider(..., key=Session.unroll_t)``).

Not here: the knobs' keys (``field:<name>``, written by ``widgets.field`` and ``state.mirror``)
and remembered widgets (``kept:<key>``, ``state.remember_widget``): ui/state.py manages them
and its docstring holds the state rule; widgets the code never reads are keyed where drawn.

``cached`` keeps the last result of a computation per session: ``session.cached(
Session.forecast_cache, (id(run), steps), lambda: ...)`` computes again only for a new key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Generic, Hashable, TypeVar, overload

import streamlit as st

if TYPE_CHECKING:
    from rnn_core.config import RunConfig
    from rnn_core.data import Series
    from rnn_core.jobs import TrainingJob
    from rnn_core.run import Run

T = TypeVar("T")


class Entry(Generic[T]):
    """One session-state key: its value (``default`` when absent) on a ``Session``, its key
    on the class. With ``factory``, an absent value is created and stored on first read (a
    list to append to)."""

    def __init__(self, default: Any = None, factory: Callable[[], T] | None = None) -> None:
        self.default, self.factory = default, factory
        self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    @overload
    def __get__(self, obj: None, owner: type) -> str: ...

    @overload
    def __get__(self, obj: "Session", owner: type) -> T: ...

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.key
        if self.factory is not None:
            return st.session_state.setdefault(self.key, self.factory())
        return st.session_state.get(self.key, self.default)

    def __set__(self, obj: "Session", value: T) -> None:
        st.session_state[self.key] = value

    def __delete__(self, obj: "Session") -> None:
        st.session_state.pop(self.key, None)


class Session:
    """The session's keys (see the module docstring). Holds nothing itself."""

    # --- the setup (ui/state.py: the state rule) ---
    config: Entry[RunConfig | None] = Entry()  # the setup: the one truth (state rule 1)
    preset: Entry[str | None] = Entry()  # the preset the setup was last set from (the link's base)
    messages: Entry[list[str]] = Entry(factory=list)  # notes from the link, shown in the sidebar
    opened_with: Entry[dict[str, str]] = Entry(factory=dict)  # the link's parameters, as opened
    field_errors: Entry[dict[str, str]] = Entry(factory=dict)  # knob -> why its value was refused
    user_series: Entry[Series | None] = Entry()  # the uploaded table's series (dataset "upload")
    preset_choice: Entry[str] = Entry()  # widget: the sidebar's preset picker, set from the config
    replaced: Entry[dict[str, Any]] = Entry(factory=dict)  # widget key -> value the server replaced
    config_upload: Entry[Any] = Entry()  # widget: the sidebar's config file (an UploadedFile)
    config_upload_error: Entry[str | None] = Entry()  # why the loaded config file was refused

    # --- teacher links and lessons (ui/state.py reads the link; ui/lesson_view.py plays) ---
    hidden: Entry[frozenset[str]] = Entry(frozenset())  # fields the link's hide= hides
    locked: Entry[frozenset[str]] = Entry(frozenset())  # fields the link's lock= shows disabled
    link_extras_read: Entry[bool] = Entry(False)  # hide=, lock=, lesson=, step= were read (once)
    lesson: Entry[Any] = Entry()  # the lessons.Lesson in play (kept after Leave, to resume)
    lesson_step: Entry[int] = Entry(0)  # its step shown, from 0
    lesson_open: Entry[bool] = Entry(False)  # the player is shown (False after Leave)
    lesson_goto: Entry[str | None] = Entry()  # the page a Show me goes to (switched to once)
    lesson_widgets: Entry[dict[str, Any] | None] = Entry()  # widget values for that page
    lesson_error: Entry[str | None] = Entry()  # why the last lesson asked for was not opened
    lesson_url: Entry[str] = Entry("")  # widget: the start page's link to a lesson file
    lesson_cache: Entry[tuple | None] = Entry()  # step's setup -> run.Prepared for data.* facts
    teacher_hide: Entry[list | None] = Entry()  # widget: the share box's "hide" ticks
    teacher_lock: Entry[list | None] = Entry()  # widget: the share box's "lock" ticks
    teacher_lesson: Entry[str | None] = Entry()  # widget: the share box's lesson to open

    # --- trainings and their runs (ui/train_panel.py, ui/jobs_view.py) ---
    job: Entry[TrainingJob | None] = Entry()  # the latest Train click's training
    train_error: Entry[str | None] = Entry()  # why the last Train click queued nothing
    collected: Entry[set[int]] = Entry(factory=set)  # ids of jobs whose runs were collected
    run: Entry[Run | None] = Entry()  # the latest finished run (Results, Inside the network)
    runs: Entry[list[Run]] = Entry(factory=list)  # the session's runs, oldest first (Compare)
    runs_editor: Entry[dict | None] = Entry()  # widget: the Compare table's edits (ticks, names)
    pitfall: Entry[tuple[str, list[TrainingJob]] | None] = Entry()  # (pitfall name, its 2 jobs)
    pitfall_error: Entry[str | None] = Entry()  # why the last "Train both" queued nothing
    sweep: Entry[list[tuple[RunConfig, TrainingJob]] | None] = Entry()  # the sweep's grid cells
    sweep_error: Entry[str | None] = Entry()  # why the last "Run sweep" queued nothing
    race: Entry[tuple[str, list[TrainingJob]] | None] = Entry()  # (match, the race's jobs)
    race_error: Entry[str | None] = Entry()  # why the last "Start the race" queued nothing
    race_match: Entry[str] = Entry("units")  # the race's "Fair means" radio (widget key)
    # Widget keys of choices a button acts on: its callback reads them here, as the click sent
    # them, never as arguments bound when the button was last drawn (a click that arrives
    # before the choice's own rerun has drawn the button again would act on the old choice).
    pitfall_choice: Entry[str | None] = Entry()  # the Pitfalls page's radio
    pitfall_base: Entry[str | None] = Entry()  # its "Setup for both runs": "demo" or "current"
    backtest_folds: Entry[int | None] = Entry()  # the backtest's number of folds
    sweep_cells: Entry[list | None] = Entry()  # the sweep's pickers
    sweep_units: Entry[list | None] = Entry()
    sweep_steps: Entry[list | None] = Entry()
    sweep_epochs: Entry[int | None] = Entry()
    race_seeds: Entry[bool] = Entry(False)  # its "Over seeds 0-2" checkbox (widget key)
    backtest: Entry[list | None] = Entry()  # [(backtest.Fold, its job)] of the last backtest
    backtest_error: Entry[str | None] = Entry()  # why the last "Run the backtest" queued nothing
    link_race_done: Entry[bool] = Entry(False)  # the link's race=... was acted on (once)

    # --- the Text page (ui/text_view.py, ui/text_inside.py) ---
    page: Entry[str] = Entry("")  # the title of the page this run draws (app.py's navigation)
    text_corpus: Entry[str | None] = Entry()  # widget: the text picked, set from the config
    user_text: Entry[str | None] = Entry()  # your own text (dataset "text"), checked
    user_text_name: Entry[str] = Entry("")  # where it came from (a file name, the paste)
    text_upload: Entry[Any] = Entry()  # widget: the uploaded text file (an UploadedFile)
    text_paste: Entry[str] = Entry("")  # widget: the pasted text
    text_error: Entry[str | None] = Entry()  # why the last text given was refused
    text_job: Entry[TrainingJob | None] = Entry()  # the latest text training
    text_train_error: Entry[str | None] = Entry()  # why the last Train click queued nothing
    text_run: Entry[Any] = Entry()  # the latest finished text run (a TextRun)
    text_runs: Entry[list] = Entry(factory=list)  # the session's text runs, oldest first
    text_prompt: Entry[str] = Entry()  # widget: the sample's prompt
    text_n: Entry[int] = Entry()  # widget: characters to generate
    text_temperature: Entry[float] = Entry()  # widget: the sampling temperature
    text_sample_seed: Entry[int] = Entry()  # widget: the sampling seed
    text_layer: Entry[str] = Entry()  # widget: the layer whose units colour the text
    text_signal: Entry[str] = Entry()  # widget: h, c or a gate
    text_unit: Entry[int] = Entry()  # widget: the unit (0-based), also set by a heatmap click
    text_start: Entry[int] = Entry()  # widget: the first held-out character drawn
    text_finder: Entry[int | None] = Entry()  # id of the run the finder was asked for
    text_finder_feature: Entry[str] = Entry()  # widget: the feature checked against its unit
    text_window: Entry[str] = Entry()  # widget: Inside's window of T characters (a text model)
    text_unroll_t: Entry[int] = Entry()  # widget: the step shown of that window
    text_memory_target: Entry[str] = Entry()  # widget: "next" (the character that came) or "top"
    text_memory_measure: Entry[str] = Entry()  # widget: "log" (log-probability) or "probability"

    # --- your own table (ui/upload.py) ---
    table_source: Entry[tuple[bytes, str] | None] = Entry()  # (bytes, file name) from a link
    table_error: Entry[str | None] = Entry()  # why the last table action failed
    table_notes: Entry[list[str]] = Entry(factory=list)  # what building the used series changed
    link_fetches: Entry[list[float]] = Entry(default=())  # when the last minute's links loaded

    # --- Inside the network (ui/inside.py) ---
    unroll_pick: Entry[tuple[str, int] | None] = Entry()  # (part, window) clicked on Results
    unroll_source: Entry[str] = Entry()  # widget: which window (test, training, typed)
    unroll_index: Entry[int] = Entry(default=0)  # widget: the window's number in its part
    unroll_t: Entry[int] = Entry(default=1)  # widget: the time step shown (Prev, Next, Play)
    unroll_play: Entry[bool] = Entry(default=False)  # widget: Play steps forward once a second
    whatif_t: Entry[int] = Entry()  # widget: the step the what-if nudges (ui/whatif_view.py)
    whatif_delta: Entry[float] = Entry()  # widget: the what-if's nudge δ
    whatif_feature: Entry[int] = Entry()  # widget: the feature nudged (several features)

    # --- training replayed: the epoch slider on Results and Inside (ui/replay_view.py) ---
    replay_run: Entry[Run | None] = Entry()  # the run the epoch slider was last drawn for
    replay_epoch: Entry[int | None] = Entry()  # the epoch shown, on both pages (Play moves it)
    replay_playing: Entry[bool] = Entry(default=False)  # Play steps through the epochs
    replay_slider: Entry[int] = Entry()  # widget: the epoch slider, set from replay_epoch
    replay_play: Entry[bool] = Entry(default=False)  # widget: Play, set from replay_playing
    replay_drawn: Entry[float] = Entry(default=0.0)  # when a page last drew the slider (monotonic)
    replay_due: Entry[bool] = Entry(default=False)  # Play's timer asked for the next epoch

    # --- a reload brings the browser's runs back (ui/persist.py) ---
    persist_token: Entry[str | None] = Entry()  # the browser's token (its cookie's value)
    persist_restored: Entry[bool] = Entry(default=False)  # persist.restore ran in this session
    run_number: Entry[int] = Entry(default=0)  # the highest run number of this session so far
    persist_rows: Entry[dict[int, str]] = Entry(factory=dict)  # store row id -> name, of its runs
    persist_series: Entry[Series | None] = Entry()  # the uploaded series last written to the store

    # --- caches: (key, value) of the last computation, through ``cached`` ---
    unroll_model_setup: Entry[RunConfig | None] = Entry()  # the setup Inside was last drawn for
    untrained_weights_job: Entry[tuple | None] = Entry()  # config -> (KerasJob of its initial weights, prepared)
    unroll_untrained: Entry[tuple | None] = Entry()  # config -> (untrained Network, prepared or None)
    unroll_cache: Entry[tuple | None] = Entry()  # (model, window) -> unroll.Unrolled
    keras_prediction_cache: Entry[tuple | None] = Entry()  # (network, window) -> KerasJob: Keras' prediction
    final_states_cache: Entry[tuple | None] = Entry()  # (model, data) -> h_T of every window
    memory_cache: Entry[tuple | None] = Entry()  # (model, data) -> {window: gradients, "mean": …}
    state_path_cache: Entry[tuple | None] = Entry()  # (model, data) -> {layer: state_path.Plane}
    whatif_cache: Entry[tuple | None] = Entry()  # (model, window, t, δ, feature) -> whatif.Nudge
    horizon_comparison: Entry[tuple | None] = Entry()  # the pitfall's two runs -> compare_horizon
    baselines_cache: Entry[tuple | None] = Entry()  # (run, season, order) -> baselines.compute
    forecast_cache: Entry[tuple | None] = Entry()  # (run, steps) -> forecast.recursive
    race_profiles: Entry[tuple | None] = Entry()  # the race's runs -> their mean sensitivities
    backtest_results: Entry[tuple | None] = Entry()  # the folds' runs -> backtest.fold_result
    autodiff_job: Entry[tuple | None] = Entry()  # (network and window, KerasJob of ∂ŷ/∂x) on demand
    interval_cache: Entry[tuple | None] = Entry()  # (run, epoch) -> intervals.intervals
    forecast_interval_cache: Entry[tuple | None] = Entry()  # (run, steps) -> recursive_quantiles
    replay_cache: Entry[tuple | None] = Entry()  # (run, epoch) -> replay.replay
    table_cache: Entry[tuple | None] = Entry()  # an uploaded table's hash -> the table parsed
    text_network_cache: Entry[tuple | None] = Entry()  # text run -> its TextNetwork (numpy)
    text_read_cache: Entry[tuple | None] = Entry()  # text run -> held-out states, probs, features
    text_sample_cache: Entry[tuple | None] = Entry()  # (run, prompt, n, temperature, seed) -> Sample
    text_coloured_cache: Entry[tuple | None] = Entry()  # (run, layer, signal, unit, start) -> figure
    text_unroll_cache: Entry[tuple | None] = Entry()  # (text run, window) -> unroll.Unrolled
    text_keras_cache: Entry[tuple | None] = Entry()  # (text run, window) -> KerasJob: Keras' probabilities
    text_memory_cache: Entry[tuple | None] = Entry()  # (text run, window, target, measure) -> sensitivity

    def cached(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it returned last time in this session for the same ``key``
        under ``name`` (a key declared above); only the latest key is kept."""
        if not isinstance(vars(Session).get(name), Entry):
            raise KeyError(f"{name!r} is not a session key declared in ui/session.py")
        held = st.session_state.get(name)
        if held is None or held[0] != key:
            held = (key, compute())
            st.session_state[name] = held
        return held[1]


session = Session()
