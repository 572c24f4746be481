"""Search speed on PostgreSQL with a large news archive (default 100,000 articles).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kimson .venv/bin/python bench/search.py

Creates a scratch database beside the one DATABASE_URL names (its name + "_searchbench"),
migrates it, bulk-creates the articles, rebuilds the search index, then times a set of
queries: the search itself (count + one page of hits with highlighted snippets, as the
search page runs it) and the whole search page through Django's test client. Prints
p50/p95 per set and drops the scratch database at the end (--keep to keep it).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "Ủy ban nhân dân huyện Kim Sơn tổ chức hội nghị sơ kết công tác quốc phòng quân sự địa phương "
    "an ninh trật tự xây dựng nông thôn mới nâng cao đời sống nhân dân các xã thị trấn Phát Diệm "
    "Bình Minh Xuân Chính Chất Bình Hồi Ninh Kim Định Ân Hòa Như Hòa Lai Thành Định Hóa Văn Hải "
    "Kim Tân Kim Mỹ Cồn Thoi Kim Hải Kim Trung Kim Đông đồng chí chủ tịch phó bí thư huyện ủy "
    "thường trực hội đồng kế hoạch kinh tế xã hội năm tháng quý triển khai thực hiện nhiệm vụ "
    "giải pháp trọng tâm sản xuất nông nghiệp lúa mùa vụ đông xuân thủy sản nuôi trồng chăn nuôi "
    "phòng chống dịch bệnh gia súc gia cầm giáo dục đào tạo trường học học sinh giáo viên khai giảng "
    "y tế trạm bệnh viện khám chữa bệnh bảo hiểm văn hóa thể thao du lịch lễ hội nhà thờ đá "
    "giao thông đường bộ cầu cống đê điều thủy lợi kênh mương mưa bão lũ lụt tìm kiếm cứu nạn "
    "cải cách hành chính một cửa dịch vụ công trực tuyến hồ sơ thủ tục đất đai xây dựng môi trường "
    "thu gom rác thải vệ sinh an toàn thực phẩm người cao tuổi hộ nghèo cận nghèo chính sách "
    "thương binh liệt sĩ người có công tuyển quân thanh niên lên đường nhập ngũ diễn tập khu vực "
    "phòng thủ dân quân tự vệ công an kiểm tra giám sát tuyên truyền phổ biến giáo dục pháp luật "
    "đại hội đảng bộ chi bộ đảng viên mặt trận tổ quốc hội phụ nữ đoàn thanh niên cựu chiến binh "
    "nông dân khen thưởng thi đua điển hình tiên tiến hoàn thành vượt chỉ tiêu đề ra tăng trưởng "
    "doanh nghiệp đầu tư dự án khu công nghiệp làng nghề cói thủ công mỹ nghệ xuất khẩu lao động"
).split()
TYPOS = ["kim son", "quoc phong", "nong thon moi", "dinh hoa", "phat diem", "cai cach hanh chinh"]

QUERIES = [
    "kim son",
    "Kim Sơn",
    "quoc phong",
    "quốc phòng an ninh",
    "nong thon moi",
    "dinh hoa",
    "Định Hóa lúa mùa",
    "cai cach hanh chinh mot cua",
    "phat diem nha tho da",
    "tuyen quan thanh nien len duong nhap ngu",
    "khong co tu nay",
    "ubnd",
    "xuan chinh de dieu",
    "2024",
    "giáo dục",
    "d",
    "thon 1234",
    "thôn 77 xóm 12",
]


def scratch_url(url):
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_searchbench"
    return name, urlunsplit(parts._replace(path="/" + name)), urlunsplit(parts._replace(path="/postgres"))


def recreate_database(admin_url, name, drop_only=False):
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


# Zipf-like word frequencies: a few words in almost every article, a long tail of rarer ones.
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]


def sentence(rng, length):
    return " ".join(rng.choices(WORDS, weights=WEIGHTS, k=length))


def make_articles(count, rng):
    from django.utils import timezone

    from news.models import Article, Category

    categories = [Category.objects.create(name=f"Chuyên mục {n}") for n in range(1, 9)]
    now = timezone.now()
    batch = []
    for n in range(count):
        title = sentence(rng, rng.randint(7, 14)).capitalize()
        if rng.random() < 0.05:
            title += " " + rng.choice(["Kim Sơn", "quốc phòng", "Định Hóa", "Phát Diệm"])
        paragraphs = [f"<p>{sentence(rng, rng.randint(30, 60))}.</p>" for _ in range(rng.randint(3, 6))]
        paragraphs.append(f"<p>Thôn {rng.randint(1, 2000)}, xóm {rng.randint(1, 500)}.</p>")
        status = Article.Status.PUBLISHED if rng.random() < 0.95 else Article.Status.DRAFT
        batch.append(
            Article(
                title=title[:250],
                slug=f"bai-{n}",
                sapo=sentence(rng, 25) + ".",
                body="".join(paragraphs),
                category=categories[n % len(categories)],
                status=status,
                publish_at=now - timedelta(minutes=n * 7),
                author="Mai Hoa",
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(label, timings):
    p50 = statistics.median(timings) * 1000
    p95 = percentile(timings, 0.95) * 1000
    print(f"{label:<42} n={len(timings):<4} p50={p50:7.1f} ms  p95={p95:7.1f} ms  max={max(timings) * 1000:7.1f} ms")
    return p95


def run_core(words, page=1, **filters):
    from django.core.paginator import Paginator

    from search import registry
    from search.queries import SearchResults
    from search.views import PER_PAGE, Hit

    results = SearchResults(words, **filters)
    page = Paginator(results, PER_PAGE).get_page(page)
    labels = registry.labels()
    return [Hit(entry, words, labels) for entry in page.object_list], results.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each query")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept scratch database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://... (the benchmark uses a scratch database beside it).")
    name, bench_url, admin_url = scratch_url(url)
    if not args.reuse:
        recreate_database(admin_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimson_portal.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECRET_KEY", "search-benchmark-only")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=0 (no query log) without needing collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from search import registry
    from search.models import SearchEntry
    from search.text import parse_query

    try:
        call_command("migrate", verbosity=0)
        if not args.reuse:
            started = time.perf_counter()
            make_articles(args.articles, random.Random(2024))
            print(f"created {args.articles} articles in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            counts = registry.rebuild()
            print(f"rebuilt the index ({counts}) in {time.perf_counter() - started:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_searchentry")
        print(f"index rows: {SearchEntry.objects.count()}; load average before timing: {os.getloadavg()[0]:.1f}")

        cases = [(q, parse_query(q), {}) for q in QUERIES]
        cases += [
            ("kim son (loai=article)", parse_query("kim son"), {"kind": "article"}),
            ("quoc phong (last 30 days)", parse_query("quoc phong"), {"date_from": _days_ago(30)}),
            ("kim son (page 50)", parse_query("kim son"), {"page": 50}),
        ]
        core = []
        for label, words, filters in cases:
            run_core(words, **filters)  # warm-up
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                hits, total = run_core(words, **filters)
                timings.append(time.perf_counter() - started)
            core += timings
            report(f"{label} [{total} hits]", timings)
        print()
        core_p95 = report("search (count + page + snippets), all", core)

        client = Client()
        pages = []
        for query in QUERIES:
            client.get("/tim-kiem/", {"q": query})
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get("/tim-kiem/", {"q": query})
                pages.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
        page_p95 = report("whole search page (frame + template), all", pages)
        print(f"load average after timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"\nRESULT p95 search={core_p95:.1f} ms page={page_p95:.1f} ms (target < 100 ms)")
    finally:
        connection.close()
        if not args.keep:
            recreate_database(admin_url, name, drop_only=True)
            print(f"dropped scratch database {name}")


def _days_ago(days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


if __name__ == "__main__":
    main()
