from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê truy cập"
    # Counting writes here on every new visit: cached pages do not depend on these rows.
    page_cache_ignored = True

    def ready(self):
        from django.db import transaction

        from . import counters, live
        from .models import counter_changed

        live.register()

        def forget_offset(unit_id, **kwargs):
            counters.forget(f"offset:{unit_id}")
            transaction.on_commit(lambda: counters.forget(f"offset:{unit_id}"))

        counter_changed.connect(forget_offset, dispatch_uid="stats-forget-offset", weak=False)

        from portal import units

        from .models import VisitCounter

        units.register_setup(lambda unit: VisitCounter.load())
        # Counts still in Redis go to the old units' rows first, then move with them; afterwards the
        # Redis copies of the database figures are read again.
        units.merging.connect(lambda **kwargs: counters.flush_pending(), dispatch_uid="stats-merging", weak=False)
        units.merged.connect(lambda **kwargs: counters.forget_all(), dispatch_uid="stats-merged", weak=False)
