"""Merging units, as the 2025 reform merged communes (docs/units.md "Merging units").

`merge_units(olds, new)` moves every row the old units own into the new one in one transaction:
every model with a `unit` field, found at run time, so an app's new model follows without a line
here. A slug the new unit already uses is given to the moved row with a number added, unless the
model says otherwise (`merge_same_slug`: categories of the same place become one, intro pages of the
same address are set aside). A model that adds up rather than moves (a day's visits, a carried-over total) says how with a classmethod
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
    joined: list = field(default_factory=list)  # (label, old unit, row, the row it joined, its address)
    kept: list = field(default_factory=list)  # (label, the new unit's address, old unit, set-aside address)

    def lines(self):
        names = ", ".join(str(unit) for unit in self.olds)
        yield f"Đã sáp nhập {names} vào {self.new}."
        for label, count in self.moved.items():
            yield f"  {label}: {count}"
        for label, old_unit, row, survivor, url in self.joined:
            yield f"  Gộp {label.lower()}: {row} của {old_unit} vào {survivor} ({url})"
        for label, url, old_unit, aside in self.kept:
            yield (
                f"  {label} {url}: giữ {label.lower()} của {self.new}; {label.lower()} của {old_unit}"
                f" chuyển sang {aside} (không hiện trên menu)"
            )
        for label, old, new in self.renamed:
            yield f"  Đổi đường dẫn ({label}): {old} → {new}"
        yield f"  Đường dẫn cũ chuyển hướng: {self.redirects}"

    def summary(self):
        parts = ", ".join(f"{label.lower()} {count}" for label, count in self.moved.items())
        names = ", ".join(str(unit) for unit in self.olds)
        text = f"Đã sáp nhập {names} vào {self.new}: {parts or 'không có nội dung'}"
        for label in dict.fromkeys(label for label, *_ in self.joined):
            rows = [survivor for each, _, _, survivor, _ in self.joined if each == label]
            text += (
                f"; gộp {len(rows)} {label.lower()} trùng tên vào {label.lower()} có sẵn"
                f" ({', '.join(dict.fromkeys(rows))})"
            )
        for label in dict.fromkeys(label for label, *_ in self.kept):
            count = sum(1 for each, *_ in self.kept if each == label)
            text += f"; {count} {label.lower()} trùng đường dẫn giữ riêng, không hiện trên menu"
        return f"{text}; {self.redirects} đường dẫn cũ chuyển hướng."


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
                plan = _plan(model, old_ids, new, report)
                paths += plan.paths
                count = _carry_out(model, plan, new)
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


def plan_merge(olds, new):
    """What `merge_units(olds, new)` would do, read without writing anything, for the confirmation
    page: a MergeReport whose `joined`, `kept` and `renamed` name the same rows the merge then joins,
    sets aside and renames (the same `_plan`), `moved` the rows moved (models that add up instead,
    such as visits, left out) and `redirects` the old addresses it would record."""
    olds = check_merge(olds, new)
    old_ids = [unit.pk for unit in olds]
    report = MergeReport(olds, new)
    with units.active(new):
        for model in unit_models():
            if getattr(model, "merge_units", None) is not None or _is_singleton(model):
                continue
            plan = _plan(model, old_ids, new, report)
            count = plan.rows.count() if plan.update_only else plan.count
            if count:
                report.moved[str(model._meta.verbose_name_plural)] = count
            report.redirects += len(plan.paths)
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
    """`value`, or `value-2`, `value-3`... whichever `taken` does not hold."""
    n = 2
    candidate = value
    while candidate in taken:
        suffix = f"-{n}"
        candidate = value[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def _parent_field(model):
    """A model's foreign key to itself (a category's parent), if any."""
    for model_field in model._meta.concrete_fields:
        if model_field.many_to_one and model_field.related_model is model:
            return model_field
    return None


def _parents_first(objs, parent):
    """`objs` with each row after its parent, in primary key order otherwise."""
    by_pk = {obj.pk: obj for obj in objs}

    def depth(obj):
        level, up = 0, getattr(obj, parent.attname)
        while up in by_pk and level < len(objs):
            level, up = level + 1, getattr(by_pk[up], parent.attname)
        return level

    return sorted(objs, key=depth)


@dataclass
class _ModelPlan:
    """What merging does to one model's rows, decided before anything is written (`_plan`)."""

    rows: models.QuerySet  # the old units' rows
    slug: str | None
    count: int = 0  # rows that move (joined ones do not)
    joined: dict = field(default_factory=dict)  # pk -> the pk of the new unit's row it becomes
    saved: list = field(default_factory=list)  # (row as it will be, fields to write after the move)
    paths: list = field(default_factory=list)  # (old unit id, old address, new address)
    update_only: bool = False  # no slug, no address: one UPDATE, nothing to decide


