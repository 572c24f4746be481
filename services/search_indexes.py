from search.registry import SearchIndex, register

from .models import Procedure, ProcedureForm


@register
class ProcedureIndex(SearchIndex):
    model = Procedure
    kind = "procedure"
    label = "Thủ tục hành chính"
    related = {ProcedureForm: "procedure"}

    def get_queryset(self):
        return Procedure.objects.published().select_related("sector").prefetch_related("forms")

    def is_indexed(self, obj):
        return obj.is_published

    def title(self, obj):
        return obj.name

    def body(self, obj):
        return (
            f"Mã thủ tục: {obj.code}. Lĩnh vực: {obj.sector.name}. Mức độ: {obj.get_level_display()}. "
            f"Thời hạn giải quyết: {obj.processing_time}. Phí, lệ phí: {obj.fee}. "
            f"Thành phần hồ sơ: {' '.join(obj.requirement_list())} {obj.steps} "
            + " ".join(f"{form.title}: {form.text}" for form in obj.forms.all())
        )

    def code(self, obj):
        return obj.code

    def date(self, obj):
        return obj.updated_at
