from django import forms
from django.utils import timezone

from portal.forms import DescribedFieldsMixin
from portal.phones import normalize_phone, validate_phone

from . import privacy, spam
from .models import Feedback


def _required(label):
    return {"required": f"Vui lòng nhập {label}."}


class FeedbackForm(DescribedFieldsMixin, forms.ModelForm):
    phone = forms.CharField(
        label="Điện thoại",
        max_length=20,
        validators=[validate_phone],
        error_messages=_required("số điện thoại"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=privacy.CONSENT_TEXT,
        error_messages={"required": "Vui lòng đánh dấu đồng ý xử lý dữ liệu cá nhân để gửi góp ý."},
    )
    # Hidden from people by CSS; only bots fill it.
    website = forms.CharField(label="Để trống ô này", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Feedback
        fields = ("name", "address", "phone", "email", "title", "content", "attachment")
        error_messages = {
            "name": _required("họ và tên"),
            "address": _required("địa chỉ"),
            "title": _required("tiêu đề"),
            "content": _required("nội dung góp ý"),
            "email": {"invalid": "Địa chỉ thư điện tử không hợp lệ. Ví dụ: ten@gmail.com."},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "content": forms.Textarea(attrs={"rows": 8}),
            "attachment": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp"}),
        }
        help_texts = {
            "email": "Không bắt buộc. Nếu có, mã theo dõi sẽ được gửi vào thư điện tử này.",
            "attachment": "Không bắt buộc. Ảnh (JPEG, PNG, GIF, WebP) hoặc PDF, tối đa 5 MB.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].error_messages["max_length"] = (
            "Nội dung tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."
        )
        self.fields["title"].error_messages["max_length"] = (
            "Tiêu đề tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = spam.started_token()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def is_spam(self):
        """Honeypot filled or sent faster than a person could type; checked before anything is saved."""
        return bool(self.data.get("website")) or spam.too_fast(self.data.get("started"))

    def save(self, commit=True):
        self.instance.consent_at = timezone.now()
        self.instance.consent_version = privacy.POLICY_VERSION
        self.instance.consent_text = self.fields["consent"].label
        self.instance.form_nonce = spam.nonce(self.data.get("started"))
        return super().save(commit)


class LookupForm(DescribedFieldsMixin, forms.Form):
    code = forms.CharField(
        label="Mã theo dõi",
        max_length=20,
        error_messages=_required("mã theo dõi"),
        widget=forms.TextInput(attrs={"placeholder": "GY-2026-00042", "autocomplete": "off"}),
    )
    contact = forms.CharField(
        label="Số điện thoại hoặc thư điện tử đã khai",
        max_length=254,
        error_messages=_required("số điện thoại hoặc thư điện tử đã khai khi gửi"),
    )

    def find(self):
        """The matching feedback, or None; a wrong code and a wrong contact look the same."""
        code = self.cleaned_data["code"].strip().upper()
        contact = self.cleaned_data["contact"].strip()
        item = Feedback.objects.filter(code=code).first()
        if item is None:
            return None
        phone = normalize_phone(contact)
        if (phone and phone == item.phone) or (item.email and contact.lower() == item.email.lower()):
            return item
        return None
