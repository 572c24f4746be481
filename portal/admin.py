from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from . import account_forms, creating, merging, staff, units
from .groups import PROVINCE_ADMINS, STAFF_GROUPS, described
from .models import SiteSettings, Unit, UnitHost, UnitMembership
from .sites import request_unit
from .text import person_name


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].label_from_instance = described  # each group with its work

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        chosen = {group.name for group in cleaned.get("groups") or ()}
        if PROVINCE_ADMINS in chosen and unit is not None and unit.kind != Unit.Kind.PROVINCE:
            self.add_error("groups", f"Nhóm “{PROVINCE_ADMINS}” chỉ dành cho cán bộ của tỉnh.")
        return cleaned

    def _save_m2m(self):
        # Groups the form does not offer (a province administrator edits a membership a superuser
        # gave more) stay as they were: the checkboxes change only the groups they show. They stay
        # with the account in that unit: a membership moved to another unit or account takes only
        # the groups shown (a grant for Kim Đông does not become one for the province).
        kept = []
        moved = {"unit", "user"} & set(self.changed_data)
        if self.instance.pk and "groups" in self.fields and not moved:
            kept = list(self.instance.groups.exclude(pk__in=self.fields["groups"].queryset.values("pk")))
        super()._save_m2m()
        if kept:
            self.instance.groups.add(*kept)


def staff_group_names(user):
    """The groups `user` gives in a membership: the staff groups, and for superusers "Quản trị tỉnh"."""
    return [*STAFF_GROUPS, PROVINCE_ADMINS] if user.is_superuser else list(STAFF_GROUPS)


def membership_choices(request, db_field, queryset):
    """Who and where: the admin's units (a province's: its communes too), the staff groups, and the
    accounts the user may place (`staff.accounts_to_place`). Only superusers make province
    administrators."""
    if queryset is None:
        queryset = db_field.remote_field.model._default_manager.all()
    if db_field.name == "unit":
        return queryset.filter(pk__in=staff.reach(UnitMembership, request_unit(request)))
    if db_field.name == "groups":
        return queryset.filter(name__in=staff_group_names(request.user))
    if db_field.name == "user":
        return staff.accounts_to_place(request.user, request_unit(request))
    return queryset


def makes_province_administrators(request, membership):
    """Whether `membership` holds "Quản trị tỉnh" and the user is no superuser: then it is only shown."""
    return (
        membership is not None
        and not request.user.is_superuser
        and membership.groups.filter(name=PROVINCE_ADMINS).exists()
    )


