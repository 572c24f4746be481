from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Đánh giá bài viết"
    # A rating changes only the live block, which cached pages fill per request.
    page_cache_ignored = True

    def ready(self):
        from . import live

        live.register()
