"""What a new unit's news starts with (`portal.creating.create_unit`): the usual sections, empty."""

from django.core.cache import cache

from portal import units

from .models import MENU_CACHE_KEY, Category

DEFAULT_CATEGORIES = [
    "Chính trị",
    "Kinh tế",
    "Văn hóa - Xã hội",
    "Quốc phòng - An ninh",
    "Nông thôn mới",
    "Thông báo",
]


def setup_unit(unit):
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        if not Category.objects.filter(name=name, parent=None).exists():
            Category.objects.create(name=name, order=order)


def after_merge(olds, new):
    """The merged unit's menu now has the moved categories."""
    for unit in [*olds, new]:
        with units.active(unit):
            cache.delete(MENU_CACHE_KEY)