class GroupsFilter(admin.RelatedOnlyFieldListFilter):
    """The groups the listed memberships hold, and those holding none (Django shows "-")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "Chưa có nhóm"


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    """A unit's staff and their groups there; a province's administrators keep its communes' too.
    Another administrator's membership is shown to them, not changed: only superusers make and
    unmake province administrators."""

    form = UnitMembershipForm
    fields = ("user", "unit", "groups")
    any_staff_fields = ("user",)
    list_display = ("user", "full_name", "unit", "group_names")
    list_filter = ("unit", "groups")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_field_queryset(self, db, db_field, request):
        return membership_choices(request, db_field, super().get_field_queryset(db, db_field, request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["help_text"] = (
                "Cán bộ của tỉnh và các xã, phường có tài khoản do bạn quản lý, hoặc tài khoản chưa làm việc "
                "ở đơn vị nào. Cán bộ chưa có tài khoản: bấm dấu + để tạo."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        return [("unit", admin.RelatedOnlyFieldListFilter), ("groups", GroupsFilter)]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one account's place in a unit: its account is shown, not changed (another
        # account would get its groups). Superusers may still correct it.
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None or request.user.is_superuser else (*readonly, "user")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not makes_province_administrators(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not makes_province_administrators(request, obj)

    def get_deleted_objects(self, objs, request):
        # "Delete selected" asks here for every chosen row: an administrator's membership among
        # them makes the deletion need a right the user lacks (refused, nothing deleted).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(makes_province_administrators(request, membership) for membership in objs):
            perms_needed = {*perms_needed, f"{self.opts.verbose_name} ({PROVINCE_ADMINS})"}
        return deleted, counts, perms_needed, protected

    @admin.display(description="Họ và tên", ordering="user__last_name")
    def full_name(self, membership):
        return person_name(membership.user)

    @admin.display(description="Nhóm")
    def group_names(self, membership):
        return ", ".join(group.name for group in membership.groups.all()) or "—"


class UnitMembershipFormSet(BaseInlineFormSet):
    default_error_messages = {
        **BaseInlineFormSet.default_error_messages,
        "too_few_forms": "Hãy chọn ít nhất một đơn vị làm việc cho tài khoản.",
    }

    def get_unique_error_message(self, unique_check):
        # Django names the field ("unit"); an account has one row per unit, named here.
        seen, twice = set(), []
        for form in self.forms:
            unit = getattr(form, "cleaned_data", {}).get("unit")
            if unit is not None and not self._should_delete_form(form):
                if unit in seen:
                    twice.append(str(unit))
                seen.add(unit)
        names = ", ".join(dict.fromkeys(twice)) or "một đơn vị"
        return f"Mỗi đơn vị chỉ có một dòng: {names} được chọn hai lần. Hãy gộp các nhóm vào một dòng."


class UnitMembershipInline(admin.StackedInline):
    """The units a user works in, on the user's page: superusers give any unit, a province's
    administrator the units they administer (`staff.administered_units`), whose rows alone the
    inline shows them; the user's other memberships stay as they are."""

    model = UnitMembership
    form = UnitMembershipForm
    formset = UnitMembershipFormSet
    fields = ("unit", "groups")
    extra = 0
    verbose_name = "Đơn vị làm việc"
    verbose_name_plural = "Đơn vị làm việc và nhóm trong từng đơn vị"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(unit_id__in=staff.administered_units(request.user, request_unit(request)))

    def get_formset(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            # An account a province's administrator makes works somewhere in the province.
            kwargs.update(min_num=1, validate_min=True)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if db_field.name == "groups":
            formfield.queryset = formfield.queryset.filter(name__in=staff_group_names(request.user))
        if db_field.name == "unit" and not request.user.is_superuser:
            formfield.queryset = formfield.queryset.filter(
                pk__in=staff.administered_units(request.user, request_unit(request))
            )
        return formfield


class ActiveFilter(admin.SimpleListFilter):
    title = "tình trạng"
    parameter_name = "is_active"

    def lookups(self, request, model_admin):
        return (("1", "Đang hoạt động"), ("0", "Đã tắt"))

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_active=self.value() == "1")
        return queryset


