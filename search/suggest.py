"""What the search page offers besides its hits: a correction when nothing is found, titles as one types.

A correction replaces each word that no indexed text contains by a known word one edit away
(a letter dropped, added, changed or two swapped: "sonn", "phnog"); it is offered only when the
corrected query finds something. Folding needs no correction of its own: every query is already
matched without diacritics, so a query with wrong tone marks finds what its plain letters find.
"""

import re

from .models import SearchTerm
from .queries import SearchResults
from .text import MAX_QUERY_CHARS, fold_words

# The query as words and what lies between them, so a correction keeps the rest as typed.
_TOKENS = re.compile(r"[^\W_]+|[\W_]+")

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# Words this short have too many neighbours to guess from; at most this many words are corrected.
MIN_CORRECTED_CHARS = 3
MAX_CORRECTED_WORDS = 2
MAX_SUGGESTIONS = 8


def edits(word):
    """Every word one edit away from `word`, likeliest kinds of typo first, without repeats."""
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    found = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    found += [a + b[1:] for a, b in splits if b]
    found += [a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]]
    found += [a + c + b for a, b in splits for c in ALPHABET]
    return [w for w in dict.fromkeys(found) if w and w != word]


def correction(text, query, **filters):
    """`text` corrected, for a query that found nothing; None when no known variant finds anything."""
    known = set(SearchTerm.objects.filter(word__in=set(query.words)).values_list("word", flat=True))
    unknown = [w for w in dict.fromkeys(query.words) if w not in known and not w.isdigit()]
    unknown = [w for w in unknown if len(w) >= MIN_CORRECTED_CHARS][:MAX_CORRECTED_WORDS]
    if not unknown:
        return None
    candidates = {word: edits(word) for word in unknown}
    wanted = {c for options in candidates.values() for c in options}
    found = set(SearchTerm.objects.filter(word__in=wanted).values_list("word", flat=True))
    replace = {}
    for word, options in candidates.items():
        best = next((option for option in options if option in found), None)
        if best:
            replace[word] = best
    if not replace:
        return None
    corrected = "".join(_corrected(token, replace) for token in _TOKENS.findall(text[:MAX_QUERY_CHARS]))
    return corrected if SearchResults(corrected, **filters).count() else None


def _corrected(token, replace):
    folded = fold_words(token)
    return replace[folded[0]] if len(folded) == 1 and folded[0] in replace else token


def title_suggestions(query, unit_ids=None):
    """Up to MAX_SUGGESTIONS title hits of what has been typed so far, best first: in the unit being
    served, or in `unit_ids` (a province's choice of units, as `SearchForm.unit_ids` gives it)."""
    if sum(len(w) for w in query.words) < 2:
        return []
    return SearchResults(query, unit_ids=unit_ids).best_titles(MAX_SUGGESTIONS)
