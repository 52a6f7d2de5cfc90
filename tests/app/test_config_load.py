"""The sidebar's "Load a config (.json)": a bad file is explained in one line and the settings
stay as they were (issue 13 item 1); a good one, even saved with a byte-order mark, loads."""

from rnn_core.config import RunConfig
from tests.app.helpers import texts


def upload_config(at, content: bytes, name: str = "config.json"):
    """Upload through the real widget; its on_change callback runs as in the browser."""
    return at.sidebar.file_uploader(key="config_upload").upload(
        name, content, "application/json").run()


def test_a_400_digit_number_is_explained_and_the_settings_are_kept(app):
    at = app({"units": "16", "cell": "gru"})
    before = at.session_state["config"]
    assert (before.units, before.cell) == (16, "gru")
    at = upload_config(at, b'{"units": ' + b"9" * 400 + b', "cell": "lstm"}')
    assert not at.exception
    errors = texts(at.sidebar.error)
    assert errors == ["Config not loaded, settings unchanged: units=99999999999999999999… "
                      "(400 digits) is not valid: use a whole number from 1 to 256."]
    assert at.session_state["config"] == before


def test_deep_nesting_and_an_oversized_file_are_explained(app):
    at = app()
    before = at.session_state["config"]
    at = upload_config(at, b'{"units": ' + b"[" * 2000 + b"]" * 2000 + b"}")
    assert not at.exception
    assert any("nests lists or objects too deeply" in e for e in texts(at.sidebar.error))
    at = upload_config(at, b'{"cell": "' + b"x" * 100_000 + b'"}', name="big.json")
    assert not at.exception
    assert any("more than the limit of 65,536 bytes" in e for e in texts(at.sidebar.error))
    assert at.session_state["config"] == before


def test_a_config_saved_with_a_byte_order_mark_loads(app):
    at = app()
    wanted = RunConfig(units=24, cell="lstm", epochs=7)
    at = upload_config(at, b"\xef\xbb\xbf" + wanted.to_json().encode())
    assert not at.exception
    assert not texts(at.sidebar.error)
    assert at.session_state["config"] == wanted
