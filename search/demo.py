"""Demo: content saved through the ORM indexes itself; this fills the index of a database that
had content before the search app was installed (idempotent: an index with rows is left alone)."""

from portal import units

from . import registry
from .models import SearchEntry


def seed(log):
    if SearchEntry.every_unit.exists():
        return
    with units.active(None):  # every unit's rows
        counts = registry.rebuild()
    log("Chỉ mục tìm kiếm: " + ", ".join(f"{kind} {count}" for kind, count in counts.items()))
