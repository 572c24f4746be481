"""Vietnamese text folding for search: the same rules for the index, the query and the highlighter.

"Kim Sơn", "KIM SON", "kim son" and the decomposed (NFD) "Kim Sơn" pasted from an office document
all fold to the words ["kim", "son"]; "đ" folds to "d".
"""

import html
import re
import unicodedata

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from portal.text import strip_diacritics

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
# How far into a body the snippet looks for a hit; past it the snippet shows the beginning,
# so a long body matched only by its title costs little.
SNIPPET_SCAN_CHARS = 10_000
_WORD = re.compile(r"[a-z0-9]+")
_ORIGINAL_WORD = re.compile(r"\w+")
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


def query_words(query):
    """The distinct words of a reader's query, capped so a pasted essay stays cheap."""
    words = []
    for word in fold_words((query or "")[:MAX_QUERY_CHARS]):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def html_to_text(value):
    """Plain text of editor HTML, for indexing: tags dropped, entities decoded, spaces collapsed."""
    text = strip_tags(re.sub(r"<(br|/p|/h\d|/li|/td|/tr|/figcaption)\b", r" \g<0>", value or ""))
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _is_hit(word, words):
    return any(part in words for part in fold_words(word))


def highlight(text, words):
    """`text` escaped, with each word that folds to one of `words` wrapped in <mark>."""
    pieces, last = [], 0
    for match in _ORIGINAL_WORD.finditer(text):
        if _is_hit(match.group(), words):
            pieces.append(escape(text[last : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


def snippet(text, words, length=240):
    """About `length` characters of `text` around its first hit, escaped and highlighted."""
    text = nfc(text)
    start = 0
    for match in _ORIGINAL_WORD.finditer(text, 0, SNIPPET_SCAN_CHARS):
        if _is_hit(match.group(), words):
            start = match.start()
            break
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
    body = highlight(text[begin:end], words)
    return mark_safe(("… " if begin else "") + body + (" …" if end < len(text) else ""))
