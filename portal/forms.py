"""Form helpers shared by the public forms (feedback, lookups, search)."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape


class DescribedFieldsMixin:
    """Ties each input to its help text and its errors with aria-describedby.

    Pair with templates/includes/field.html, which gives those blocks the ids used here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = []
            if name in errors:
                ids.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                ids.append(f"{auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class PythonWidgets(DjangoTemplates):
    """Django's form renderer, with the plain `<input>` and `<select>` widgets written in Python.

    A new search renders its form's four fields on every request, and through the template engine
    (a template, an include for the attributes, one more per option) they were an eighth of the
    page's time. These write exactly what Django's own widget templates write (tests/test_widgets.py
    renders both and compares); any other widget, or a value they do not expect, goes to the templates.
    """

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        html = writer(context["widget"]) if writer is not None else None
        return html if html is not None else super().render(template_name, context, request)


def _text(value):
    """What `{{ value|stringformat:'s' }}` prints: str(value), escaped unless it is safe."""
    return conditional_escape(value if isinstance(value, str) else f"{value}")


def _attrs(attrs):
    """django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {conditional_escape(name)}")
        elif value is not False:
            written.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(written)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            return None  # option groups: the template (no public form has them)
        for option in options:
            label = option["label"]
            if option["template_name"] != "django/forms/widgets/select_option.html" or not isinstance(
                label, str | Promise
            ):
                return None  # a number as a label is localized by the template
            # The option's template ends with a line break, and the loop adds one and two spaces.
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{conditional_escape(label)}</option>\n'
            )
    parts.append("\n</select>")
    return "".join(parts)


_WRITERS = {
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/search.html": _input,
    "django/forms/widgets/date.html": _input,
    "django/forms/widgets/select.html": _select,
}

# One per process, for a form's `default_renderer`: each renderer builds its own template engine on
# first use (a form given the class would build one per form).
python_widgets = PythonWidgets()