# Set on an account by superusers only: a POST naming one from anyone else is refused (403).
SUPERUSER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())

    @admin.register(get_user_model())
    class StaffUserAdmin(UserAdmin):
        """Django's user page, plus the units the user works in. "Nhóm" there gives rights on the
        shared lists only; a unit's work comes from the units below (portal.staff).

        A province's administrator ("Quản trị tỉnh": add, change and view users) makes accounts and
        edits those of the province's staff (`staff.accounts_administered`): name, e-mail,
        password, active, and memberships in the units they administer; never superuser, staff
        flag, own groups or rights. The staff flag follows the memberships."""

        inlines = (*UserAdmin.inlines, UnitMembershipInline)
        form = account_forms.AccountChangeForm
        add_form = account_forms.AccountCreationForm
        change_password_form = account_forms.AccountPasswordForm
        personal = (_("Personal info"), {"fields": ("last_name", "first_name", "email")})
        add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}), personal)
        fieldsets = (UserAdmin.fieldsets[0], personal, *UserAdmin.fieldsets[2:])
        administrator_fieldsets = (
            (None, {"fields": ("username", "password")}),
            personal,
            ("Trạng thái", {"fields": ("is_active",)}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )
        list_display = ("username", "full_name", "email", "is_staff", "unit_names")

        def get_queryset(self, request):
            queryset = super().get_queryset(request).prefetch_related("unit_memberships__unit")
            if request.user.is_superuser:
                return queryset
            reachable = staff.accounts_administered(request.user, request_unit(request))
            return queryset.filter(pk__in=reachable.values("pk"))

        def _administers(self, request):
            return request.user.is_superuser or bool(staff.administered_units(request.user, request_unit(request)))

        def has_view_permission(self, request, obj=None):
            return super().has_view_permission(request, obj) and self._administers(request)

        def has_add_permission(self, request):
            return super().has_add_permission(request) and self._administers(request)

        def has_change_permission(self, request, obj=None):
            return super().has_change_permission(request, obj) and self._administers(request)

        def has_delete_permission(self, request, obj=None):
            # Accounts of staff end by switching them off ("Đang hoạt động"): only superusers delete.
            return request.user.is_superuser and super().has_delete_permission(request, obj)

        def get_fieldsets(self, request, obj=None):
            if obj is None or request.user.is_superuser:
                return super().get_fieldsets(request, obj)
            return self.administrator_fieldsets

        def get_readonly_fields(self, request, obj=None):
            if obj is None or request.user.is_superuser:
                return super().get_readonly_fields(request, obj)
            return ("last_login", "date_joined")

        def get_list_filter(self, request):
            return super().get_list_filter(request) if request.user.is_superuser else (ActiveFilter,)

        def get_list_display(self, request):
            if request.user.is_superuser:
                return super().get_list_display(request)
            return ("username", "full_name", "email", "active", "unit_names")

        def formfield_for_dbfield(self, db_field, request, **kwargs):
            if db_field.name in account_forms.FIELD_TEXTS:
                kwargs["label"], kwargs["help_text"] = account_forms.FIELD_TEXTS[db_field.name]
            return super().formfield_for_dbfield(db_field, request, **kwargs)

        def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
            if request.method == "POST" and not request.user.is_superuser and set(SUPERUSER_FIELDS) & set(request.POST):
                raise PermissionDenied
            return super().changeform_view(request, object_id, form_url, extra_context)

        def get_urls(self):
            reset = self.admin_site.admin_view(self.reset_second_factor_view)
            name = f"{self.opts.app_label}_{self.opts.model_name}_reset_second_factor"
            return [path("<id>/xac-thuc-hai-buoc/", reset, name=name), *super().get_urls()]

        def change_view(self, request, object_id, form_url="", extra_context=None):
            user = self.get_object(request, unquote(object_id))
            if user is not None and self._may_reset_second_factor(request, user):
                if next(devices_for_user(user, confirmed=None), None) is not None:
                    name = f"admin:{self.opts.app_label}_{self.opts.model_name}_reset_second_factor"
                    extra_context = {**(extra_context or {}), "second_factor_reset_url": reverse(name, args=[user.pk])}
            return super().change_view(request, object_id, form_url, extra_context)

        def _may_reset_second_factor(self, request, user):
            # The account is one this admin edits (`get_queryset`: for a province's administrator the
            # province's staff, never a superuser, a peer or oneself); one's own app is changed on
            # one's own "Xác thực hai bước" page, superusers' too.
            return user.pk != request.user.pk and self.has_change_permission(request, user)

        def reset_second_factor_view(self, request, id):
            """Đặt lại xác thực hai bước: a lost phone. The account's authenticator devices (set up or
            half set up) are deleted after a confirmation; at the next login its owner sets up a new
            app, and a session signed in with the old one is asked again."""
            if not self.has_change_permission(request):
                raise PermissionDenied
            user = self.get_object(request, unquote(id))
            if user is None or not self._may_reset_second_factor(request, user):
                raise Http404
            devices = list(devices_for_user(user, confirmed=None))
            back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[user.pk])
            if request.method == "POST" and request.POST.get("post") == "yes":
                if not devices:
                    self.message_user(request, f"Tài khoản {user} chưa thiết lập xác thực hai bước.", messages.INFO)
                    return redirect(back)
                for device in devices:
                    device.delete()
                message = f"Đặt lại xác thực hai bước: xoá {len(devices)} thiết bị xác thực."
                self.log_change(request, user, message)
                self.message_user(
                    request,
                    f"Đã đặt lại xác thực hai bước của tài khoản {user}. Lần đăng nhập tới, người dùng "
                    "sẽ quét mã QR để thiết lập lại ứng dụng xác thực.",
                    messages.SUCCESS,
                )
                return redirect(back)
            context = {
                **self.admin_site.each_context(request),
                "title": "Đặt lại xác thực hai bước",
                "opts": self.opts,
                "original": user,
                "person": person_name(user),
                "devices": devices,
                "back": back,
            }
            return TemplateResponse(request, "admin/auth/user/reset_second_factor.html", context)

        def response_add(self, request, obj, post_url_continue=None):
            # Django's user admin goes on to the account's page after "Lưu lại", its add page having
            # asked for a name and password only; this one asks for everything, so it saves like
            # every other page (to the list; the other buttons as they say).
            return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

        def save_related(self, request, form, formsets, change):
            super().save_related(request, form, formsets, change)
            user = form.instance
            if not user.is_staff and UnitMembership.objects.filter(user=user).exists():  # not the prefetched rows
                user.is_staff = True
                user.save(update_fields=["is_staff"])

        @admin.display(description="Họ và tên", ordering="last_name")
        def full_name(self, user):
            return person_name(user)

        @admin.display(description="Đang hoạt động", boolean=True, ordering="is_active")
        def active(self, user):
            return user.is_active

        @admin.display(description="Đơn vị làm việc")
        def unit_names(self, user):
            return ", ".join(str(membership.unit) for membership in user.unit_memberships.all()) or "—"


