from django import forms

from portal.forms import DescribedFieldsMixin

from .models import Agency, Document, DocumentType, Sector


class DocumentFilterForm(DescribedFieldsMixin, forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, max_length=200, help_text="Số, ký hiệu hoặc trích yếu.")
    loai = forms.ModelChoiceField(
        label="Loại văn bản",
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Loại văn bản không có trong danh sách."},
    )
    co_quan = forms.ModelChoiceField(
        label="Cơ quan ban hành",
        queryset=Agency.objects.all(),
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Cơ quan ban hành không có trong danh sách."},
    )
    linh_vuc = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Sector.objects.all(),
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Lĩnh vực không có trong danh sách."},
    )
    nam = forms.TypedChoiceField(
        label="Năm ban hành",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Năm ban hành không có trong danh sách."},
    )

    tinh_trang = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), *Document.Status.choices],
        error_messages={"invalid_choice": "Tình trạng không có trong danh sách."},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", "Tất cả"), *((str(y), str(y)) for y in years)]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("loai"):
            queryset = queryset.filter(doc_type=data["loai"])
        if data.get("co_quan"):
            queryset = queryset.filter(agency=data["co_quan"])
        if data.get("linh_vuc"):
            queryset = queryset.filter(sector=data["linh_vuc"])
        if data.get("tinh_trang"):
            queryset = queryset.with_status(data["tinh_trang"])
        if data.get("nam"):
            queryset = queryset.filter(issued_on__year=data["nam"])
        return queryset
