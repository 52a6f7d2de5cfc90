"""Lessons as data: a markdown file of short steps, each with the state its "Show me" sets.

A lesson file (the built-in ones are ``rnn_core/lessons/<number>-<name>.md``)::

    # What a recurrent network computes
    One line that sums it up: the start page's card shows it.

    ## Feed it three numbers
    ```step
    preset: t1-structure
    page: inside
    window: 1, 2, 3
    t: 1
    look: the equations under the cell's diagram
    ```
    The paragraph, in markdown. Numbers are never typed in: {{net.h1}} is filled live
    with what the network computes (``rnn_core.lesson_facts`` lists every placeholder).

Each ``## `` heading starts a step; its ```` ```step ```` block (optional) says what "Show me"
does, one ``key: value`` a line:

- ``preset``: a preset name (the setup starts from it); else the previous step's setup;
- ``set``: settings on top, ``units=8, epochs=5`` (the names of ``python -m rnn_core fields``);
- ``page``: where the app goes (``PAGES``; default: the previous step's, or ``start``);
- ``window``: on Inside the network, ``test:0``, ``train:5`` or typed numbers ``1, 2, 3``;
- ``t``: the time step shown there (1..T);
- ``train``: ``yes`` trains the setup (shown on ``page: train``, which follows the training;
  a text setup on ``page: text``);
- ``race``: ``units`` or ``params`` starts the race of the three cells (``page: compare``);
- ``pitfall``: a pitfall's name trains its pair (``page: pitfalls``);
- ``look``: what to look at, one line.

Everything is checked when the lesson is read (``parse``): every setting against the field
table, the preset, the page, the window against the step's time steps, and every placeholder
against what the lesson makes available by then (``{{run.test_rmse}}`` needs an earlier step that
trains). A problem raises ``RnnExplorerError`` naming the step and the value. A lesson from a
link is read like a table from a link (``rnn_core.fetch``), at most ``MAX_LESSON_BYTES``.

>>> lesson = parse("# Hi\\nA test.\\n\\n## One\\n```step\\nset: units=4\\n```\\nIt has "
...                "{{config.units}} units.", "demo")
>>> lesson.steps[0].config.units, lesson.steps[0].placeholders
(4, ('config.units',))
>>> parse("# Hi\\n\\n## One\\n```step\\nset: units=0\\n```\\n", "demo")
Traceback (most recent call last):
...
rnn_core.errors.RnnExplorerError: lesson 'demo', step 1 (One): set: units='0' is out of range: use a whole number from 1 to 256.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import lesson_facts
from .config import FIELD_BY_NAME, RunConfig, from_mapping
from .errors import RnnExplorerError, quote
from .presets import PRESETS, preset
from .text import is_text
from .windows import parse_window

MAX_LESSON_BYTES = 64 * 1024  # a lesson is text; the built-in ones are 2-5 KB
MAX_STEPS = 30
LESSON_DIR = Path(__file__).with_name("lessons")
# The pages a step can open (the names a lesson file uses) and the page a training follows on.
PAGES: tuple[str, ...] = ("start", "data", "train", "results", "inside", "compare", "pitfalls",
                          "text")
KEYS: tuple[str, ...] = ("preset", "set", "page", "window", "t", "train", "race", "pitfall", "look")
FOLLOWED_ON = {"train": "train", "race": "compare", "pitfall": "pitfalls"}
RACE_MATCHES = ("units", "params")
_YES, _NO = ("yes", "true", "1"), ("no", "false", "0", "")
_STEP_BLOCK = re.compile(r"\A\s*```step[ \t]*\n(.*?)^```[ \t]*$\n?", re.S | re.M)


@dataclass(frozen=True)
class Step:
    """One step: its words and the state "Show me" sets."""

    title: str
    text: str  # markdown with {{placeholders}} (``lesson_facts.fill``)
    config: RunConfig  # the setup the step shows
    preset: str | None  # the preset that setup started from (the link's base)
    page: str  # one of PAGES
    window: str | None = None  # "test:0", "train:5", or typed numbers "1, 2, 3"
    t: int | None = None
    train: bool = False
    race: str | None = None  # "units" or "params"
    pitfall: str | None = None
    look: str = ""
    placeholders: tuple[str, ...] = ()

    @property
    def trains(self) -> bool:
        """Whether Show me queues trainings (a run, a race or a pitfall's pair)."""
        return self.train or self.race is not None or self.pitfall is not None


@dataclass(frozen=True)
class Lesson:
    """A lesson: its id (a built-in number, or the link it came from), words and steps."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    needs: str = ""  # non-empty: why it cannot be played here yet (e.g. the text mode)


def _error(lesson_id: str, where: str, problem: str) -> RnnExplorerError:
    return RnnExplorerError(f"lesson {quote(lesson_id)}, {where}: {problem}", field="lesson")


def parse(text: str | bytes, lesson_id: str) -> Lesson:
    """A lesson from its file's text, every step checked (see the module's docstring)."""
    text = _decoded(text, lesson_id)
    head, *chunks = re.split(r"^## ", text.replace("\r\n", "\n"), flags=re.M)
    lines = [line.strip() for line in head.strip().splitlines()]
    if not lines or not lines[0].startswith("# "):
        raise _error(lesson_id, "its first line", "a lesson starts with its title as a "
                     "'# Title' line, then a line that sums it up.")
    title = lines[0][2:].strip()
    meta = dict(_pairs(lesson_id, "its header", [x for x in lines[1:] if x.startswith("needs:")]))
    summary = " ".join(x for x in lines[1:] if x and not x.startswith("needs:"))
    if not chunks and not meta.get("needs"):
        raise _error(lesson_id, "its steps", "no step: each step starts with a '## Step title' line.")
    if len(chunks) > MAX_STEPS:
        raise _error(lesson_id, "its steps", f"{len(chunks)} steps, more than {MAX_STEPS}.")
    steps: list[Step] = []
    available: set = {"config"}  # sources made by the steps so far (a run: with its setup)
    for number, chunk in enumerate(chunks, 1):
        step = _step(lesson_id, number, chunk, steps[-1] if steps else None, available)
        steps.append(step)
    return Lesson(lesson_id, title, summary, tuple(steps), meta.get("needs", ""))


def _decoded(text: str | bytes, lesson_id: str) -> str:
    size = len(text) if isinstance(text, (bytes, bytearray)) else len(text.encode("utf-8", "replace"))
    if size > MAX_LESSON_BYTES:
        raise _error(lesson_id, "its size", f"{size:,} bytes, more than the limit of "
                     f"{MAX_LESSON_BYTES:,}: a lesson is short text.")
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise _error(lesson_id, "its text", f"not UTF-8 (byte {err.start + 1:,}): save "
                         "the file as UTF-8.") from None
    return text.removeprefix("\ufeff")


def _pairs(lesson_id: str, where: str, lines: list[str]) -> list[tuple[str, str]]:
    out = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in (*KEYS, "needs"):
            raise _error(lesson_id, where, f"{quote(line.strip())} is not 'key: value' with a key "
                         "among " + ", ".join(KEYS) + ".")
        out.append((key, value.strip()))
    return out


def _step(lesson_id: str, number: int, chunk: str, before: Step | None,
          available: set) -> Step:
    title, _, body = chunk.partition("\n")
    where = f"step {number} ({title.strip()[:40]})"
    block = _STEP_BLOCK.match(body)
    actions = dict(_pairs(lesson_id, where, block.group(1).splitlines())) if block else {}
    text = (body[block.end():] if block else body).strip()
    try:
        step = _actions(actions, title.strip(), text, before)
    except RnnExplorerError as err:
        raise _error(lesson_id, where, str(err)) from None
    if step.train:
        available.add(("run", step.config))  # a run of exactly this setup
    if step.race:
        available.add("race")
    if step.pitfall:
        available.add("pitfall")
    here = {a for a in available if isinstance(a, str)}
    if ("run", step.config) in available:
        here.add("run")
        if step.page == "inside":
            here.add("memory")
    if step.page == "inside" and step.window and ":" not in step.window:
        here.add("net")
    names = lesson_facts.placeholders(text)
    for name in names:
        problem = lesson_facts.check(name, step.config, here)
        if problem:
            raise _error(lesson_id, where, problem)
    return dataclasses.replace(step, placeholders=names)


def _actions(actions: dict[str, str], title: str, text: str, before: Step | None) -> Step:
    """The step's state from its block, on top of the previous step's (checked)."""
    name = actions.get("preset") or None
    if name is not None and name not in PRESETS:
        raise RnnExplorerError(f"preset: unknown preset {quote(name)}: use one of "
                               + ", ".join(PRESETS) + ".")
    config = preset(name) if name else (before.config if before else RunConfig())
    base = name or (before.preset if before else None)
    if actions.get("set"):
        config = _settings(actions["set"], config)
    page = actions.get("page") or (before.page if before else "start")
    if page not in PAGES:
        raise RnnExplorerError(f"page: {quote(page)} is not a page: use one of {', '.join(PAGES)}.")
    train = _yes_no("train", actions.get("train", ""))
    race, pitfall = actions.get("race") or None, actions.get("pitfall") or None
    if race is not None and race not in RACE_MATCHES:
        raise RnnExplorerError(f"race: {quote(race)}: use units or params.")
    from .pitfalls import PITFALLS  # (plain Python; only its names are needed here)

    if pitfall is not None and pitfall not in PITFALLS:
        raise RnnExplorerError(f"pitfall: unknown pitfall {quote(pitfall)}: use one of "
                               + ", ".join(PITFALLS) + ".")
    for key, on in (("train", train), ("race", race), ("pitfall", pitfall)):
        followed = "text" if key == "train" and is_text(config) else FOLLOWED_ON[key]
        if on and page != followed:
            raise RnnExplorerError(f"{key}: its training is followed on the {followed} "
                                   f"page: add 'page: {followed}' (page is {page}).")
    if sum(map(bool, (train, race, pitfall))) > 1:
        raise RnnExplorerError("train, race and pitfall: one training kind per step.")
    window = actions.get("window") or None
    if window is None and before is not None and before.config == config and before.page == page:
        window = before.window  # the same window stays on screen
    if window is not None:
        window = _window(window, config)
    t = _time_step(actions.get("t"), config)
    return Step(title, text, config, base, page, window, t, train, race, pitfall,
                actions.get("look", ""))


def _settings(text: str, config: RunConfig) -> RunConfig:
    values = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise RnnExplorerError(f"set: {quote(item.strip())} is not name=value (e.g. units=8).")
        if key not in FIELD_BY_NAME:
            raise RnnExplorerError(f"set: unknown setting {quote(key)}: use one of "
                                   + ", ".join(FIELD_BY_NAME) + ".")
        values[key] = value.strip()
    try:
        return from_mapping(values, config)
    except RnnExplorerError as err:  # it names the setting and its value
        raise RnnExplorerError(f"set: {err}") from None


def _yes_no(key: str, value: str) -> bool:
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise RnnExplorerError(f"{key}: {quote(value)}: use yes or no.")


def _window(value: str, config: RunConfig) -> str:
    part, sep, index = value.partition(":")
    if sep:
        if part.strip() not in ("test", "train") or not index.strip().isdigit():
            raise RnnExplorerError(f"window: {quote(value)}: use test:N, train:N or typed "
                                   "numbers such as 1, 2, 3.")
        return f"{part.strip()}:{int(index)}"
    from .model import input_shape  # imports no TensorFlow until a model is built

    steps, features = input_shape(config)
    try:
        parse_window(value, steps, features)
    except RnnExplorerError as err:
        raise RnnExplorerError(f"window: {err}") from None
    return value.strip()


def _time_step(value: str | None, config: RunConfig) -> int | None:
    if not value:
        return None
    steps = config.time_steps if config.layout == "sequence" else 1
    if not value.strip().isdigit() or not 1 <= int(value) <= steps:
        raise RnnExplorerError(f"t: {quote(value)}: use a whole number from 1 to {steps} "
                               "(the step's time steps).")
    return int(value)


# --------------------------------------------------------------------------- where lessons are


def builtin_ids() -> list[str]:
    """The built-in lessons' ids ("1", "2", …), in order."""
    return sorted((p.name.split("-", 1)[0] for p in LESSON_DIR.glob("*-*.md")), key=int)


