"""Article views are stored on the article (`view_count`); the stats app counts them through this store."""

from django.db import connection

from stats import figures

from .models import Article


def _table():
    return connection.ops.quote_name(Article._meta.db_table)


def add_views(views):
    """Add {article id: n} to the articles' view counts in one statement (rows locked in id order)."""
    rows = sorted(views.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counted (id, n) AS (VALUES {', '.join(['(%s, %s)'] * len(rows))}) "
            f"UPDATE {_table()} SET view_count = view_count + counted.n FROM counted WHERE {_table()}.id = counted.id",
            [value for row in rows for value in row],
        )


def views_query(article_id):
    return f"(SELECT view_count FROM {_table()} WHERE id = %s)", [article_id]


def register():
    figures.register_view_store(add_views, views_query, column="view_count")
