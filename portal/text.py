"""Vietnamese text helpers shared by every app."""

import unicodedata

from django.utils.text import slugify

# "đ" has no decomposition in Unicode, so NFKD alone would drop it.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text):
    """ "Đồng Hướng" -> "Dong Huong"; accepts composed or decomposed input."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_D_MAP))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_D_MAP)


def slugify_vi(text):
    """ASCII slug from a Vietnamese title: "Sơ kết cụm số 1" -> "so-ket-cum-so-1"."""
    return slugify(strip_diacritics(text))


def unique_slug(instance, text, field="slug", max_length=None):
    """A slug for `instance` that no other row of its model (of its unit, for a unit's rows) uses."""
    model = type(instance)
    max_length = max_length or model._meta.get_field(field).max_length
    base = slugify_vi(text)[:max_length].strip("-") or "bai-viet"
    candidate, n = base, 2
    others = model._base_manager.all()
    if getattr(instance, "unit_id", None) is not None:
        others = others.filter(unit_id=instance.unit_id)
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def mask_name(name):
    """Keep the family name and each initial: "Nguyễn Văn An" -> "Nguyễn V*** A**".

    A lone word keeps only its initial.
    """
    words = (name or "").split()
    masked = [w[:1] + "*" * len(w) for w in words]
    return " ".join(words[:1] + masked[1:]) if len(words) > 1 else "".join(masked)


def person_name(user):
    """A Vietnamese name as it is read, family and middle names (`last_name`) before the given
    name (`first_name`): "Nguyễn Thị Hoa", where Django's `get_full_name()` says "Hoa Nguyễn Thị"."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
