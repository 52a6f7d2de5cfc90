"""The web server never imports TensorFlow: pages that show data and settings, and every number
Keras gives the pages (trainings, an untrained network's weights, its predictions, its autodiff),
which come from worker processes."""

import json
import os
import subprocess
import sys

import pytest

from tests.app.helpers import APP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# One AppTest session after another in ONE fresh interpreter with ONE training worker, as the
# server is deployed (trainings and every Keras question in worker processes, the worker
# started when the first page is served): each section adds what it saw to ``seen``, printed
# as JSON at the end, and the tests below read their part. One interpreter and one worker's
# TensorFlow import for all of it (three subprocesses with a worker each cost ~25 s of CPU more).
PAGES_OPEN = f"""
import json, sys
from streamlit.testing.v1 import AppTest
seen = {{"pages": {{}}}}
at = AppTest.from_file({APP!r}, default_timeout=60).run()
for page in ("pages/data.py", "pages/train.py", "pages/results.py"):
    at.switch_page(page).run()
    seen["pages"][page] = [bool(at.exception), "tensorflow" in sys.modules or "keras" in sys.modules]
"""


def test_data_training_and_results_pages_open_without_tensorflow(seen):
    pages = seen["pages"]
    assert pages == {page: [False, False] for page in pages}, pages
    assert len(pages) == 3


AFTER_TRAINING = f"""
from tests.app.helpers import train
at = AppTest.from_file({APP!r}, default_timeout=120).switch_page("pages/data.py").run()
at.selectbox(key="field:dataset").set_value("airpassengers").run()
at.number_input(key="field:horizon").set_value(2).run()
at = train(at, epochs=2)   # in a worker process
at.switch_page("pages/results.py").run()
forecast = [m.value for m in at.metric if m.label.startswith("Next value")]
seen["results"] = [bool(at.exception), forecast, "tensorflow" in sys.modules]
# the "Model (.keras)" download's deferred data (Streamlit calls it when the button is clicked)
from ui import keras_view
data = keras_view.model_file(at.session_state["run"])
seen["keras file"] = [data[:2] == b"PK", len(data) > 1000, "tensorflow" in sys.modules]
at.switch_page("pages/unroll.py").run()
diff = [m.value for m in at.metric if "difference" in m.label]
seen["unroll"] = [bool(at.exception), diff, "tensorflow" in sys.modules]
at.switch_page("pages/pitfalls.py").run()
at.radio(key="pitfall_choice").set_value("horizon").run()
at.radio(key="pitfall_base").set_value("current").run()
at.button(key="pitfall_start").click().run()
import time
name, pair = at.session_state["pitfall"]
deadline = time.monotonic() + 120
while not all(job.finished for job in pair) and time.monotonic() < deadline:
    time.sleep(0.2)
at.run()
seen["pitfalls"] = [bool(at.exception), len(at.get("plotly_chart")), "tensorflow" in sys.modules]
at.switch_page("pages/unroll.py").run()
at.radio(key="unroll_source").set_value("type a window").run()  # no stored Keras prediction
diff = [m.value for m in at.metric if "difference" in m.label]
seen["typed"] = [bool(at.exception), diff, "tensorflow" in sys.modules]
"""


def test_forecast_horizon_comparison_and_unroll_run_without_tensorflow_in_the_server(seen):
    # trainings in the worker process; the server's forecast, roll-out and unroll use the numpy
    # network; the two pitfall trainings queue for the one worker
    exception, forecast, tf_loaded = seen["results"]
    assert not exception and len(forecast) == 1 and not tf_loaded, seen
    # the .keras download: saved by a worker from the run's weights
    assert seen["keras file"] == [True, True, False], seen
    # Inside the network on a data window: numpy from the weights vs Keras' stored prediction
    exception, diff, tf_loaded = seen["unroll"]
    assert not exception and len(diff) == 1 and float(diff[0]) < 1e-4 and not tf_loaded, seen
    exception, charts, tf_loaded = seen["pitfalls"]
    assert not exception and charts >= 1 and not tf_loaded, seen
    # a typed window has no stored prediction: Keras' own comes from a worker
    exception, diff, tf_loaded = seen["typed"]
    assert not exception and len(diff) == 1 and float(diff[0]) < 1e-4 and not tf_loaded, seen


