from django import forms

from portal.forms import DescribedFieldsMixin


class DossierLookupForm(DescribedFieldsMixin, forms.Form):
    ma = forms.CharField(
        label="Mã biên nhận hồ sơ",
        max_length=40,
        help_text="Mã in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        error_messages={"required": "Vui lòng nhập mã biên nhận hồ sơ."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "000.00.25.H42-261120-K7QM4X"}),
    )
    so_cuoi = forms.RegexField(
        label="4 số cuối điện thoại người nộp",
        regex=r"^\d{4}$",
        help_text="Số điện thoại đã khai khi nộp hồ sơ.",
        error_messages={
            "required": "Vui lòng nhập 4 số cuối điện thoại của người nộp hồ sơ.",
            "invalid": "Vui lòng nhập đúng 4 chữ số cuối của số điện thoại, ví dụ 5678.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "size": 4, "maxlength": 4}),
    )
