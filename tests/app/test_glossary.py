"""The glossary is one click from every page: the sidebar's popover holds every term."""

import re
from pathlib import Path

import pytest

from rnn_core.glossary import TERMS
from tests.app.helpers import APP

# every page of the navigation, read from app.py so a new page is checked too
PAGES = re.findall(r'st\.Page\("(pages/[a-z_]+\.py)"', Path(APP).read_text())


def test_the_navigation_lists_pages():
    assert "pages/pitfalls.py" in PAGES and len(PAGES) >= 6


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_glossary(app, page):
    at = app()
    at.switch_page(page).run()
    assert not at.exception
    glossary = [m.value for m in at.sidebar.markdown if "**hidden state**" in m.value]
    assert len(glossary) == 1, page
    for term, text in TERMS.items():
        assert f"**{term}**: {text}" in glossary[0], term
    assert "**persistence**: The baseline \"the next value equals the last one\"" in glossary[0]
