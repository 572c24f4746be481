from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_migrate, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cấu hình cổng thông tin"

    def ready(self):
        from . import units
        from .pagecache import bump_version

        for model_name in ("Unit", "UnitHost"):
            model = self.get_model(model_name)
            post_save.connect(units.forget_hosts, sender=model, dispatch_uid=f"units-save-{model_name}")
            post_delete.connect(units.forget_hosts, sender=model, dispatch_uid=f"units-delete-{model_name}")

        post_save.connect(bump_version, dispatch_uid="pagecache-save")
        post_delete.connect(bump_version, dispatch_uid="pagecache-delete")

        from .permissions import name_default_permissions

        # Connected after django.contrib.auth's own receiver, so it renames what auth has just made.
        post_migrate.connect(name_default_permissions, dispatch_uid="vietnamese-permission-names")

        from .admin_vietnamese import axes_in_vietnamese, boolean_icons_in_vietnamese

        boolean_icons_in_vietnamese()
        axes_in_vietnamese(self.apps)


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the per-unit site (portal.sites), named in INSTALLED_APPS."""

    default = False
    default_site = "portal.sites.PortalAdminSite"
