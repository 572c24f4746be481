from django import forms

from portal.forms import DescribedFieldsMixin


class DossierLookupForm(DescribedFieldsMixin, forms.Form):
    ma = forms.CharField(
        label="Mã biên nhận hồ sơ",
        max_length=40,
        help_text="Mã in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        error_messages={"required": "Vui lòng nhập mã biên nhận hồ sơ."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "000.00.25.H42-261120-0001"}),
    )
