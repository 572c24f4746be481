from django.apps import apps
from django.core.management.base import BaseCommand

from portal.filetext import EXTRACTABLE_KINDS, FileText, extract_text


class Command(BaseCommand):
    help = (
        "Đọc chữ trong các tệp PDF, DOCX đã đính kèm (văn bản, biểu mẫu) để tìm kiếm được; "
        "mặc định chỉ các tệp chưa đọc, --all đọc lại tất cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Đọc lại cả các tệp đã có chữ.")

    def handle(self, *args, **options):
        # Every model that keeps its file's text (portal.filetext.FileText), whichever app owns it.
        for model in apps.get_models():
            if not issubclass(model, FileText):
                continue
            rows = model._default_manager.filter(kind__in=EXTRACTABLE_KINDS)
            if not options["all"]:
                rows = rows.filter(text="")
            read = missing = 0
            for row in rows.order_by("pk").iterator(chunk_size=100):
                try:
                    with row.file.open("rb") as upload:
                        text = extract_text(upload, row.kind)
                except OSError:
                    missing += 1
                    continue
                if text != row.text:
                    row.text = text
                    # A plain save: the search index of the row's document or procedure follows.
                    row.save(update_fields=["text"])
                    read += 1
            label = model._meta.verbose_name_plural
            self.stdout.write(f"{label}: đọc được chữ của {read} tệp; {missing} tệp không còn trong kho lưu trữ.")
        self.stdout.write(self.style.SUCCESS("Đã đọc xong."))
