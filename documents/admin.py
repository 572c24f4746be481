from django.contrib import admin
from django.utils.html import format_html

from .models import Agency, Document, DocumentFile, DocumentType, Sector


@admin.register(DocumentType, Agency, Sector)
class LookupAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    fields = ("file", "title", "order", "download_count", "text_found")
    readonly_fields = ("download_count", "text_found")
    extra = 1


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "doc_type", "agency", "issued_on", "status_label", "is_published")
    list_filter = ("is_published", "doc_type", "agency", "sector", "issued_on")
    search_fields = ("number", "summary", "signer_name")
    date_hierarchy = "issued_on"
    list_select_related = ("doc_type", "agency")
    autocomplete_fields = ("replaces", "amends")
    inlines = (DocumentFileInline,)
    fieldsets = (
        (None, {"fields": ("number", "doc_type", "agency", "sector", "summary")}),
        ("Hiệu lực", {"fields": ("issued_on", "effective_from", "effective_until")}),
        ("Người ký", {"fields": ("signer_name", "signer_title")}),
        ("Liên quan", {"fields": ("replaces", "amends")}),
        ("Công khai", {"fields": ("is_published", "publish_at")}),
    )

    @admin.display(description="Tình trạng")
    def status_label(self, obj):
        return format_html("{}", obj.status.label)
