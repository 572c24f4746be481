import re

from django import forms

FOREIGN_CHOICE = "Phương án đã chọn không thuộc câu hỏi này. Vui lòng chọn lại."
LARGEST_ID = 2**63 - 1


class ChoicesField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Ids the database cannot even hold would fail in the query, not in validation.
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,19}", str(pk)) or int(pk) > LARGEST_ID:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)


class VoteForm(forms.Form):
    """The chosen options of one poll; the poll's kind decides how many may be chosen."""

    choice = ChoicesField(
        queryset=None,
        error_messages={
            "invalid_choice": FOREIGN_CHOICE,
            "invalid_pk_value": FOREIGN_CHOICE,
            "invalid_list": FOREIGN_CHOICE,
        },
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        field = self.fields["choice"]
        field.queryset = poll.choices.all()
        field.error_messages["required"] = (
            "Vui lòng chọn ít nhất một phương án." if poll.is_multiple else "Vui lòng chọn một phương án."
        )

    def clean_choice(self):
        chosen = self.cleaned_data["choice"]
        if not self.poll.is_multiple and len(chosen) > 1:
            raise forms.ValidationError("Câu hỏi này chỉ được chọn một phương án.")
        return list(chosen)
