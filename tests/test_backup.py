"""`manage.py backup DIR` and `manage.py restore DIR`: every row and every file comes back."""

import hashlib
import io
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from documents.models import DocumentFile
from feedback.models import Feedback
from news.models import Article
from portal.backup import managed_tables
from ratings.models import Rating, RatingSummary
from stats.models import DailyVisits
from tests.factories import image_upload, make_article, make_document, pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


@pytest.fixture
def portal(settings, tmp_path):
    """A small portal: articles with a cover and counts, a rating, visits, a document with its file
    and feedback with an attachment in the private media."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    article = make_article("Khánh thành cầu Kim Đông", body="<p>Cầu mới nối hai xã ven biển.</p>")
    article.cover_image.save("cau.jpg", image_upload(), save=True)
    Article.objects.filter(pk=article.pk).update(view_count=1234)
    make_article("Lễ hội đền Thượng", body="<p>Văn hóa.</p>")
    Rating.objects.create(article=article, visitor_id="a" * 32, score=4)
    RatingSummary.objects.create(article=article, score_sum=4, votes=1)
    DailyVisits.objects.create(day=timezone.localdate(), visits=321)
    document = make_document()
    DocumentFile.objects.create(document=document, file=pdf_upload("qd-125.pdf"), title="Quyết định 125")
    Feedback.objects.create(
        name="Nguyễn Văn An",
        address="Xóm 3, Kim Đông",
        phone="0912345678",
        title="Đèn đường hỏng",
        content="Đèn đường ở xóm 3 hỏng đã một tuần.",
        attachment=ContentFile(b"%PDF-1.4 anh chup", name="den.pdf"),
    )
    return article


def every_row():
    """{table: sorted rows} of every table Django manages."""
    rows = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in managed_tables():
            if table in existing:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def every_file(settings):
    found = {}
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found[str(path.relative_to(root.parent))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def drop_every_table():
    """What a fresh database server has: no tables at all."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE " + ", ".join(map(connection.ops.quote_name, tables)) + " CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def wipe_media(settings):
    import shutil

    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root, ignore_errors=True)


def test_round_trip_into_an_empty_database_brings_back_every_row_and_file(portal, settings, tmp_path):
    rows, files = every_row(), every_file(settings)
    assert any("private-media/" in name for name in files) and any("van-ban/" in name for name in files)
    said = run("backup", str(tmp_path / "bk"))
    assert "Đã sao lưu cơ sở dữ liệu" in said and "tổng kiểm SHA-256" in said
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["news_article"] == 2 and manifest["tables"]["feedback_feedback"] == 1

    drop_every_table()
    wipe_media(settings)
    said = run("restore", str(tmp_path / "bk"))
    assert "tổng kiểm khớp" in said
    assert every_row() == rows
    assert every_file(settings) == files
    # The portal works on what came back: pages, counts and search.
    article = Article.objects.get(pk=portal.pk)
    assert (article.view_count, RatingSummary.objects.get(article=article).votes) == (1234, 1)
    page = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert page.status_code == 200
    assert article.get_absolute_url() in Client().get("/tim-kiem/?q=cau kim dong").content.decode()


def test_restore_refuses_a_database_with_data_unless_told_to_replace_it(portal, settings, tmp_path):
    run("backup", str(tmp_path / "bk"))
    rows, files = every_row(), every_file(settings)
    make_article("Bài viết sau khi sao lưu")
    with pytest.raises(CommandError, match="--replace"):
        run("restore", str(tmp_path / "bk"))
    assert Article.objects.filter(title="Bài viết sau khi sao lưu").exists()

    (settings.MEDIA_ROOT / "la.txt").write_text("tệp lạ")
    Article.objects.filter(pk=portal.pk).update(view_count=1)
    run("restore", str(tmp_path / "bk"), "--replace")
    assert every_row() == rows
    assert every_file(settings) == files


def test_a_damaged_backup_is_refused_before_anything_changes(portal, settings, tmp_path):
    run("backup", str(tmp_path / "bk"))
    attachment = next((tmp_path / "bk" / "private-media").rglob("*.pdf"))
    attachment.write_bytes(attachment.read_bytes() + b"x")
    Article.objects.filter(pk=portal.pk).update(view_count=7)
    with pytest.raises(CommandError, match="không nguyên vẹn.*private-media/"):
        run("restore", str(tmp_path / "bk"), "--replace")
    assert Article.objects.get(pk=portal.pk).view_count == 7
    (tmp_path / "bk" / "manifest.json").unlink()
    with pytest.raises(CommandError, match="thiếu manifest.json"):
        run("restore", str(tmp_path / "bk"), "--replace")


def test_backup_wants_a_new_or_empty_folder(portal, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "cu.txt").write_text("bản cũ")
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        run("backup", str(tmp_path / "bk"))


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_views_still_pending_in_redis_are_in_the_backup(portal, settings, tmp_path, counter_store):
    """With Redis the last second of views is still in Redis: the backup writes it first."""
    settings.LIVE_FLUSH_MS = 60_000
    Client(HTTP_USER_AGENT=BROWSER).get(portal.get_absolute_url())
    Client(HTTP_USER_AGENT=BROWSER).get(portal.get_absolute_url())
    run("backup", str(tmp_path / "bk"))
    Article.objects.filter(pk=portal.pk).update(view_count=0)
    run("restore", str(tmp_path / "bk"), "--replace")
    assert Article.objects.get(pk=portal.pk).view_count == 1236


def test_every_managed_table_is_counted(portal, tmp_path):
    run("backup", str(tmp_path / "bk"))
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    models = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    assert models | {"django_migrations"} == set(manifest["tables"])