# Content counted in the list of units, by app label and model name (a missing app is skipped).
COUNTED = (("news", "Article"), ("documents", "Document"), ("services", "Procedure"), ("feedback", "Feedback"))


class UnitHostInline(admin.TabularInline):
    model = UnitHost
    extra = 0


class UnitAddForm(forms.ModelForm):
    """Thêm đơn vị: the unit and its main host; `portal.creating.create_unit` does the rest."""

    host = forms.CharField(
        label="Tên miền chính", max_length=253, help_text="Không ghi http:// và cổng, ví dụ kimdong.ninhbinh.gov.vn."
    )
    code = forms.SlugField(
        label="Mã đơn vị", max_length=60, required=False, help_text="Để trống: tên không dấu, ví dụ kim-dong."
    )

    class Meta:
        model = Unit
        fields = ("name", "kind", "parent", "code")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            checked = creating.check_new_unit(
                data.get("name"), data.get("kind"), [data.get("host", "")], data.get("parent"), data.get("code")
            )
        except units.UnitError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
            return data
        data["name"], data["kind"], hosts, data["parent"], data["code"] = checked
        data["host"] = hosts[0]
        self.instance.code = data["code"]
        return data


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label="Sáp nhập vào đơn vị", queryset=Unit.objects.none())

    def __init__(self, *args, olds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Unit.objects.filter(merged_into=None).exclude(pk__in=[u.pk for u in olds])


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "host_names", "content", "merged_into")
    list_filter = ("kind", "parent")
    search_fields = ("name", "code", "hosts__name")
    fields = ("name", "kind", "parent", "code", "merged_into")
    readonly_fields = ("merged_into",)
    actions = ("merge_into",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("parent", "merged_into").prefetch_related("hosts")
        for app_label, model_name in COUNTED:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            rows = model.every_unit.filter(unit=OuterRef("pk")).order_by().values("unit")
            count = Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
            queryset = queryset.annotate(**{f"count_{model_name.lower()}": Coalesce(count, 0)})
        return queryset

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UnitAddForm
            kwargs["fields"] = ("name", "kind", "parent", "host", "code")
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name", "kind", "parent", "host", "code") if obj is None else self.fields

    def get_inlines(self, request, obj):
        return [UnitHostInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        unit = creating.create_unit(data["name"], data["kind"], [data["host"]], data["parent"], data["code"])
        # The admin goes on with the form's instance (its history entry, the page it redirects to).
        obj.pk, obj.code, obj._state.adding, obj._state.db = unit.pk, unit.code, False, unit._state.db

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        units.forget_hosts()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            extra_context = {**(extra_context or {}), "title": "Thêm đơn vị"}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False  # a unit's rows are protected; units end by merging

    @admin.display(description="Tên miền")
    def host_names(self, unit):
        return ", ".join(host.name for host in unit.hosts.all())

    @admin.display(description="Nội dung")
    def content(self, unit):
        parts = []
        for app_label, model_name in COUNTED:
            count = getattr(unit, f"count_{model_name.lower()}", None)
            if count is not None:
                label = apps.get_model(app_label, model_name)._meta.verbose_name_plural
                parts.append(f"{label} {count}")
        return " · ".join(parts)

    @admin.action(description="Sáp nhập vào đơn vị…", permissions=["change"])
    def merge_into(self, request, queryset):
        """Three steps: the units' content and a choice of target; what merging into that target
        will join, set aside and rename (`merging.plan_merge`, the merge's own planning), nothing
        moved yet; "Sáp nhập" merges into the target previewed."""
        olds = list(queryset.order_by("pk"))
        form = MergeForm(request.POST if "target" in request.POST else None, olds=olds)
        plan = None
        if "target" in request.POST and form.is_valid():
            target = form.cleaned_data["target"]
            try:
                # "Sáp nhập" names the target previewed: another one chosen on that page is previewed first.
                if request.POST.get("confirm") == str(target.pk):
                    report = merging.merge_units(olds, target)
                    self.message_user(request, report.summary(), messages.SUCCESS)
                    return None
                plan = merging.plan_merge(olds, target)
            except units.UnitError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Sáp nhập vào {plan.new}" if plan else "Sáp nhập đơn vị",
            "opts": self.model._meta,
            "olds": [(unit, merging.content_counts([unit.pk])) for unit in olds],
            "form": form,
            "plan": plan,
            "selected": [unit.pk for unit in olds],
            "action": "merge_into",
        }
        return TemplateResponse(request, "admin/portal/unit/merge.html", context)