def _plan(model, old_ids, new, report):
    """How `model`'s rows of `old_ids` move into `new`, reading only: the rows joined, set aside and
    renamed (added to `report`'s lists), the moved rows as they will be, their old and new addresses.
    The merge carries it out (`_carry_out`); the confirmation page shows it (`plan_merge`)."""
    rows = _rows(model).filter(unit_id__in=old_ids)
    slug = _slug_field(model)
    has_url = hasattr(model, "get_absolute_url")
    plan = _ModelPlan(rows, slug)
    if slug is None and not has_url:
        plan.update_only = True
        return plan
    # What a moved row whose slug the new unit already uses becomes: "rename" (a number added),
    # "join" (the new unit's row of the same slug and parent takes its place and what points at
    # it), "keep" (the new unit's row keeps the address; the moved one is renamed and set aside).
    same = getattr(model, "merge_same_slug", "rename") if slug else "rename"
    parent = _parent_field(model) if same == "join" else None
    if same == "rename":
        taken = dict.fromkeys(_rows(model).filter(unit=new).values_list(slug, flat=True)) if slug else {}
        moving = rows.order_by("pk").iterator()
    else:
        fields = ["pk", slug, *([parent.attname] if parent else [])]
        taken = {
            row[1]: (row[0], row[2] if parent else None) for row in _rows(model).filter(unit=new).values_list(*fields)
        }
        moving = list(rows.order_by("pk"))
        if parent:
            moving = _parents_first(moving, parent)
    label = str(model._meta.verbose_name)
    old_units = {unit.pk: unit for unit in report.olds}
    joined, saved, paths = plan.joined, plan.saved, plan.paths
    here = {}  # pk -> a row moved in above, as it will be (its new slug not written yet)

    def row_of(pk):
        return here.get(pk) or model._base_manager.get(pk=pk)

    for obj in moving:
        old_unit, old_url = obj.unit_id, obj.get_absolute_url() if has_url else None
        if slug:
            value = getattr(obj, slug)
            up = None
            if parent:
                up = getattr(obj, parent.attname)
                up = joined.get(up, up)
            if value in taken and same == "join" and taken[value][1] == up:
                survivor = row_of(taken[value][0])
                joined[obj.pk] = survivor.pk
                report.joined.append((label, old_units[old_unit], str(obj), str(survivor), survivor.get_absolute_url()))
                paths.append((old_unit, old_url, survivor.get_absolute_url()))
                continue
            plan.count += 1
            max_length = model._meta.get_field(slug).max_length
            if value in taken and same == "keep":
                survivor = row_of(taken[value][0])
                fresh = _free(f"{value}-{old_units[old_unit].code}"[:max_length].rstrip("-"), taken, max_length)
                setattr(obj, slug, fresh)
                extra = obj.set_aside(old_units[old_unit])
                saved.append((obj, [slug, *extra]))
                report.kept.append((label, survivor.get_absolute_url(), old_units[old_unit], obj.get_absolute_url()))
                paths.append((old_unit, old_url, survivor.get_absolute_url()))
                taken[fresh] = (obj.pk, up)
                here[obj.pk] = obj
                continue
            if value in taken:
                fresh = _free(value, taken, max_length)
                report.renamed.append((label, value, fresh))
                setattr(obj, slug, fresh)
                saved.append((obj, [slug]))
                value = fresh
            taken[value] = (obj.pk, up)
            if same != "rename":
                here[obj.pk] = obj
        else:
            plan.count += 1
        if has_url:
            paths.append((old_unit, old_url, obj.get_absolute_url()))
    return plan


def _carry_out(model, plan, new):
    """Write `plan` (`_plan`): move the rows, save the renamed ones, join the joined ones."""
    if plan.update_only:
        return plan.rows.update(unit=new)
    plan.rows.exclude(pk__in=[*plan.joined, *(obj.pk for obj, _ in plan.saved)]).update(unit=new)
    for obj, changed in plan.saved:
        # Then saved, so the search index and the page cache learn the new address.
        model._base_manager.filter(pk=obj.pk).update(unit=new, **{plan.slug: getattr(obj, plan.slug)})
        obj.unit = new
        obj.save(update_fields=changed)
    if plan.joined:
        _join(model, plan.joined)
    return plan.count


def _join(model, joined):
    """Whatever points at a joined row (`joined`: its pk -> the pk of the row it became) points at
    that row instead; then the joined rows go."""
    for relation in model._meta.related_objects:
        if not relation.one_to_many:
            continue
        name = relation.field.attname
        relation.related_model._base_manager.filter(**{f"{name}__in": list(joined)}).update(
            **{
                name: models.Case(
                    *(models.When(**{name: old}, then=models.Value(survivor)) for old, survivor in joined.items())
                )
            }
        )
    for obj in model._base_manager.filter(pk__in=list(joined)):
        obj.delete()  # its own delete and signals: the menu it was in, its unit's cached pages


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
