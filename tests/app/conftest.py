"""AppTest fixture: the app, optionally opened with link parameters."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import APP, DATA_PAGE, TIMEOUT


@pytest.fixture
def app():
    """``app(query, page)``: the app's first run with link parameters ``query``, on ``page``
    (the Data & windows page, where most tests start; None for Start, where the app opens)."""
    def make(query: dict | None = None, page: str | None = DATA_PAGE) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(page)
        return at.run()
    return make
