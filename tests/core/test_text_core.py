"""Text mode without a network: corpora, own-text checks, vocabulary, windows, baselines."""

from __future__ import annotations

import math
import sysconfig

import numpy as np
import pytest

from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.text import (MAX_TEXT_BYTES, STDLIB_FILES, UNKNOWN, Vocab, bigram_bits, corpus,
                           not_applicable, prepare_text, read_text, unigram_bits)
from rnn_core.text.corpora import brackets, python_stdlib


def test_stdlib_corpus_is_the_listed_files_in_order_with_their_licence():
    c = python_stdlib()
    assert 300_000 < len(c.text) < 800_000  # a few hundred KB
    headers = [line[len("# file: "):] for line in c.text.splitlines() if line.startswith("# file: ")]
    assert headers == list(STDLIB_FILES)  # the fixed list, sorted, every file present here
    assert list(STDLIB_FILES) == sorted(STDLIB_FILES)
    lib = sysconfig.get_paths()["stdlib"]
    with open(f"{lib}/bisect.py", encoding="utf-8") as f:
        assert f.read() in c.text
    assert "Python Software Foundation License" in c.source and "bisect.py" in c.source
    cfg = RunConfig(dataset="python-stdlib", text_chars=5000)
    assert corpus(cfg).text == c.text[:5000] == corpus(cfg).text  # deterministic


def test_brackets_are_balanced_seeded_and_their_depth_is_exact():
    c = brackets(3000, max_depth=3, seed=4)
    depth, level, stack = [], 0, []
    for ch in c.text:  # recount the depth by hand, matching every closing bracket
        if ch in "([{":
            stack.append(ch)
        elif ch in ")]}":
            assert "([{"[")]}".index(ch)] == stack.pop()
        depth.append(len(stack))
    assert not stack and c.depth.tolist() == depth and max(depth) == 3
    assert set(c.text) <= set("([{)]}abcdefgh ")
    assert brackets(3000, 3, 4).text == c.text != brackets(3000, 3, 5).text
    cfg = RunConfig(dataset="brackets", text_chars=500, brackets_depth=2, text_seed=1)
    assert corpus(cfg).text == brackets(500, 2, 1).text and corpus(cfg).depth.max() <= 2


@pytest.mark.parametrize("data, words", [
    (b"", "is empty"),
    (b"  \n\t ", "is empty"),
    (b"caf\xe9 au lait", "not UTF-8 text (byte 4"),
    (b"PK\x03\x04\x00\x00zip", "looks binary (a zero byte at byte 5"),
    (b"x" * (MAX_TEXT_BYTES + 1), f"more than the limit of {MAX_TEXT_BYTES:,} bytes"),
    ("utf-16 text".encode("utf-16"), "is UTF-16 text"),
], ids=["empty", "blank", "latin-1", "zip", "too-large", "utf-16"])
def test_bad_own_text_gets_one_clear_sentence(data, words):
    with pytest.raises(RnnExplorerError) as err:
        read_text(data, "notes.txt")
    assert words in str(err.value) and str(err.value).startswith("notes.txt ")
    assert "\n" not in str(err.value)


def test_own_text_is_read_as_utf8_without_bom_and_with_plain_line_ends():
    assert read_text("\ufeffa\r\nb\rc".encode("utf-8"), "f") == "a\nb\nc"
    cfg = RunConfig(dataset="text", text_chars=300)
    assert corpus(cfg, "ab" * 400).text == "ab" * 150
    with pytest.raises(RnnExplorerError, match="no text given"):
        corpus(cfg, None)


def test_vocab_is_the_training_characters_and_unknown_held_out_ones_are_counted():
    cfg = RunConfig(dataset="text", text_chars=1000, time_steps=4, split=0.5)
    text = "abcab" * 100 + "abXYa" * 100  # the held-out half has X and Y, never in training
    p = prepare_text(cfg, text)
    assert p.vocab.chars == (UNKNOWN, "a", "b", "c")
    assert p.unknown_in_test == 200 and p.n_train_chars == 500 == p.n_test_chars
    assert p.vocab.decode(p.vocab.encode("aXc")) == f"a{UNKNOWN}c"


