"""Where a result's excerpt starts (search.text._best_start): the same place as the full scan it
replaced, found without reading past the first run of the query's words."""

import random

from django.utils.html import escape

from search import text
from search.text import _ORIGINAL_WORD, SNIPPET_SCAN_CHARS, _as_query, _hit_word, parse_query

WORDS = ["Kim", "Sơn", "kim", "sơn", "lúa", "chín", "quốc", "phòng", "đường", "xã", "Ninh", "Bình", "125", "UBND"]


def full_scan(value, query, length):
    """The former _best_start: every hit of the first SNIPPET_SCAN_CHARS read, then chosen."""
    hits = []
    for index, match in enumerate(_ORIGINAL_WORD.finditer(value, 0, SNIPPET_SCAN_CHARS)):
        word = _hit_word(match.group(), query)
        if word:
            hits.append((match.start(), word, index))
    if not hits:
        return 0
    size = len(query.words)
    for n in range(len(hits) - size + 1):
        run = hits[n : n + size]
        if [hit[1] for hit in run] == list(query.words) and run[-1][2] - run[0][2] == size - 1:
            return run[0][0]
    best, best_count = hits[0][0], 0
    reach = length * 2 // 3
    for n, (position, _, _) in enumerate(hits):
        found = set()
        for start, word, _ in hits[n:]:
            if start - position > reach:
                break
            found.add(word)
        if len(found) > best_count:
            best, best_count = position, len(found)
        if best_count == len(set(query.words)):
            break
    return best


def test_the_excerpt_starts_where_the_full_scan_started():
    rng = random.Random(20261201)
    for _ in range(3000):
        value = " ".join(rng.choice(WORDS + ["chữ"] * 6) for _ in range(rng.randint(0, 120)))
        typed = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.3:
            typed = typed[: max(1, len(typed) - rng.randint(0, 2))]  # a word still being typed
        query = parse_query(typed)
        if not query.words:
            continue
        for length in (60, 240):
            assert text._best_start(value, query, length) == full_scan(value, query, length), (value, typed)


def test_a_one_word_query_stops_at_its_first_hit(monkeypatch):
    """A document's text may be 60,000 characters: one word found at the start reads no further.
    (Text with a character that folds into more than one, here "ﬁ", is read word by word.)"""
    value = "Kim Sơn ﬁ " + "chữ " * 10_000 + "Kim Sơn"
    tested = []

    def counting(word, query):
        tested.append(word)
        return _hit_word(word, query)

    monkeypatch.setattr(text, "_hit_word", counting)
    assert text._best_start(value, _as_query(["kim"]), 240) == 0
    assert len(tested) == 1
    tested.clear()
    assert text._best_start(value, _as_query(["kim", "son"]), 240) == 0
    assert len(tested) == 2


# Punctuation, Vietnamese quotes and dashes, digits, a decomposed letter (NFD), an underscore, and
# characters that do not fold into one letter: text with any of the last goes word by word.
MARKS = [", ", ". ", " – ", "“", "”", " (", ") ", "/", "-", "_", "\n", "  "]
ODD = ["ﬁ", "ж", "ß", "²", "Ⅻ", "\u0301", "ǅ"]


def random_text(rng, most_words, extra_words):
    """Up to `most_words` words with spaces or punctuation between them, one time in five an ODD one."""
    parts = []
    for _ in range(rng.randint(0, most_words)):
        parts.append(rng.choice(WORDS + extra_words))
        parts.append(rng.choice(MARKS) if rng.random() < 0.3 else " ")
    if rng.random() < 0.2:
        parts.insert(rng.randint(0, len(parts)), rng.choice(ODD))
    return text.nfc("".join(parts))


def test_text_read_through_its_folded_copy_finds_what_reading_word_by_word_finds():
    rng = random.Random(20261203)
    for _ in range(4000):
        value = random_text(rng, 80, ["chữ", "kimson", "sơnla", "Kim_Sơn", "Đường"])
        typed = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.4:
            typed = typed[: max(1, len(typed) - rng.randint(0, 2))]
        query = parse_query(typed)
        if not query.words:
            continue
        for length in (60, 240):
            assert text._best_start(value, query, length) == full_scan(value, query, length), (value, typed)


def test_the_scan_limit_cuts_a_word_alike_both_ways():
    query = parse_query("kim son")
    for shift in range(-3, 4):
        value = "x" * (SNIPPET_SCAN_CHARS - 4 + shift) + " Kim Sơn và kim sơnla"
        assert text._best_start(value, query, 240) == full_scan(value, query, 240)
        assert text._best_start(value + " ж", query, 240) == full_scan(value, query, 240)
    assert text._folded_copy("Đồng Hới, “Kim Sơn”") == "dong hoi, “kim son”"
    assert text._folded_copy("ﬁ") is None and text._folded_copy("Sơn ж") is None and text._folded_copy("•✓😀") == "•✓😀"


def word_by_word_highlight(value, query):
    """The former highlight: each word of the text tested alone."""
    pieces, last = [], 0
    for match in _ORIGINAL_WORD.finditer(value):
        if _hit_word(match.group(), query):
            pieces += [escape(value[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            last = match.end()
    return "".join([*pieces, escape(value[last:])])


def test_words_are_marked_as_testing_each_word_alone_marked_them():
    rng = random.Random(20261204)
    for _ in range(3000):
        value = random_text(rng, 40, ["<b>chữ</b>", "kimson", "sơnla", "Kim_Sơn", "A&B"])
        query = parse_query(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))[: rng.randint(1, 30)])
        assert text.highlight(value, query) == word_by_word_highlight(value, query), (value, query)
