"""A new unit's one-stop settings (`portal.creating.create_unit`): its province's public-service portal."""

from .models import ServiceSettings


def setup_unit(unit):
    ServiceSettings.load()
