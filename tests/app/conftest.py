"""AppTest fixture: the app, optionally opened with link parameters."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import APP, TIMEOUT


@pytest.fixture
def app():
    def make(query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()
    return make
