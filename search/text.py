"""Vietnamese text folding for search: the same rules for the index, the query and the highlighter.

"Kim Sơn", "KIM SON", "kim son" and the decomposed (NFD) "Kim Sơn" pasted from an office document
all fold to the words ["kim", "son"]; "đ" folds to "d". The exact form ("kim sơn": lower case,
diacritics kept) is kept beside the folded one, so a query typed with diacritics can rank the
items that have exactly those words first.
"""

import functools
import html
import re
import unicodedata
from typing import NamedTuple

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from portal.text import strip_diacritics

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
# The last word of a query counts as the start of a word ("quoc pho" finds "quốc phòng"); alone, from
# this length on: a single letter would match half the dictionary.
MIN_PREFIX_CHARS = 2
# How far into a body the snippet looks for a hit; past it the snippet shows the beginning,
# so a long body matched only by its title costs little.
SNIPPET_SCAN_CHARS = 60_000
_WORD = re.compile(r"[a-z0-9]+")
_ORIGINAL_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")


def nfc(text):
    return unicodedata.normalize("NFC", text or "")


def fold_words(text):
    """Lower-case ASCII words of `text`, diacritics removed."""
    return _WORD.findall(strip_diacritics(nfc(text)).lower())


def fold(text):
    """The normalised column: words separated by single spaces, with a space at each end.

    The outer spaces let a plain LIKE '% word %' match whole words only.
    """
    words = fold_words(text)
    return f" {' '.join(words)} " if words else ""


def exact_words(text):
    """Lower-case words of `text` with their diacritics: "Kim Đồng" -> ["kim", "đồng"]."""
    return _ORIGINAL_WORD.findall(nfc(text).lower())


def exact(text):
    """The exact column: like `fold`, but the words keep their diacritics."""
    words = exact_words(text)
    return f" {' '.join(words)} " if words else ""


class Query(NamedTuple):
    """A reader's query as search uses it.

    `words` are folded, in the order typed; `exact` the same words as typed (lower case, diacritics kept);
    `prefix` says whether the last word also matches longer words (search while typing).
    """

    words: tuple = ()
    exact: tuple = ()
    prefix: bool = False

    @property
    def has_diacritics(self):
        return self.words != self.exact

    def phrase(self, folded=True):
        """The words side by side as the columns store them: " quoc phong " (" quoc pho" for a prefix)."""
        words = self.words if folded else self.exact
        return f" {' '.join(words)}" + ("" if self.prefix else " ")


def parse_query(text):
    """The Query of what a reader typed, capped so a pasted essay stays cheap."""
    pairs = []
    for token in exact_words((text or "")[:MAX_QUERY_CHARS]):
        folded = fold_words(token)
        pairs += [(word, token if len(folded) == 1 else word) for word in folded]
    # Repeated words stay: "hỗ trợ hộ nghèo" is a phrase with "ho" twice.
    pairs = pairs[:MAX_QUERY_WORDS]
    words = tuple(word for word, _ in pairs)
    # After other words even one letter narrows enough: "kim s" while typing "kim sơn".
    shortest = MIN_PREFIX_CHARS if len(words) == 1 else 1
    prefix = bool(words) and len(words[-1]) >= shortest and not words[-1].isdigit()
    return Query(words, tuple(token for _, token in pairs), prefix)


def html_to_text(value):
    """Plain text of editor HTML, for indexing: tags dropped, entities decoded, spaces collapsed."""
    text = strip_tags(re.sub(r"<(br|/p|/h\d|/li|/td|/tr|/figcaption)\b", r" \g<0>", value or ""))
    return _SPACES.sub(" ", html.unescape(text)).strip()


@functools.lru_cache(maxsize=20_000)
def _folded(word):
    """The folded words of one word of text: a long body repeats few distinct syllables."""
    return tuple(fold_words(word))


def _as_query(words):
    return words if isinstance(words, Query) else Query(tuple(words), tuple(words), False)


def _hit_word(word, query):
    """The query word that `word` of the text matches, or None."""
    for part in _folded(word):
        if part in query.words:
            return part
        if query.prefix and part.startswith(query.words[-1]):
            return query.words[-1]
    return None


