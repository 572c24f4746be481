from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Bình chọn"

    def ready(self):
        from portal import units

        from .setup import setup_unit

        units.register_setup(setup_unit)
