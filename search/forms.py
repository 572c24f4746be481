import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone

from portal import units
from portal.forms import python_widgets

from . import registry
from .text import MAX_QUERY_CHARS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Far enough for any archive; outside it date arithmetic would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2100


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    default_renderer = python_widgets  # every new search renders this form: widgets written in Python
    q = forms.CharField(label="Từ khóa", required=False, strip=True, widget=SearchInput)
    # A CharField, not a ChoiceField: an unknown type from an old link means "all types", not an error.
    loai = forms.CharField(label="Loại", required=False, widget=forms.Select)
    tu_ngay = forms.DateField(
        label="Từ ngày",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm, ví dụ 21/11/2024."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm, ví dụ 21/11/2024."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    WHOLE_PROVINCE = "toan-tinh"

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A province searches itself by default, or all its units, or one of them ("Tìm trong").
        self.children = units.children_of(unit.pk) if unit is not None else []
        self.unit = unit
        if self.children:
            choices = [("", str(unit)), (self.WHOLE_PROVINCE, f"Toàn {unit.get_kind_display().lower()}")]
            choices += [(child.code, str(child)) for child in self.children]
            self.fields["don_vi"] = forms.CharField(label="Tìm trong", required=False, widget=forms.Select)
            self.fields["don_vi"].widget.choices = choices
        self.fields["loai"].widget.choices = [("", "Tất cả"), *registry.labels().items()]
        # A stray NUL byte is dropped with the other non-letters, not refused (search.text.fold_words).
        self.fields["q"].validators = []
        self.fields["q"].widget.attrs["maxlength"] = MAX_QUERY_CHARS
        self.fields["q"].widget.attrs["data-suggest"] = reverse("search:suggestions")

    def full_clean(self):
        super().full_clean()
        # Tie each error to its field for screen readers (the template gives the list this id).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-describedby": f"id_{name}_error", "aria-invalid": "true"})

    def clean_loai(self):
        loai = self.cleaned_data["loai"]
        return loai if loai in registry.labels() else ""

    def clean_don_vi(self):
        # Like `loai`: an unknown unit from an old link means this unit, not an error.
        value = self.cleaned_data["don_vi"]
        known = {self.WHOLE_PROVINCE, *(child.code for child in self.children)}
        return value if value in known else ""

    def unit_ids(self):
        """The units searched: None for this one (the usual scoping), else their ids."""
        value = self.cleaned_data.get("don_vi", "")
        if value == self.WHOLE_PROVINCE:
            return [self.unit.pk, *(child.pk for child in self.children)]
        return [child.pk for child in self.children if child.code == value] or None

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if day and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(f"Ngày phải trong khoảng năm {MIN_YEAR} đến {MAX_YEAR}.")
        return day

    def clean_tu_ngay(self):
        return self._clean_day("tu_ngay")

    def clean_den_ngay(self):
        return self._clean_day("den_ngay")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "“Đến ngày” phải sau hoặc trùng “Từ ngày”.")
        return cleaned

    def date_range(self):
        """(from, to) as aware datetimes: from the start of `tu_ngay` to the end of `den_ngay`."""
        start, end = self.cleaned_data.get("tu_ngay"), self.cleaned_data.get("den_ngay")
        tz = timezone.get_current_timezone()
        begin = datetime.datetime.combine(start, datetime.time.min, tz) if start else None
        finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz) if end else None
        return begin, finish
