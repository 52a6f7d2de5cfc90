"""Features per character (checked against Python's tokenizer and by hand) and the unit finder."""

from __future__ import annotations

import io
import sysconfig
import tokenize
from pathlib import Path

import numpy as np
import pytest

from rnn_core import text_features as tf

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _tokenizer_view(text: str) -> tuple[np.ndarray, np.ndarray]:
    """in_string / in_comment as Python's tokenizer sees them (a literal from its first quote
    to the character before its last)."""
    starts = np.cumsum([0] + [len(line) for line in text.splitlines(keepends=True)])
    string, comment = np.zeros(len(text)), np.zeros(len(text))
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        a = starts[tok.start[0] - 1] + tok.start[1]
        b = starts[tok.end[0] - 1] + tok.end[1]
        if tok.type == tokenize.STRING:
            quote = min(i for i in (tok.string.find("'"), tok.string.find('"')) if i >= 0)
            string[a + quote:b - 1] = 1.0
        elif tok.type == tokenize.COMMENT:
            comment[a:b] = 1.0
    return string, comment


@pytest.mark.parametrize("name", ["textwrap.py", "csv.py", "json/decoder.py", "string.py"])
def test_strings_and_comments_agree_with_pythons_tokenizer(name):
    text = (STDLIB / name).read_text(encoding="utf-8")
    string, comment = _tokenizer_view(text)
    found = tf.features(text)
    assert string.sum() > 100 and comment.sum() > 100  # the file has both
    np.testing.assert_array_equal(found["in_string"], string)
    np.testing.assert_array_equal(found["in_comment"], comment)


def test_hand_made_line():
    text = "def f(a):\n    s = r'\\'x' # (\n\tb = '''q\n)'''\n"
    f = tf.features(text)
    at = {name: [int(v) for v in values] for name, values in f.items()}
    i = text.index("r'")
    # the raw string's escaped quote does not end it; its closing quote does
    assert at["in_string"][i + 1:i + 6] == [1, 1, 1, 1, 0]
    hash_at = text.index("#")
    assert at["in_comment"][hash_at:hash_at + 3] == [1, 1, 1]
    assert at["in_comment"][text.index("\n", hash_at)] == 0
    # brackets inside the comment and the triple-quoted string do not count
    assert at["bracket_depth"][text.index("(")] == 1
    assert at["bracket_depth"][text.index(")")] == 0
    assert max(at["bracket_depth"][text.index(")") + 1:]) == 0
    second = text.index("    s")
    assert at["indentation"][second:second + 6] == [1, 2, 3, 4, 4, 4]
    tab = text.index("\t")
    assert at["indentation"][tab] == tf.TAB_WIDTH
    assert at["position_in_line"][:4] == [1, 2, 3, 4]
    assert at["position_in_line"][text.index("\n")] == 0
    assert [text[j] for j, v in enumerate(at["word_start"]) if v] == ["d", "f", "a", "s", "r", "x",
                                                                      "b", "q"]
    triple = text.index("'''")
    assert at["in_string"][triple:triple + 3] == [1, 1, 1]
    end = text.rindex("'''")
    assert at["in_string"][end:end + 3] == [1, 1, 0]


def test_unclosed_strings_stop_at_the_line_or_the_text():
    f = tf.features("x = 'abc\ny = 1\nz = '''open")
    text = "x = 'abc\ny = 1\nz = '''open"
    s = f["in_string"]
    assert s[text.index("y")] == 0  # a one-line string ends with its line
    assert s[-1] == 1  # a long string still open at the end


def test_depth_never_negative_and_shift_only():
    text = "a)b)c(d"  # a held-out part cut inside two brackets
    depth = tf.bracket_depth(text)
    assert depth.min() == 0
    assert depth.tolist() == [2, 1, 1, 0, 0, 1, 1]


def test_correlations_match_numpy():
    rng = np.random.default_rng(0)
    acts = rng.normal(size=(200, 5))
    feature = rng.normal(size=200)
    expected = [np.corrcoef(acts[:, j], feature)[0, 1] for j in range(5)]
    np.testing.assert_allclose(tf.correlations(acts, feature), expected, atol=1e-12)


def test_finder_names_the_unit_built_to_follow_a_feature():
    text = "((a)(b(c)))d(e)" * 20
    values = tf.features(text)
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(len(text), 6))
    layer2 = rng.normal(size=(len(text), 4))
    layer2[:, 2] = -0.3 * values["bracket_depth"] + 0.05 * rng.normal(size=len(text))
    found = {m.feature: m for m in tf.find_units({"layer 1 h": noise, "layer 2 h": layer2}, values)}
    depth = found["bracket_depth"]
    assert (depth.layer, depth.unit) == ("layer 2 h", 2)
    assert depth.correlation < -0.9  # the sign is kept
    # no string, comment or indentation in this text: nothing to follow, nothing claimed
    assert {"in_string", "in_comment", "indentation"}.isdisjoint(found)
    assert set(tf.constant_features(values)) == {"in_string", "in_comment", "indentation"}


def test_a_unit_that_never_moves_is_never_best():
    values = {"f": np.array([0.0, 1.0, 0.0, 1.0])}
    states = {"h": np.array([[5.0, 0.1], [5.0, 0.2], [5.0, 0.1], [5.0, 0.3]])}
    assert tf.find_units(states, values)[0].unit == 1


def test_a_part_cut_inside_a_docstring_is_read_from_the_start_of_the_whole_text():
    whole = (STDLIB / "textwrap.py").read_text(encoding="utf-8")
    string, comment = _tokenizer_view(whole)
    cut = whole.index("Object for wrapping/filling text.")  # inside the class docstring
    assert string[cut] == 1
    part = tf.features_of_part(whole, cut, 3000)
    np.testing.assert_array_equal(part["in_string"], string[cut:cut + 3000])
    np.testing.assert_array_equal(part["in_comment"], comment[cut:cut + 3000])
    alone = tf.features(whole[cut:cut + 3000])  # its closing quotes taken for opening ones
    assert (alone["in_string"] != string[cut:cut + 3000]).mean() > 0.3
