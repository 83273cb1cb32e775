"""Distinctive words: what the reader highlights by default (issue 15 item 3).

``RowDiff.unique`` marks every content word a sentence does not share with
its row; :func:`tui.core.compare.distinctive_spans` keeps the numbers, and
the names and longer content words that none of the row's other sources uses
anywhere in its article.
"""

from __future__ import annotations

from tui.core.compare import compare_cells, distinctive_spans, vocabulary


def _words(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_numbers_and_new_names_are_distinctive_paraphrase_words_are_not():
    texts = {
        0: "Officials said 23 soldiers were killed in clashes near Khost on Sunday.",
        1: "Authorities reported that soldiers died in the border fighting on Sunday.",
    }
    articles = {
        0: [texts[0], "Pakistan closed the border."],
        1: [texts[1], "Pakistan and Afghanistan traded blame.", "Officials were quoted widely."],
    }
    diff = compare_cells(texts)
    vocab = {s: vocabulary(a) for s, a in articles.items()}
    found = distinctive_spans(texts, diff.unique, vocab)
    unique0 = _words(texts[0], diff.unique[0])
    kept0 = _words(texts[0], found[0])
    assert "23" in kept0  # a number the other outlet does not give
    assert "Khost" in kept0  # a place the other outlet never names
    assert "killed" in unique0 and "killed" in kept0  # a content word the other never uses
    assert "Officials" in unique0 and "Officials" not in kept0  # the other says "officials" elsewhere
    kept1 = _words(texts[1], found[1])
    assert "died" in _words(texts[1], diff.unique[1]) and "died" not in kept1  # four letters: too short
    assert "Authorities" in kept1
    assert set(found[0]) <= set(diff.unique[0]) and set(found[1]) <= set(diff.unique[1])


def test_a_word_the_other_source_uses_elsewhere_is_not_distinctive():
    texts = {0: "The truce collapsed overnight.", 1: "The ceasefire ended in the night."}
    articles = {0: [texts[0]], 1: [texts[1], "Both sides said the truce was fragile."]}
    diff = compare_cells(texts)
    assert "truce" in _words(texts[0], diff.unique[0])
    found = distinctive_spans(texts, diff.unique, {s: vocabulary(a) for s, a in articles.items()})
    assert "truce" not in _words(texts[0], found[0])
    assert "collapsed" in _words(texts[0], found[0])


def test_a_lone_sentence_has_nothing_distinctive_to_show():
    texts = {0: "Only one outlet has this sentence about 40 trucks."}
    diff = compare_cells(texts)
    assert distinctive_spans(texts, diff.unique, {0: vocabulary(texts.values())}) == {0: ()}


def test_vocabulary_leaves_out_stop_words_and_stems_like_the_comparer():
    vocab = vocabulary(["The soldiers were killed.", "A soldier said nothing."])
    assert "the" not in vocab and "were" not in vocab
    assert "soldier" in vocab and "kill" in vocab
