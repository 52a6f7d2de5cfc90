"""Pages that only show data and settings never import TensorFlow themselves."""

import json
import os
import subprocess
import sys

from tests.app.helpers import APP

SCRIPT = f"""
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({APP!r}, default_timeout=60).run()
seen = {{}}
for page in ("pages/data.py", "pages/train.py", "pages/results.py"):
    at.switch_page(page).run()
    seen[page] = [bool(at.exception), "tensorflow" in sys.modules or "keras" in sys.modules]
print(json.dumps(seen))
"""


def test_data_training_and_results_pages_open_without_tensorflow():
    env = dict(os.environ, RNN_EXPLORER_PRELOAD="0")
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {page: [False, False] for page in seen}, seen
    assert len(seen) == 3


AFTER_TRAINING = f"""
import json, sys
from streamlit.testing.v1 import AppTest
from tests.app.helpers import train
at = AppTest.from_file({APP!r}, default_timeout=120).switch_page("pages/data.py").run()
at.selectbox(key="field:dataset").set_value("airpassengers").run()
at.number_input(key="field:horizon").set_value(2).run()
at = train(at, epochs=2)   # in a worker process
at.switch_page("pages/results.py").run()
forecast = [m.value for m in at.metric if m.label.startswith("Next value")]
seen = {{"results": [bool(at.exception), forecast, "tensorflow" in sys.modules]}}
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
print(json.dumps(seen))
"""


def test_forecast_horizon_comparison_and_unroll_run_without_tensorflow_in_the_server():
    # trainings in worker processes; the server's forecast, roll-out and unroll use the numpy
    # network
    # one worker process: the two pitfall trainings queue (each worker imports TensorFlow)
    env = dict(os.environ, RNN_EXPLORER_PRELOAD="0", RNN_EXPLORER_IN_PROCESS="0",
               RNN_EXPLORER_WORKERS="1")
    out = subprocess.run([sys.executable, "-c", AFTER_TRAINING], capture_output=True, text=True,
                         env=env, timeout=400, cwd=os.path.dirname(os.path.dirname(
                             os.path.dirname(os.path.abspath(__file__)))))
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    exception, forecast, tf_loaded = seen["results"]
    assert not exception and len(forecast) == 1 and not tf_loaded, seen
    # Inside the network on a data window: numpy from the weights vs Keras' stored prediction
    exception, diff, tf_loaded = seen["unroll"]
    assert not exception and len(diff) == 1 and float(diff[0]) < 1e-4 and not tf_loaded, seen
    exception, charts, tf_loaded = seen["pitfalls"]
    assert not exception and charts >= 1 and not tf_loaded, seen
    # a typed window has no stored prediction: the Keras model is built, TensorFlow loaded
    exception, diff, tf_loaded = seen["typed"]
    assert not exception and len(diff) == 1 and float(diff[0]) < 1e-4 and tf_loaded, seen