def test_windows_cover_every_held_out_character_once():
    cfg = RunConfig(dataset="brackets", text_chars=1003, time_steps=10, split=0.8)
    p = prepare_text(cfg)
    ids = p.vocab.encode(p.corpus.text)
    assert p.x_train.shape == ((802 - 1) // 10, 10)
    assert (p.y_train.ravel() == ids[1:1 + p.y_train.size]).all()
    assert (p.x_train.ravel() == ids[:p.x_train.size]).all()
    targets = p.y_test[p.mask_test]
    assert p.mask_test.sum() == p.n_test_chars == 1003 - 802
    assert (targets == ids[802:]).all()  # every held-out character, in order
    assert p.x_test.ravel()[0] == ids[801]  # the first one is read after the last training one
    assert p.fit_windows.n_test == p.x_test.shape[0] - 1  # the padded last one is not fitted


def test_a_text_too_short_for_the_windows_says_what_to_change():
    cfg = RunConfig(dataset="text", text_chars=300, time_steps=100, split=0.3)
    with pytest.raises(RnnExplorerError, match="training needs at least 101 characters"):
        prepare_text(cfg, "x" * 300)
    with pytest.raises(RnnExplorerError, match="one-hot input needs windows of at least 2"):
        prepare_text(cfg.replace(time_steps=1), "x" * 300)
    assert prepare_text(cfg.replace(time_steps=1, text_input="embedding"), "x" * 300).x_train.shape == (89, 1)


def test_baselines_equal_hand_computed_values():
    v = Vocab.of("aab")  # unknown, a, b: V = 3
    # unigram: counts a 2, b 1 of N = 3 -> p(a) = 3/6, p(b) = 2/6, p(c unknown) = 1/6
    expected = -(math.log2(3 / 6) + math.log2(2 / 6) + math.log2(1 / 6)) / 3
    assert unigram_bits("aab", "abc", v) == pytest.approx(expected, abs=1e-12)
    # bigram pairs of "aab": aa, ab -> row a: 2 pairs, row b: none
    # "ba" after training's last b: p(b|b) = 1/3, p(a|b) = 1/3 (no pair from b: uniform)
    assert bigram_bits("aab", "ba", v) == pytest.approx(math.log2(3), abs=1e-12)
    # "ab" after b... p(a|b) = 1/3, then p(b|a) = (1 + 1) / (2 + 3) = 2/5
    assert bigram_bits("aab", "ab", v) == pytest.approx(
        -(math.log2(1 / 3) + math.log2(2 / 5)) / 2, abs=1e-12)


def test_baselines_on_a_real_text_order_as_expected():
    p = prepare_text(RunConfig(dataset="python-stdlib", text_chars=60_000, split=0.9))
    uni = unigram_bits(p.train_text, p.test_text, p.vocab)
    bi = bigram_bits(p.train_text, p.test_text, p.vocab)
    assert 2.0 < bi < uni < math.log2(p.vocab.size)  # each uses more, each does better


def test_not_applicable_greys_series_settings_for_a_text_and_text_ones_otherwise():
    text = not_applicable(RunConfig(dataset="python-stdlib"))
    assert {"stride", "horizon", "scaler_fit", "embedding_dim", "brackets_depth"} <= set(text)
    assert "text_chars" not in text and "units" not in text and "split" not in text
    emb = not_applicable(RunConfig(dataset="brackets", text_input="embedding"))
    assert "embedding_dim" not in emb and "brackets_depth" not in emb
    assert set(not_applicable(RunConfig())) == {"text_chars", "text_input", "embedding_dim",
                                                "brackets_depth", "text_seed"}


def test_series_paths_refuse_a_text_config_with_a_clear_sentence():
    from rnn_core.export import script
    from rnn_core.presets import preset
    from rnn_core.run import prepare

    with pytest.raises(RnnExplorerError, match="is a text, not a series: train it on the Text page"):
        prepare(preset("text-brackets"))
    with pytest.raises(RnnExplorerError, match="dataset=python-stdlib is a text"):
        script(preset("text-stdlib"))


def test_a_text_with_too_many_characters_keeps_the_most_frequent():
    from rnn_core.text import MAX_VOCAB

    rare = "".join(chr(0x4E00 + i) for i in range(MAX_VOCAB + 50))  # 1,050 CJK characters once
    v = Vocab.of("ab" * 100 + rare)
    assert v.size == MAX_VOCAB and v.chars[0] == UNKNOWN and {"a", "b"} <= set(v.chars)
    assert v.unknown_count(rare) == 53  # the 1,050 rare ones minus the 997 kept with a, b
