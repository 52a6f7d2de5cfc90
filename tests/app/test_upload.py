"""Bring your own table through the Data page: good tables load, bad ones are explained and
leave the earlier data selected."""

import time

import numpy as np
import pytest

from tests.app.helpers import texts, train

GOOD = "date,value,temp,rain\n" + "\n".join(
    f"2000-{1 + i // 28:02d}-{1 + i % 28:02d},{np.sin(i / 4):.4f},{(i * 3) % 5},{i % 2}" for i in range(60))


def open_upload(app):
    # a link of settings starts from the defaults (windows of 12), which these small tables
    # can cut; a first visit's recommended windows of 36 would need more rows
    at = app({"time_steps": "12"})
    at.selectbox(key="field:dataset").set_value("upload").run()
    return at


def use(at, content: bytes, name="data.csv", date=None, features=(), missing=None, target=None):
    at.file_uploader(key="table_file").upload(name, content, "text/csv").run()
    if not [b for b in at.button if b.key == "table_use"]:
        return at  # the file itself was refused: the message is already shown
    if target:
        at.selectbox(key="table_target").set_value(target).run()
    if date:
        at.selectbox(key="table_date").set_value(date).run()
    if features:
        at.multiselect(key="table_features").set_value(list(features)).run()
    if missing:
        at.radio(key="table_missing").set_value(missing).run()
    return at.button(key="table_use").click().run()


def test_table_with_two_feature_columns_gives_three_inputs_and_trains(app):
    at = use(open_upload(app), GOOD.encode(), date="date", features=("temp", "rain"))
    assert not at.exception
    assert [m.value for m in at.metric] == ["36", "12", "(samples, 12, 3)"]
    series = at.session_state["user_series"]
    assert series.feature_names == ("temp", "rain") and series.features.shape == (60, 2)
    at = train(at, epochs=1)
    assert at.session_state["run"].windows.x_train.shape[1:] == (12, 3)
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    assert at.code[0].value.startswith("x_1 = [")  # three numbers per step
    assert at.code[0].value.split("]")[0].count(",") == 2


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"date,value\n", "no data rows"),
    (b"name,colour\na,red\nb,blue\n", "no column of the table holds numbers"),
    (("value\n" + "\n".join(["1.5"] * 10 + ["oops"] + ["2.5"] * 20)).encode(), "holds text where a number is expected"),
    (("value\n" + "\n".join(["4.5"] * 30)).encode(), "constant"),
    (("value\n" + "\n".join(str(i) for i in range(5))).encode(), "at least 20"),
    (("date,value\n" + "\n".join(f"2000-01-{1 + i % 25:02d},{i}" for i in range(30))).encode(), "appears 2 times"),
    ("value\ncafé\n".encode("latin-1") + b"\n".join(b"1" for _ in range(30)), "is not UTF-8"),
])
def test_bad_tables_are_explained_and_data_kept(app, content, message):
    at = use(open_upload(app), GOOD.encode(), date="date")
    before = at.session_state["user_series"]
    at = use(at, content, date="date" if b"date" in content[:5] else None)
    assert not at.exception
    errors = texts(at.error)
    assert errors, "a bad table must give a message"
    if message:
        assert any(message in e for e in errors), errors
    assert at.session_state["user_series"] is before
    assert at.session_state["config"].dataset == "upload"


def test_missing_values_policy(app):
    rows = [f"{i},{np.sin(i / 3):.3f}" if i not in (5, 9) else f"{i}," for i in range(40)]
    content = ("t,value\n" + "\n".join(rows)).encode()
    at = use(open_upload(app), content, target="value")
    assert any("2 missing values" in e for e in texts(at.error))
    at.radio(key="table_missing").set_value("interpolate").run()
    at.button(key="table_use").click().run()
    assert not texts(at.error)
    assert len(at.session_state["user_series"]) == 40
    assert any("filled 2 missing values" in c for c in texts(at.caption)), texts(at.caption)


def test_link_to_a_web_page_is_refused_with_a_message(app):
    at = open_upload(app)
    at.radio(key="table_how").set_value("load from a link").run()
    at.text_input(key="table_url").input("ftp://example.org/data.csv").run()
    at.button(key="table_fetch").click().run()
    assert any("only http:// and https://" in e for e in texts(at.error))
    assert not at.exception


# --- more bad input: an empty target column, a file over the cap, bad links ------------------

GOOD_METRICS = ["36", "12", "(samples, 12, 1)"]  # GOOD with its date column, no features


def test_all_empty_column_is_not_offered_and_an_all_empty_table_is_refused(app):
    at = use(open_upload(app), GOOD.encode(), date="date")
    before = at.session_state["user_series"]
    assert [m.value for m in at.metric] == GOOD_METRICS
    # a table whose only value column is empty in every row ("", NA and NaN all read as missing)
    cells = ["", "NA", "NaN"]
    content = ("date,value\n" + "\n".join(
        f"2001-{1 + i // 28:02d}-{1 + i % 28:02d},{cells[i % 3]}" for i in range(40))).encode()
    at = use(at, content)
    assert not at.exception
    errors = texts(at.error)
    assert any("no column of the table holds numbers" in e and "'value'" in e
               and "Your data is unchanged." in e for e in errors), errors
    assert at.session_state["user_series"] is before
    assert at.session_state["config"].dataset == "upload"
    assert [m.value for m in at.metric] == GOOD_METRICS
    # next to a usable column, the empty one is reported and never offered as target or feature
    content = ("load,empty\n" + "\n".join(f"{np.sin(i / 4):.4f}," for i in range(40))).encode()
    at.file_uploader(key="table_file").upload("holes.csv", content, "text/csv").run()
    assert not at.exception
    assert at.selectbox(key="table_target").options == ["load"]
    assert at.multiselect(key="table_features").options == []
    assert any(c.startswith("empty: 40 missing (lines 2, 3, 4, 5, 6 and 35 more)")
               for c in texts(at.caption)), texts(at.caption)
    assert at.session_state["user_series"] is before  # nothing is used before "Use this table"


