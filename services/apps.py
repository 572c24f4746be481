from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "Một cửa điện tử"

    def ready(self):
        from portal import units

        from .setup import setup_unit

        units.register_setup(setup_unit)
