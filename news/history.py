"""What changed between two revisions of an article: the fields that differ, and the body word by word."""

import re
from difflib import SequenceMatcher
from html import unescape

from django.utils import timezone

from .models import Article, Category

# The fields an editor recognises, in the form's order, with how to show a stored value.
COMPARED = (
    "title",
    "slug",
    "category_id",
    "sapo",
    "body",
    "cover_image",
    "cover_caption",
    "status",
    "publish_at",
    "featured",
    "author",
    "source",
)
_BLOCK_END = re.compile(r"(?i)</(p|h[1-6]|li|figcaption|tr|blockquote)>|<br\s*/?>")
_TAG = re.compile(r"<[^>]+>")


def body_text(html):
    """The body as a reader reads it: one line per paragraph, heading, list item or caption."""
    text = unescape(_TAG.sub(" ", _BLOCK_END.sub("\n", html or "")))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def word_diff(old, new):
    """[(kind, text)] with kind "same", "del" or "ins", word by word; line breaks are kept as words."""
    a, b = re.findall(r"\n|[^\s]+", old), re.findall(r"\n|[^\s]+", new)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", a[i1:i2]))
        if op in ("delete", "replace"):
            parts.append(("del", a[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(("ins", b[j1:j2]))
    return [(kind, " ".join(words)) for kind, words in parts]


def _shown(name, value):
    if value in (None, ""):
        return "—"
    if name == "category_id":
        return str(Category.objects.filter(pk=value).first() or value)
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else value
    if name == "publish_at":
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def compare(old_version, new_version):
    """The changed fields between two versions: [{"label", "old", "new", "diff"}]; the body gets a word diff."""
    old, new = old_version.field_dict, new_version.field_dict
    changes = []
    for name in COMPARED:
        before, after = old.get(name), new.get(name)
        if name == "body":
            before, after = body_text(before), body_text(after)
        elif name == "cover_image":
            before, after = str(before or ""), str(after or "")
        if before == after:
            continue
        field = Article._meta.get_field(name.removesuffix("_id"))
        change = {"label": field.verbose_name, "old": _shown(name, before), "new": _shown(name, after)}
        if name in ("body", "sapo", "title"):
            change["diff"] = word_diff(str(before or ""), str(after or ""))
        changes.append(change)
    return changes