def test_file_over_the_upload_cap_is_refused_and_data_kept(app):
    from rnn_core import tables

    at = use(open_upload(app), GOOD.encode(), date="date")
    before = at.session_state["user_series"]
    line = b"1.5\n"
    body = b"value\n" + line * ((tables.MAX_UPLOAD_BYTES - 6) // len(line) + 1)
    assert tables.MAX_UPLOAD_BYTES < len(body) < tables.MAX_UPLOAD_BYTES + 8
    # the same bytes the widget hands to the page; AppTest does not apply the server's cap
    at = use(at, body, name="big.csv")
    assert not at.exception
    assert "table_use" not in [b.key for b in at.button]  # refused before the column choice
    cap = tables.MAX_UPLOAD_BYTES // 2**20
    errors = texts(at.error)
    assert f"'big.csv' is {cap}.1 MB, more than the limit of {cap} MB. Upload a shorter extract " \
           "(fewer rows or only the columns you need). Your data is unchanged." in errors, errors
    assert at.session_state["user_series"] is before
    assert at.session_state["config"].dataset == "upload"
    assert [m.value for m in at.metric] == GOOD_METRICS


@pytest.fixture
def web():
    """A local web server on 127.0.0.1: /data.csv (GOOD), /page.html (a web page) and
    /slow.csv (answers nothing until the test is over). Yields its base URL."""
    import http.server
    import threading

    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            if self.path == "/slow.csv":
                release.wait(30)  # longer than the fetch timeout; never answers
                return
            if self.path == "/drip.csv":  # issue 13: one byte every 0.2 s, never done
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.end_headers()
                while not release.wait(0.2):
                    self.wfile.write(b"1")
                    self.wfile.flush()
                return
            if self.path == "/data.csv":
                body, ctype = GOOD.encode(), "text/csv"
            elif self.path == "/page.html":
                body = b"<!DOCTYPE html><html><head><title>Data</title></head><body><table>" \
                       b"<tr><td>1</td></tr></table></body></html>"
                ctype = "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    release.set()
    server.shutdown()
    server.server_close()
    thread.join(10)


def fetch(at, url):
    at.radio(key="table_how").set_value("load from a link").run()
    at.text_input(key="table_url").input(url).run()
    return at.button(key="table_fetch").click().run()


FETCH_TIMEOUT = 1.0  # seconds; the app's 10 s made short for the test (same code path)
FETCH_TOTAL_TIMEOUT = 2.0  # and its 60 s for the whole download


@pytest.mark.parametrize("path, message", [
    ("/slow.csv", "{url} did not answer within 1 s: the server is slow or unreachable."),
    ("/drip.csv", "downloading {url} took longer than 2 s: the server is too slow"),
    ("/page.html", "{url} returned a web page, not a table: link to the raw CSV file"),
    ("file:///etc/passwd", "the link 'file:///etc/passwd' uses the file:// scheme: only http:// "
                           "and https:// links can be read"),
    ("javascript:alert(1)", "uses the javascript:// scheme: only http:// and https://"),
], ids=["times-out", "drips", "web-page", "file-scheme", "javascript-scheme"])
def test_bad_links_are_explained_and_the_linked_table_kept(app, web, monkeypatch, path, message):
    from rnn_core import fetch as fetch_module

    fetch_url = fetch_module.fetch_url
    # AppTest runs the page in this process: the page calls fetch.fetch_url at click time
    monkeypatch.setattr(fetch_module, "fetch_url",
                        lambda url, timeout=FETCH_TIMEOUT, **kw: fetch_url(
                            url, timeout=timeout, total_timeout=FETCH_TOTAL_TIMEOUT, **kw))
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("RNN_EXPLORER_ALLOW_PRIVATE_LINKS", "1")  # the test server is on 127.0.0.1
    at = fetch(open_upload(app), web + "/data.csv")
    assert not texts(at.error), texts(at.error)
    at.selectbox(key="table_date").set_value("date").run()
    at = at.button(key="table_use").click().run()
    assert not at.exception
    before, source = at.session_state["user_series"], at.session_state["table_source"]
    assert [m.value for m in at.metric] == GOOD_METRICS

    url = web + path if path.startswith("/") else path
    started = time.monotonic()
    at = at.text_input(key="table_url").input(url).run()
    at = at.button(key="table_fetch").click().run()
    assert time.monotonic() - started < 20
    assert not at.exception
    errors = texts(at.error)
    assert any(message.format(url=url) in e for e in errors), errors
    # the earlier table is still in use and still the one shown for the column choice
    assert at.session_state["user_series"] is before
    assert at.session_state["table_source"] == source
    assert at.session_state["config"].dataset == "upload"
    assert [m.value for m in at.metric] == GOOD_METRICS
    assert "60 rows · number columns: value, temp, rain" in texts(at.caption)


def test_a_failed_link_message_goes_when_the_source_changes(app):
    at = fetch(open_upload(app), "ftp://example.org/data.csv")
    assert any("ftp:// scheme" in e for e in texts(at.error))
    at.radio(key="table_how").set_value("upload a file").run()
    assert not any("ftp://" in e for e in texts(at.error))
    at = use(at, GOOD.encode(), date="date")
    assert not at.exception and not texts(at.error)
    assert [m.value for m in at.metric] == GOOD_METRICS