def highlight(text, words):
    """`text` escaped, with each word that matches the query (a Query or folded words) in <mark>."""
    query = _as_query(words)
    pieces, last = [], 0
    folded = _folded_copy(text) if query.words else None
    if folded is None:
        found = (match.span() for match in _ORIGINAL_WORD.finditer(text) if _hit_word(match.group(), query))
    else:
        found = (match.span() for match in _hits_pattern(query.words, query.prefix).finditer(folded))
    for start, end in found:
        pieces.append(escape(text[last:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


# Text whose word characters each fold into one [a-z0-9] character (ASCII and the Vietnamese and
# other Latin letters, whatever the punctuation and symbols around them) folds character by
# character: its folded copy has the same length and the same words in the same places, and is
# read by one regular expression instead of word by word (_hits, highlight).
def _simple_letters():
    letters = {}
    for code in [*range(0x30, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if re.match(r"[^\W_]", char):
            folded = strip_diacritics(char).lower()
            if len(folded) == 1 and re.match(r"[a-z0-9]", folded):
                letters[char] = folded
    return letters


_LETTERS = _simple_letters()
_FOLD_TABLE = str.maketrans({char: folded for char, folded in _LETTERS.items() if char != folded})
# A word character that is not one of those letters ("ﬁ", "ж", "Ⅻ"): such text goes word by word.
_OTHER_LETTER = re.compile("[^\\W_" + re.escape("".join(_LETTERS)) + "]")
_WORD_CHAR = re.compile(r"[^\W_]")


def _folded_copy(text):
    """`text` with every word character folded, the same length; None if some word character folds
    into more or fewer characters, or into one a folded word has not."""
    return None if _OTHER_LETTER.search(text) else text.translate(_FOLD_TABLE)


@functools.lru_cache(maxsize=512)
def _hits_pattern(words, prefix):
    """The whole words of folded text that match: any query word, or one starting with the last."""
    alternatives = [re.escape(word) for word in sorted(set(words), key=len, reverse=True)]
    if prefix:
        alternatives.append(re.escape(words[-1]) + r"[a-z0-9]*")
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _hits(text, query):
    """(position, query word, adjacent) of the words of `text` that match the query, within its
    first SNIPPET_SCAN_CHARS, as _hit_word tells them; `adjacent`: no word between this one and the
    one before. Text that folds character by character (nearly all) is read by one regular
    expression over its folded copy; other text word by word."""
    folded = _folded_copy(text[:SNIPPET_SCAN_CHARS])
    if folded is None:
        last_index = None
        for index, match in enumerate(_ORIGINAL_WORD.finditer(text, 0, SNIPPET_SCAN_CHARS)):
            word = _hit_word(match.group(), query)
            if word:
                yield match.start(), word, last_index == index - 1
                last_index = index
        return
    words, last_end = set(query.words), None
    for match in _hits_pattern(query.words, query.prefix).finditer(folded):
        found = match.group()
        adjacent = last_end is not None and not _WORD_CHAR.search(folded, last_end, match.start())
        yield match.start(), found if found in words else query.words[-1], adjacent
        last_end = match.end()


def _best_start(text, query, length):
    """Where the excerpt should start: the first place with the words side by side, else the
    place where most different query words come within one excerpt, else the beginning."""
    hits = []  # (position, query word)
    size, words = len(query.words), list(query.words)
    joined = 0  # how many of the last hits follow each other with no other word between
    for position, word, adjacent in _hits(text, query):
        hits.append((position, word))
        joined = joined + 1 if adjacent else 0
        # The first run of the words side by side ends here: no need to read further (a
        # document's text may be 60,000 characters, and a one-word query stops at its first hit).
        if joined >= size - 1 and len(hits) >= size and [hit[1] for hit in hits[-size:]] == words:
            return hits[-size][0]
    if not hits:
        return 0
    best, best_count = hits[0][0], 0
    reach = length * 2 // 3
    for n, (position, _) in enumerate(hits):
        found = set()
        for start, word in hits[n:]:
            if start - position > reach:
                break
            found.add(word)
        if len(found) > best_count:
            best, best_count = position, len(found)
        if best_count == len(set(query.words)):
            break
    return best


def snippet(text, words, length=240):
    """About `length` characters of `text` around where the words were found, escaped and highlighted."""
    text = nfc(text)
    query = _as_query(words)
    start = _best_start(text, query, length) if query.words else 0
    if len(text) <= length:
        return highlight(text, words)
    begin = max(0, start - length // 3)
    if begin:
        # Start on a word boundary.
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    body = highlight(text[begin:end], query)
    return mark_safe(("… " if begin else "") + body + (" …" if end < len(text) else ""))
