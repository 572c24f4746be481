from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Giới thiệu và liên hệ"

    def ready(self):
        from portal import units

        from .setup import setup_unit

        units.register_setup(setup_unit)
