"""AppTest helpers: a preset applied, a training waited for, texts read."""

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
DATA_PAGE = "pages/data.py"  # where most tests start (the app itself opens on Start)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def apply_preset(at: AppTest, name: str) -> AppTest:
    return at.sidebar.selectbox(key="preset_choice").set_value(name).run()


def wait_for_training(at: AppTest, seconds: float = 300) -> AppTest:
    """Rerun the page until the background training is over (AppTest does not poll fragments).
    The wait is long: the first training also waits for its workers to import TensorFlow."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = at.session_state["job"] if "job" in at.session_state else None
        if job is not None and job.finished:
            return at.run()
        time.sleep(0.2)
    raise AssertionError("training did not finish in time")


def wait_for_jobs(at: AppTest, jobs, seconds: float = 120) -> AppTest:
    """Wait until every background job (a pitfall's pair, a sweep, a race, a backtest) has
    finished, then rerun the page once (AppTest does not poll the follower's fragment)."""
    deadline = time.monotonic() + seconds
    while not all(job.finished for job in jobs):
        if time.monotonic() > deadline:
            raise AssertionError(f"{sum(not j.finished for j in jobs)} job(s) did not finish in time")
        time.sleep(0.2)
    return at.run()


def train(at: AppTest, **fields) -> AppTest:
    """Go to the training page, set number fields, press Train, wait for the end."""
    at.switch_page("pages/train.py").run()
    for name, value in fields.items():
        at.number_input(key=f"field:{name}").set_value(value).run()
    at.button(key="train_button").click().run()
    assert not at.exception
    return wait_for_training(at)


def chart_traces(element) -> list[dict]:
    """The traces of a drawn plotly chart, with arrays decoded ({"dtype", "bdata"} → list)."""
    import base64
    import json

    import numpy as np

    def decode(value):
        if isinstance(value, dict) and "bdata" in value and "dtype" in value:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(json.loads(element.proto.spec))["data"]


def chart_title(element) -> str:
    import json

    title = json.loads(element.proto.spec)["layout"].get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)
