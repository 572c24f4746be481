from django.db import migrations, models

# Folding done by the database for its full-text index: "đ" -> "d" first (translate, so it does
# not depend on the unaccent rules of the installed version), then unaccent, lower case, and
# anything but ASCII letters and digits becomes a space: the same words search.text.fold_words makes.
# unaccent() is only STABLE; the wrapper is declared IMMUTABLE (it names its dictionary explicitly)
# so a generated column and an index may use it.
FORWARD_SQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT regexp_replace(
            lower(public.unaccent('public.unaccent'::regdictionary, translate($1, 'đĐ', 'dD'))),
            '[^a-z0-9]+', ' ', 'g')
    $$
    """,
    # Words only (strip: no positions, no weights): small enough to stay in the row, so checking a
    # row costs no TOAST read. Ranking ("is every word in the title?") reads title_vector.
    """
    ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        strip(to_tsvector('simple'::regconfig, search_fold(title || ' ' || body)))
    ) STORED
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        strip(to_tsvector('simple'::regconfig, search_fold(title)))
    ) STORED
    """,
    "CREATE INDEX search_entry_vector_idx ON search_searchentry USING gin (search_vector)",
    "CREATE INDEX search_entry_title_vector_idx ON search_searchentry USING gin (title_vector)",
]
BACKWARD_SQL = [
    "DROP INDEX IF EXISTS search_entry_title_vector_idx",
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS search_fold(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30, verbose_name="Loại")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="Mã đối tượng")),
                ("title", models.CharField(max_length=500, verbose_name="Tiêu đề")),
                ("body", models.TextField(blank=True, verbose_name="Nội dung")),
                ("title_norm", models.TextField(blank=True, editable=False, verbose_name="Tiêu đề không dấu")),
                ("body_norm", models.TextField(blank=True, editable=False, verbose_name="Nội dung không dấu")),
                ("date", models.DateTimeField(verbose_name="Ngày")),
                (
                    "visible_from",
                    models.DateTimeField(
                        help_text="Hẹn giờ: mục chỉ hiện trong kết quả từ thời điểm này.", verbose_name="Hiện từ"
                    ),
                ),
                ("url", models.CharField(max_length=500, verbose_name="Địa chỉ")),
            ],
            options={
                "verbose_name": "Mục tìm kiếm",
                "verbose_name_plural": "Chỉ mục tìm kiếm",
                "ordering": ("-date", "-id"),
                "indexes": [
                    models.Index(fields=["kind", "-date"], name="search_entry_kind_date_idx"),
                    models.Index(fields=["-date", "-id"], name="search_entry_date_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_unique_object")
                ],
            },
        ),
        migrations.RunPython(_run(FORWARD_SQL), _run(BACKWARD_SQL), elidable=False),
    ]
