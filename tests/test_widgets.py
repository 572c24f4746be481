"""portal.forms.PythonWidgets writes what Django's own widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.forms import PythonWidgets
from search.forms import SearchForm
from tests.factories import first_unit, make_unit

TRICKY = ['say "xin chào" <b>&</b>', "it's", "  spaces  ", "", "Đồng Hới"]


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"maxlength": 200, "data-x": 'a"b<c>', "required": True}))
    search = forms.CharField(widget=forms.TextInput(attrs={"disabled": False, "placeholder": "Tìm…"}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    number = forms.IntegerField()
    email = forms.EmailField()
    kind = forms.ChoiceField(
        choices=[("", "Tất cả"), ("a&b", 'Tin "bài" <i>'), (3, gettext_lazy("Văn bản")), ("x", mark_safe("<b>đậm</b>"))]
    )
    many = forms.MultipleChoiceField(choices=[("1", "một"), ("2", "hai")])
    numbered = forms.ChoiceField(choices=[(1, 1000), (2, 2000)])
    grouped = forms.ChoiceField(choices=[("Nhóm", [("g1", "một")]), ("g2", "hai")])
    note = forms.CharField(widget=forms.Textarea)
    agree = forms.BooleanField()


def _both(form):
    """(Django's HTML, PythonWidgets' HTML) of every field of `form`."""
    django, python = DjangoTemplates(), PythonWidgets()
    written = []
    for renderer in (django, python):
        form.renderer = renderer
        written.append([str(field) for field in form])
    return written


@pytest.mark.parametrize("value", TRICKY)
def test_every_widget_is_written_as_the_templates_write_it(value):
    data = {
        "text": value,
        "search": value,
        "day": value or "2024-02-29",
        "number": value,
        "email": value,
        "kind": "a&b",
        "many": ["1", "2"],
        "numbered": "2",
        "grouped": "g1",
        "note": value,
        "agree": "on",
    }
    django, python = _both(Everything(data))
    assert python == django
    assert any("<option" in html for html in python)


def test_unbound_forms_and_initial_values_match_too():
    django, python = _both(Everything(initial={"day": datetime.date(2024, 11, 21), "number": 12345, "kind": 3}))
    assert python == django
    assert 'value="2024-11-21"' in python[2]


@pytest.mark.django_db
def test_the_search_form_is_written_as_before_bound_unbound_and_with_errors():
    province = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    make_unit("Kim Đông", "kimdong.localhost", parent=province)
    cases = [
        None,
        {"q": 'kim sơn "<script>"', "loai": "article", "tu_ngay": "2024-01-01", "den_ngay": "31/12/2024"},
        {"q": "kim", "tu_ngay": "xx"},
        {"q": "", "loai": "không có", "don_vi": "kim-dong"},
    ]
    for unit in (first_unit(), province):
        for data in cases:
            form = SearchForm(data, unit=unit)
            if data is not None:
                form.is_valid()
            django, python = _both(form)
            assert python == django, data
    assert any('name="don_vi"' in html for html in python)


def test_a_widget_it_does_not_write_is_left_to_the_template(monkeypatch):
    calls = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, context, request=None: calls.append(name) or "")
    form = Everything()
    form.renderer = PythonWidgets()
    str(form["note"]), str(form["numbered"]), str(form["grouped"]), str(form["text"])
    assert calls == [
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/select.html",
        "django/forms/widgets/select.html",
    ]
