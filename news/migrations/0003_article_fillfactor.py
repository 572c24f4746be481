from django.db import migrations


def set_fillfactor(apps, schema_editor):
    # Every view rewrites its article's row. Room left on each page lets PostgreSQL update the
    # row in place (a HOT update) instead of touching every index of the table.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE news_article SET (fillfactor = 80)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE news_article RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("news", "0002_editor_groups")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
