"""Attachments stored with the citizen's own extension get the one of the type their bytes show."""

import posixpath

from django.db import migrations


def rename_by_content(apps, schema_editor):
    from portal.files import KINDS, sniff
    from portal.storage import PrivateStorage

    Feedback = apps.get_model("feedback", "Feedback")
    storage = PrivateStorage()
    for item in Feedback.objects.exclude(attachment="").only("attachment"):
        old = item.attachment.name
        try:
            with storage.open(old, "rb") as handle:
                stem, extension = posixpath.splitext(old)
                kind = sniff(handle)
                wanted = KINDS[kind][1] if kind else ".bin"
                if extension == wanted:
                    continue
                new = storage.save(stem + wanted, handle)
        except FileNotFoundError:
            continue  # already gone from storage: nothing to rename
        Feedback.objects.filter(pk=item.pk).update(attachment=new)
        storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_public_text_written_by_staff"),
    ]

    operations = [migrations.RunPython(rename_by_content, migrations.RunPython.noop)]