UNTRAINED_AND_TEXT = f"""
from tests.app.helpers import wait_for_jobs


def tf():
    return "tensorflow" in sys.modules or "keras" in sys.modules


def metric(at, start):
    return [float(m.value) for m in at.metric if m.label.startswith(start)]


DIFFERENCE = ("Absolute difference", "Largest absolute difference")  # numpy vs Keras
# Inside the network with no training: the untrained network of the default setup on the
# typed window it opens on, then a test window of the data; Keras' prediction of both
at = AppTest.from_file({APP!r}, default_timeout=240).switch_page("pages/unroll.py").run()
seen["untrained"] = [bool(at.exception), at.radio(key="unroll_model_choice").value,
                     metric(at, DIFFERENCE), tf()]
at.radio(key="unroll_source").set_value("test window").run()
seen["data window"] = [bool(at.exception), metric(at, DIFFERENCE), tf()]
# the memory view's check against TensorFlow's autodiff, on the untrained network
at.button(key="autodiff_check").click().run()
seen["autodiff"] = [bool(at.exception), any("computed on demand in a worker" in c.value
                                            for c in at.caption), tf()]

# lesson 1 from its first step to its last: the untrained t1-structure network on 1, 2, 3,
# its numbers by hand and Keras' own prediction quoted in the panel
at = AppTest.from_file({APP!r}, default_timeout=240)
at.query_params["lesson"] = "1"
at.run()
at.sidebar.button(key="lesson_show").click().run()
for _ in range(3):
    at.sidebar.button(key="lesson_next").click().run()
quoted = [m.value for m in at.sidebar.markdown if "Keras' own model.predict" in m.value]
seen["lesson"] = [bool(at.exception), len(quoted) == 1, "…" in " ".join(quoted),  # … unfilled
                  metric(at, DIFFERENCE), tf()]

# the Text page's opt-in proof against Keras, for a text network trained in a worker
at = AppTest.from_file({APP!r}, default_timeout=240)
at.query_params["preset"] = "text-brackets"
at.run()
at.switch_page("pages/text.py").run()
for name, value in (("text_chars", 3000), ("time_steps", 16), ("units", 8), ("epochs", 1)):
    at.number_input(key="field:" + name).set_value(value).run()
at.button(key="text_train_button").click().run()
at = wait_for_jobs(at, [at.session_state["text_job"]], seconds=300)
at.switch_page("pages/unroll.py").run()
at.toggle(key="text_unroll_keras").set_value(True).run()
seen["text"] = [bool(at.exception), metric(at, "Largest |numpy"), tf()]
print(json.dumps(seen))
"""


def test_untrained_network_typed_window_autodiff_lesson_and_text_proof_without_tensorflow(seen):
    # every number Keras gives the pages (an untrained network's weights, its own prediction,
    # its autodiff) comes from a worker process: the server never imports TensorFlow
    exception, choice, diff, tf_loaded = seen["untrained"]
    assert (exception, choice, tf_loaded) == (False, "untrained (random weights)", False), seen
    assert len(diff) == 1 and diff[0] < 1e-4, seen
    exception, diff, tf_loaded = seen["data window"]
    assert not exception and len(diff) == 1 and diff[0] < 1e-4 and not tf_loaded, seen
    assert seen["autodiff"] == [False, True, False], seen
    exception, quoted, missing, diff, tf_loaded = seen["lesson"]
    assert not exception and quoted and not missing and not tf_loaded, seen
    assert len(diff) == 1 and diff[0] < 1e-4, seen
    exception, gap, tf_loaded = seen["text"]
    assert not exception and len(gap) == 1 and gap[0] < 1e-5 and not tf_loaded, seen


@pytest.fixture(scope="module")
def seen() -> dict:
    """What the sections above saw, run one after the other in a fresh interpreter."""
    env = dict(os.environ, RNN_EXPLORER_IN_PROCESS="0", RNN_EXPLORER_WORKERS="1")
    out = subprocess.run([sys.executable, "-c", PAGES_OPEN + AFTER_TRAINING + UNTRAINED_AND_TEXT],
                         capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])
