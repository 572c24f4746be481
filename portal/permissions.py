"""Vietnamese names for Django's default permissions.

Django stores "Can add <model>" in English in the database, so no translation catalogue reaches
it; staff see those names when they give rights to a user or a group. After every migrate we
rename the default ones (again, if the Vietnamese wording changed) and leave other names alone.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation

ACTIONS = {"add": "thêm", "change": "thay đổi", "delete": "xóa", "view": "xem"}


def name_default_permissions(app_config, using="default", **kwargs):
    """post_migrate: "Can add Bài viết" becomes "Có thể thêm Bài viết" for every model of the app."""
    from django.contrib.auth.models import Permission

    models = {model._meta.model_name: model for model in app_config.get_models()}
    if not models:
        return
    permissions = (
        Permission.objects.using(using)
        .filter(content_type__app_label=app_config.label, content_type__model__in=models)
        .filter(Q(name__startswith="Can ") | Q(name__startswith="Có thể "))
    )
    renamed = []
    with translation.override(settings.LANGUAGE_CODE):
        for permission in permissions.select_related("content_type"):
            opts = models[permission.content_type.model]._meta
            action = permission.codename.removesuffix(f"_{opts.model_name}")
            if action not in ACTIONS:
                continue
            name = f"Có thể {ACTIONS[action]} {opts.verbose_name}"[:255]
            default = permission.name == f"Can {action} {opts.verbose_name_raw}"
            if name != permission.name and (default or permission.name.startswith(f"Có thể {ACTIONS[action]} ")):
                permission.name = name
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
