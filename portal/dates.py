"""Dates the way the reference portal prints them: "Thứ năm, 21/11/2024"."""

from django.utils import timezone

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def long_date(value):
    """Weekday spelled out, then dd/mm/yyyy, in the portal's time zone."""
    if value is None:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


def short_date(value):
    """dd/mm/yyyy in the portal's time zone."""
    return iso_and_short_date(value)[1]


def iso_and_short_date(value, zone=None):
    """(ISO 8601 as Django's "c" format writes it, dd/mm/yyyy), in the portal's time zone, with one
    conversion: a list card prints both. `zone`: the current time zone, when the caller already
    has it (a list of cards looks it up once, not once a card)."""
    if value is None:
        return "", ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = value.astimezone(zone or timezone.get_current_timezone())
    return value.isoformat(), f"{value.day:02d}/{value.month:02d}/{value.year}"
