from django.db import migrations

# PostgreSQL only. Every search reads the full-text vectors of many rows (the capped count scans
# until 1,001 hits, the newest hits are a walk that tests each row), and an article's row is wider
# than PostgreSQL keeps in one piece: it moved the largest values out of the row, the words'
# vector first, so every test of a row read the vector from the TOAST table (several pages). The
# vectors are now kept in the row (MAIN) and the body and the sapo, read only for the page shown,
# go out of it first (EXTERNAL). VACUUM FULL rewrites the table once so the stored rows follow
# (about 20 s and an exclusive lock for 100,000 entries, and room for a second copy meanwhile);
# the plain VACUUM after it marks the pages all-visible for the index below.
# The walk for the newest title hits reads only the date index with the title's vector in it.
FORWARD_SQL = [
    """
    ALTER TABLE search_searchentry
        ALTER COLUMN search_vector SET STORAGE MAIN,
        ALTER COLUMN title_vector SET STORAGE MAIN,
        ALTER COLUMN body SET STORAGE EXTERNAL,
        ALTER COLUMN lead SET STORAGE EXTERNAL
    """,
    "VACUUM FULL search_searchentry",
    """
    CREATE INDEX search_entry_title_walk_idx ON search_searchentry (unit_id, date DESC, id DESC)
        INCLUDE (visible_from, title_vector)
    """,
    "VACUUM ANALYZE search_searchentry",
]
BACKWARD_SQL = [
    "DROP INDEX IF EXISTS search_entry_title_walk_idx",
    """
    ALTER TABLE search_searchentry
        ALTER COLUMN search_vector SET STORAGE EXTENDED,
        ALTER COLUMN title_vector SET STORAGE EXTENDED,
        ALTER COLUMN body SET STORAGE EXTENDED,
        ALTER COLUMN lead SET STORAGE EXTENDED
    """,
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction

    dependencies = [("search", "0005_unit_indexes")]

    operations = [migrations.RunPython(_run(FORWARD_SQL), _run(BACKWARD_SQL), elidable=False)]
