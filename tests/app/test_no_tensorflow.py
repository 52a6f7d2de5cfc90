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
