from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from . import staff
from .groups import PROVINCE_ADMINS, STAFF_GROUPS
from .models import SiteSettings, Unit, UnitMembership
from .sites import request_unit


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = (
        ("Đơn vị", {"fields": ("site_title", "unit_level", "unit_name", "emblem", "welcome_line")}),
        ("Chân trang", {"fields": ("agency", "address", "phone", "email", "responsible_person", "licence")}),
        ("Dữ liệu cá nhân", {"fields": ("personal_data_retention_months",)}),
        ("Giám sát EMC", {"classes": ("collapse",), "fields": ("emc_enabled", "emc_snippet")}),
    )

    def changelist_view(self, request, extra_context=None):
        # One row: open its form instead of a list of one.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:portal_sitesettings_change", SiteSettings.load().pk)

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class UnitMembershipForm(forms.ModelForm):
    class Meta:
        model = UnitMembership
        fields = ("user", "unit", "groups")
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        chosen = {group.name for group in cleaned.get("groups") or ()}
        if PROVINCE_ADMINS in chosen and unit is not None and unit.kind != Unit.Kind.PROVINCE:
            self.add_error("groups", f"Nhóm “{PROVINCE_ADMINS}” chỉ dành cho cán bộ của tỉnh.")
        return cleaned


def membership_choices(request, db_field, queryset):
    """Who and where: the admin's units (a province's: its communes too), the staff groups, and
    staff accounts that are not superusers. Only superusers make province administrators."""
    if queryset is None:
        queryset = db_field.remote_field.model._default_manager.all()
    if db_field.name == "unit":
        return queryset.filter(pk__in=staff.reach(UnitMembership, request_unit(request)))
    if db_field.name == "groups":
        names = [*STAFF_GROUPS, PROVINCE_ADMINS] if request.user.is_superuser else STAFF_GROUPS
        return queryset.filter(name__in=names)
    if db_field.name == "user":
        return get_user_model().objects.filter(is_staff=True, is_superuser=False, is_active=True)
    return queryset


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    """A unit's staff and their groups there; a province's administrators keep its communes' too."""

    form = UnitMembershipForm
    any_staff_fields = ("user",)
    list_display = ("user", "full_name", "unit", "group_names")
    list_filter = ("unit", "groups")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_field_queryset(self, db, db_field, request):
        return membership_choices(request, db_field, super().get_field_queryset(db, db_field, request))

    def get_list_filter(self, request):
        return [("unit", admin.RelatedOnlyFieldListFilter), ("groups", admin.RelatedOnlyFieldListFilter)]

    @admin.display(description="Họ tên", ordering="user__last_name")
    def full_name(self, membership):
        return membership.user.get_full_name()

    @admin.display(description="Nhóm")
    def group_names(self, membership):
        return ", ".join(group.name for group in membership.groups.all()) or "—"


class UnitMembershipInline(admin.TabularInline):
    """The units a user works in, on the user's page (superusers give any unit)."""

    model = UnitMembership
    form = UnitMembershipForm
    fields = ("unit", "groups")
    extra = 0
    verbose_name = "Đơn vị làm việc"
    verbose_name_plural = "Đơn vị làm việc và nhóm trong từng đơn vị"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "groups" and formfield is not None:
            names = [*STAFF_GROUPS, PROVINCE_ADMINS]
            formfield.queryset = formfield.queryset.filter(name__in=names)
        return formfield


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())

    @admin.register(get_user_model())
    class StaffUserAdmin(UserAdmin):
        """Django's user page, plus the units the user works in. "Nhóm" there gives rights on the
        shared lists only; a unit's work comes from the units below (portal.staff)."""

        inlines = (*UserAdmin.inlines, UnitMembershipInline)
