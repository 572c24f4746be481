"""A unit's visit counter (portal.units.app_hooks): made with the unit; around a merge, the counts
still in Redis go to the old units' rows first (they then move with them), and afterwards the Redis
copies of the database figures are read again."""

from . import counters
from .models import VisitCounter


def setup_unit(unit):
    VisitCounter.load()


def before_merge(olds, new):
    counters.flush_pending()


def after_merge(olds, new):
    counters.forget_all()
