"""The second sign-in step: enrol an authenticator app (QR code and secret), or type its code."""

import django_otp
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import CodeForm
from .twofactor import check_code, confirmed_device, grouped_secret, needs_second_factor, pending_device, qr_data_uri


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if safe else reverse("admin:index")


@staff_member_required
def second_factor(request):
    """Staff who have an app type its code; staff who have none set one up and confirm it with a code."""
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = pending_device(request.user)
    if not enrolling and request.user.is_verified():
        context = {**admin.site.each_context(request), "title": "Xác thực hai bước", "device": device}
        return render(request, "accounts/second_factor_on.html", context)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        error = check_code(device, form.data.get("otp_token")) if form.is_valid() else None
        if form.is_valid() and error is None:
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
            django_otp.login(request, device)
            return redirect(_next_url(request))
        if error:
            form.add_error("otp_token", error)
        status = 400
    context = {
        **admin.site.each_context(request),
        "title": "Thiết lập xác thực hai bước" if enrolling else "Xác thực hai bước",
        "form": form,
        "enrolling": enrolling,
        "required": needs_second_factor(request.user),
        "next": _next_url(request),
    }
    if enrolling:
        context.update(qr_code=qr_data_uri(device), secret=grouped_secret(device))
    return render(request, "accounts/second_factor.html", context, status=status)
