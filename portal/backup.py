"""Backup and restore of one portal: the database, the media and the private media.

A backup folder holds `database.dump` (PostgreSQL, `pg_dump --format=custom`: one consistent
snapshot) or `database.sqlite3` (SQLite's online backup: consistent too), `media/`,
`private-media/` and `manifest.json`, written last: the SHA-256 and size of every file and the
number of rows of every table. A folder without a manifest is not a backup.

`restore` checks every checksum before it touches anything, refuses a database that has tables
(or media folders that have files) unless told to replace them, restores, then checks the row
counts and the restored files against the manifest. Pending visit and view counts in Redis are
written to the database before a backup; after a restore the cached pages and counter mirrors in
Redis belong to the old data and are deleted.

Messages are for the operator, in Vietnamese; `BackupError` carries them.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import timezone

from . import redis as shared_redis

MANIFEST = "manifest.json"
FORMAT = 1
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_roots():
    """{folder name in the backup: local folder}; media on object storage is not on this disk."""
    roots = {"private-media": Path(settings.PRIVATE_MEDIA_ROOT)}
    if not getattr(settings, "MEDIA_BUCKET", ""):
        roots["media"] = Path(settings.MEDIA_ROOT)
    return roots


def managed_tables():
    """The tables Django manages (and its migration record), each once, in a stable order."""
    tables = {"django_migrations"} | {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def row_counts(cursor, quote=connection.ops.quote_name, existing=None):
    """{table: rows} of every managed table that exists, read through `cursor` (any DB-API cursor)."""
    existing = set(connection.introspection.table_names(cursor) if existing is None else existing)
    counts = {}
    for table in managed_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def current_row_counts():
    with connection.cursor() as cursor:
        return row_counts(cursor)


def _pg_environment():
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db["NAME"]),
    ):
        if value:
            env[variable] = str(value)
    return env


def _run_pg(program, *args):
    if shutil.which(program) is None:
        raise BackupError(f"Không tìm thấy {program}: cài gói postgresql-client (apt-get install postgresql-client).")
    done = subprocess.run([program, *args], env=_pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{program} không thành công: {done.stderr.strip()[-2000:]}")


def _vendor():
    if connection.vendor not in DUMPS:
        raise BackupError(f"Không hỗ trợ cơ sở dữ liệu {connection.vendor}.")
    return connection.vendor


def _copy_tree(source, target):
    """Copy the files under `source` into `target`; returns their paths relative to `target`."""
    copied = []
    for folder, _, files in os.walk(source):
        for name in files:
            path = Path(folder) / name
            relative = path.relative_to(source)
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)
            copied.append(relative)
    return copied


def backup(folder, log=print):
    """Write a backup of this portal into `folder` (new or empty); returns the manifest."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"Thư mục {folder} đã có dữ liệu: hãy chọn một thư mục mới hoặc trống.")
    vendor = _vendor()
    if settings.REDIS_URL and "flush_counters" in get_commands():
        call_command("flush_counters", stdout=io.StringIO())  # what Redis still holds goes in the dump
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / DUMPS[vendor]
    if vendor == "postgresql":
        # pg_dump reads the snapshot of this transaction, in which the rows are counted too.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
            _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                    f"--file={dump}")  # fmt: skip
    else:
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)  # SQLite's online backup: one consistent copy
            tables = [row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            counts = row_counts(
                target.cursor(), quote=lambda name: '"' + name.replace('"', '""') + '"', existing=tables
            )
        finally:
            target.close()
    log(f"Đã sao lưu cơ sở dữ liệu ({sum(counts.values())} dòng trong {len(counts)} bảng).")
    files = {}
    for name, root in media_roots().items():
        copied = _copy_tree(root, folder / name) if root.is_dir() else []
        (folder / name).mkdir(exist_ok=True)
        log(f"Đã sao lưu {len(copied)} tệp của {name}.")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files[path.relative_to(folder).as_posix()] = {"sha256": sha256(path), "size": path.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created": timezone.localtime().isoformat(),
        "database": {"vendor": vendor, "file": dump.name},
        "media": sorted(media_roots()),
        "tables": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"Bản sao lưu ở {folder}: {len(files)} tệp, có tổng kiểm SHA-256 trong {MANIFEST}.")
    return manifest


def read_manifest(folder):
    """The backup's manifest, after checking every file it lists; BackupError if anything differs."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} không phải bản sao lưu: thiếu {MANIFEST}.") from None
    except ValueError:
        raise BackupError(f"{folder / MANIFEST} bị hỏng.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu có định dạng {manifest.get('format')} không đọc được.")
    wrong = []
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != expected["size"] or sha256(path) != expected["sha256"]:
            wrong.append(name)
    if wrong:
        shown = ", ".join(wrong[:5]) + (f" và {len(wrong) - 5} tệp khác" if len(wrong) > 5 else "")
        raise BackupError(f"Bản sao lưu không nguyên vẹn (tổng kiểm sai hoặc thiếu tệp): {shown}. Không khôi phục.")
    return manifest


def _has_files(root):
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _empty_folder(root):
    for child in root.iterdir() if root.is_dir() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _drop_tables():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def _forget_redis():
    """Cached pages and counter mirrors describe the data that was replaced: delete them."""
    urls = {shared_redis.url(shared_redis.CACHE), shared_redis.url(shared_redis.COUNTERS)} - {""}
    if not urls:
        cache.clear()  # this process's own memory
        return 0
    prefixes = {settings.LIVE_KEY_PREFIX, settings.CACHES["default"].get("KEY_PREFIX", "")}
    deleted = 0
    try:
        for url in sorted(urls):
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            for prefix in filter(None, prefixes):
                for key in client.scan_iter(match=f"{prefix}:*", count=1000):
                    deleted += client.delete(key)
    except redis.RedisError as error:
        raise BackupError(
            f"Đã khôi phục, nhưng không xóa được bộ nhớ đệm cũ trong Redis ({error}): hãy xóa các khóa "
            f"{', '.join(sorted(filter(None, prefixes)))}:* trước khi mở lại trang."
        ) from None
    return deleted


def restore(folder, replace=False, log=print):
    """Restore the backup in `folder` into this portal's database and media folders."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest['database']['vendor']}, cơ sở dữ liệu hiện tại là {vendor}: không khôi phục."
        )
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    busy_media = [name for name, root in media_roots().items() if _has_files(root)]
    if (tables or busy_media) and not replace:
        what = []
        if tables:
            what.append(f"cơ sở dữ liệu đã có {len(tables)} bảng")
        if busy_media:
            what.append("thư mục " + ", ".join(busy_media) + " đã có tệp")
        raise BackupError(f"Không khôi phục: {'; '.join(what)}. Dùng --replace để thay bằng bản sao lưu.")

    dump = folder / manifest["database"]["file"]
    if vendor == "postgresql":
        _drop_tables()
        connection.close()
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}", str(dump))  # fmt: skip
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    counts = current_row_counts()
    if counts != manifest["tables"]:
        differ = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"Số dòng sau khi khôi phục khác bản sao lưu ở các bảng: {', '.join(differ[:10])}.")
    log(f"Đã khôi phục cơ sở dữ liệu ({sum(counts.values())} dòng trong {len(counts)} bảng).")

    roots = media_roots()
    for name in manifest["media"]:
        if name not in roots:
            log(f"Bỏ qua {name}: tệp nằm trên kho lưu trữ đối tượng, không ở ổ đĩa này.")
            continue
        root = roots[name]
        root.mkdir(parents=True, exist_ok=True)
        _empty_folder(root)
        copied = _copy_tree(folder / name, root)
        for relative in copied:
            entry = manifest["files"][f"{name}/{relative.as_posix()}"]
            if sha256(root / relative) != entry["sha256"]:
                raise BackupError(f"Tệp {root / relative} chép ra khác bản sao lưu.")
        log(f"Đã khôi phục {len(copied)} tệp của {name}, tổng kiểm khớp.")
    deleted = _forget_redis()
    if deleted:
        log(f"Đã xóa {deleted} khóa cũ trong Redis (trang lưu đệm, bộ đếm).")
    return manifest
