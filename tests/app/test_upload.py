"""Bring your own table through the Data page: good tables load, bad ones are explained and
leave the earlier data selected."""

import numpy as np
import pytest

from tests.app.helpers import texts, train

GOOD = "date,value,temp,rain\n" + "\n".join(
    f"2000-{1 + i // 28:02d}-{1 + i % 28:02d},{np.sin(i / 4):.4f},{(i * 3) % 5},{i % 2}" for i in range(60))


def open_upload(app):
    at = app()
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
