from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Tin tức"

    def ready(self):
        from portal import units
        from portal.pagecache import register_scheduled

        from . import counting, queries, setup

        units.register_setup(setup.setup_unit)
        units.merged.connect(setup.forget_menus, dispatch_uid="news-merged-menus")

        counting.register()
        register_scheduled(queries.next_scheduled_at)