def _builtin_path(lesson_id: str) -> Path | None:
    found = sorted(LESSON_DIR.glob(f"{lesson_id}-*.md")) if lesson_id.isdigit() else []
    return found[0] if found else None


@functools.lru_cache(maxsize=32)
def builtin(lesson_id: str) -> Lesson:
    """A built-in lesson by its number (read once per process: a lesson is frozen)."""
    path = _builtin_path(str(lesson_id).strip())
    if path is None:
        raise RnnExplorerError(f"no lesson {quote(lesson_id)}: use one of "
                               + ", ".join(builtin_ids()) + ", or a link to a lesson file.",
                               field="lesson")
    return parse(path.read_bytes(), str(lesson_id).strip())


def from_link(url: str, fetch: Any = None) -> Lesson:
    """A lesson file behind an http(s) link, fetched like a table from a link (``fetch``:
    ``rnn_core.fetch.fetch_url`` or a stand-in with its arguments), at most
    ``MAX_LESSON_BYTES``."""
    if fetch is None:
        from .fetch import fetch_url as fetch
    return parse(fetch(url, max_bytes=MAX_LESSON_BYTES), url)


def shortened(lesson: Lesson, **caps: int) -> Lesson:
    """The same lesson with every step's settings capped (``epochs=1, units=4``): a teacher's
    dry run of a lesson file, and the tests' (the numbers then differ; the steps do not).

    >>> short = shortened(builtin("2"), epochs=1)
    >>> [s.config.epochs for s in short.steps], short.steps[0].config.units
    ([1, 1, 1], 3)
    """
    def cap(config: RunConfig) -> RunConfig:
        return config.replace(**{k: min(getattr(config, k), v) for k, v in caps.items()})

    steps = tuple(dataclasses.replace(s, config=cap(s.config)) for s in lesson.steps)
    return dataclasses.replace(lesson, steps=steps)
