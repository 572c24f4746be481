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
