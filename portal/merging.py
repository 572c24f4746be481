"""Merging units, as the 2025 reform merged communes (docs/units.md "Merging units").

`merge_units(olds, new)` moves every row the old units own into the new one in one transaction:
every model with a `unit` field, found at run time, so an app's new model follows without a line
here. A slug the new unit already uses is given to the moved row with a number added. A model
that adds up rather than moves (a day's visits, a carried-over total) says how with a classmethod
`merge_units(old_ids, new) -> rows`. Each moved object's address is recorded (`MovedPath`), so the
old units' hosts, which keep answering, send every old address to its new place (`units.moved`).
The old units' singletons (site settings, contact details) stay with them, unused.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from . import pagecache, units
from .models import MovedPath, Unit


@dataclass
class MergeReport:
    olds: list
    new: Unit
    moved: dict = field(default_factory=dict)  # verbose_name_plural -> rows
    redirects: int = 0
    renamed: list = field(default_factory=list)  # (label, old slug, new slug)

    def lines(self):
        names = ", ".join(str(unit) for unit in self.olds)
        yield f"Đã sáp nhập {names} vào {self.new}."
        for label, count in self.moved.items():
            yield f"  {label}: {count}"
        for label, old, new in self.renamed:
            yield f"  Đổi đường dẫn ({label}): {old} → {new}"
        yield f"  Đường dẫn cũ chuyển hướng: {self.redirects}"

    def summary(self):
        parts = ", ".join(f"{label.lower()} {count}" for label, count in self.moved.items())
        names = ", ".join(str(unit) for unit in self.olds)
        return f"Đã sáp nhập {names} vào {self.new}: {parts or 'không có nội dung'}; {self.redirects} đường dẫn cũ chuyển hướng."


def unit_models():
    """Every model with a `unit` field pointing at a unit, outside this app's own bookkeeping."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label == "portal":
            continue  # the units' own bookkeeping (hosts, moved addresses) and their site settings
        try:
            unit_field = model._meta.get_field("unit")
        except Exception:
            continue
        if unit_field.is_relation and unit_field.related_model is Unit:
            found.append(model)
    return found


def _is_singleton(model):
    return model._meta.get_field("unit").one_to_one


def _rows(model):
    return getattr(model, "every_unit", model._base_manager)


def content_counts(unit_ids):
    """{verbose_name_plural: rows} of what merging `unit_ids` would move, for the confirmation page."""
    counts = {}
    for model in unit_models():
        if _is_singleton(model):
            continue
        count = _rows(model).filter(unit_id__in=unit_ids).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    return counts


def check_merge(olds, new):
    olds = list(olds)
    if not olds:
        raise units.UnitError("Chọn ít nhất một đơn vị để sáp nhập.")
    if any(unit.pk == new.pk for unit in olds):
        raise units.UnitError(f"Không thể sáp nhập {new} vào chính nó.")
    if new.merged_into_id:
        raise units.UnitError(f"{new} đã được sáp nhập vào đơn vị khác.")
    merged = [unit for unit in olds if unit.merged_into_id]
    if merged:
        raise units.UnitError(f"{merged[0]} đã được sáp nhập trước đây.")
    return olds


def merge_units(olds, new):
    """Move the content of `olds` (units) into `new`; returns a MergeReport."""
    olds = check_merge(olds, new)
    old_ids = [unit.pk for unit in olds]
    for before in units.app_hooks("before_merge"):
        before(olds, new)
    report = MergeReport(olds, new)
    with transaction.atomic(), units.active(new):
        list(Unit.objects.select_for_update().filter(pk__in=[*old_ids, new.pk]))
        paths = []
        for model in unit_models():
            hook = getattr(model, "merge_units", None)
            if hook is not None:
                count = hook(old_ids, new)
            elif _is_singleton(model):
                continue
            else:
                count = _move(model, old_ids, new, paths, report)
            if count:
                report.moved[str(model._meta.verbose_name_plural)] = count
        _record(paths, old_ids, new)
        report.redirects = len(paths)
        for unit in olds:
            unit.merged_into = new
            unit.save(update_fields=["merged_into"])
    units.forget_hosts()
    for unit_id in [*old_ids, new.pk]:
        pagecache.new_version(unit_id)
    for after in units.app_hooks("after_merge"):
        after(olds, new)
    return report


def _slug_field(model):
    """The field a model keeps unique within a unit (its slug), if any."""
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and len(fields) == 2 and "unit" in fields:
            name = next(name for name in fields if name != "unit")
            if isinstance(model._meta.get_field(name), models.SlugField):
                return name
    return None


def _free(value, taken, max_length):
    n = 2
    candidate = value
    while candidate in taken:
        suffix = f"-{n}"
        candidate = value[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def _move(model, old_ids, new, paths, report):
    rows = _rows(model).filter(unit_id__in=old_ids)
    slug = _slug_field(model)
    has_url = hasattr(model, "get_absolute_url")
    if slug is None and not has_url:
        return rows.update(unit=new)
    taken = set(_rows(model).filter(unit=new).values_list(slug, flat=True)) if slug else set()
    renamed, count = [], 0
    for obj in rows.order_by("pk").iterator():
        count += 1
        old_unit, old_url = obj.unit_id, obj.get_absolute_url() if has_url else None
        if slug:
            value = getattr(obj, slug)
            if value in taken:
                fresh = _free(value, taken, model._meta.get_field(slug).max_length)
                report.renamed.append((str(model._meta.verbose_name), value, fresh))
                setattr(obj, slug, fresh)
                renamed.append(obj)
                value = fresh
            taken.add(value)
        if has_url:
            paths.append((old_unit, old_url, obj.get_absolute_url()))
    rows.exclude(pk__in=[obj.pk for obj in renamed]).update(unit=new)
    for obj in renamed:
        # Then saved, so the search index and the page cache learn the new address.
        model._base_manager.filter(pk=obj.pk).update(unit=new, **{slug: getattr(obj, slug)})
        obj.unit = new
        obj.save(update_fields=[slug])
    return count


def _record(paths, old_ids, new):
    """Old addresses -> new ones; units merged earlier into the old ones now point at the new unit."""
    for old_unit, old_url, new_url in paths:
        if old_url != new_url:
            MovedPath.objects.filter(unit__merged_into=old_unit, target=old_url).update(target=new_url)
    MovedPath.objects.bulk_create(
        [MovedPath(unit_id=old_unit, path=old_url, target=new_url) for old_unit, old_url, new_url in paths],
        batch_size=500,
    )
    for unit in Unit.objects.filter(merged_into_id__in=old_ids):
        unit.merged_into = new
        unit.save(update_fields=["merged_into"])
