"""Fills the benchmark database with a large, realistic-looking dataset using bulk_create.

Run by bench/run (DATABASE_URL points at the scratch database). Each model has one generator
registered with @generates; a generator runs when its app is installed and its table holds fewer
rows than asked. Adding a model is one more decorated function.
"""

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimson_portal.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.text import slugify_vi  # noqa: E402

BATCH = 2000
GENERATORS = []  # (app label, model name, option name, default count, function)


UNIT_IDS = []  # every unit of the dataset, oldest first (bench/run --units; one unit by default)
HOSTS = {}  # unit id -> the host its requests carry; empty with one unit (any host answers)


def bench_units(count):
    """The dataset's `count` units: the first unit, then u002.bench.localhost ... (bench/run --units).

    Each unit answers on uNNN.bench.localhost and gets its settings rows; a database made for another
    number of units is refused (its articles would not be spread alike)."""
    from portal import units
    from portal.models import SingletonModel, SiteSettings, Unit, UnitHost

    existing = list(Unit.objects.order_by("pk"))
    if count > 1 and len(existing) not in (1, count):
        sys.exit(f"this database holds {len(existing)} units, not {count}: run bench/run --fresh")
    for number in range(len(existing) + 1, count + 1):
        existing.append(Unit.objects.create(name=f"Đơn vị {number:03d}", kind=Unit.Kind.COMMUNE, code=f"u{number:03d}"))
    UNIT_IDS[:] = [unit.pk for unit in existing]
    if count == 1:
        return
    for number, unit in enumerate(existing, start=1):
        host, _ = UnitHost.objects.get_or_create(name=f"u{number:03d}.bench.localhost", defaults={"unit": unit})
        HOSTS[unit.pk] = host.name
        for model in apps.get_models():
            if issubclass(model, SingletonModel) and not model.every_unit.filter(unit=unit).exists():
                names = {"unit_level": "Xã", "unit_name": unit.name} if model is SiteSettings else {}
                model.every_unit.create(unit=unit, **names)
    units.forget_hosts()


def unit_of(i):
    """The unit of the i-th generated row: rows are dealt to the units in turn."""
    return UNIT_IDS[i % len(UNIT_IDS)]


def generates(app_label, model_name, option, default):
    """Registers `function(model, count, rng)`, which yields unsaved instances."""

    def register(function):
        GENERATORS.append((app_label, model_name, option, default, function))
        return function

    return register


SUBJECTS = [
    "Hội nghị sơ kết",
    "Lễ ra quân",
    "Kiểm tra tiến độ",
    "Tập huấn",
    "Hội thi",
    "Trao quà",
    "Ra mắt mô hình",
    "Khánh thành",
    "Tổng kết",
    "Triển khai",
]
TOPICS = [
    "xây dựng nông thôn mới",
    "phòng chống thiên tai",
    "chuyển đổi số",
    "an toàn giao thông",
    "cải cách hành chính",
    "khuyến học",
    "tiêm chủng mở rộng",
    "quốc phòng toàn dân",
    "bảo vệ môi trường",
    "sản xuất vụ xuân",
]
PLACES = ["xã Kim Đông", "thị trấn Phát Diệm", "xã Ân Hòa", "xã Kim Tân", "thị trấn Bình Minh", "xã Như Hòa"]
PARAGRAPHS = [
    "Tham dự có đại diện lãnh đạo Huyện ủy, HĐND, UBND huyện cùng các phòng, ban, ngành liên quan.",
    "Theo báo cáo, trong thời gian qua các đơn vị đã chủ động triển khai nhiều giải pháp đồng bộ, "
    "bám sát kế hoạch, huy động được sự vào cuộc của cả hệ thống chính trị và sự đồng thuận của nhân dân.",
    "Phát biểu tại buổi làm việc, đồng chí Chủ tịch UBND huyện đề nghị các xã, thị trấn tiếp tục tăng "
    "cường công tác tuyên truyền, kịp thời tháo gỡ khó khăn, vướng mắc phát sinh ở cơ sở.",
    "Dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng.",
    "Người dân có thể theo dõi thông tin chi tiết trên Trang thông tin điện tử của huyện và tại bộ phận "
    "một cửa của UBND các xã, thị trấn.",
]


def title(rng):
    return f"{rng.choice(SUBJECTS)} {rng.choice(TOPICS)} tại {rng.choice(PLACES)}"


def body(rng):
    return "".join(f"<p>{p}</p>" for p in rng.sample(PARAGRAPHS, 4))


@generates("news", "Article", "articles", 100_000)
def articles(model, count, rng):
    from news.demo import CATEGORIES
    from news.models import Category

    category_ids = {}
    for unit_id in UNIT_IDS:
        categories = Category.every_unit.filter(unit_id=unit_id)
        for name, order, children in CATEGORIES:
            top = categories.filter(name=name, parent=None).first() or Category.objects.create(
                name=name, order=order, unit_id=unit_id
            )
            for child in children:
                categories.get_or_create(name=child, parent=top, defaults={"unit_id": unit_id})
        category_ids[unit_id] = list(categories.values_list("pk", flat=True))
    now = timezone.now()
    start = model.objects.count()
    for i in range(start, start + count):
        text = title(rng)
        unit_id = unit_of(i)
        yield model(
            unit_id=unit_id,
            title=text,
            slug=f"{slugify_vi(text)}-{i}",
            sapo=f"{text}: {PARAGRAPHS[1]}",
            body=body(rng),
            author=rng.choice(["Mai Hoa", "Văn Long", "Thu Trang", ""]),
            category_id=rng.choice(category_ids[unit_id]),
            featured=rng.random() < 0.01,
            status=model.Status.PUBLISHED if rng.random() < 0.97 else model.Status.DRAFT,
            publish_at=now - timedelta(minutes=rng.randrange(8 * 365 * 24 * 60)),
            view_count=rng.randrange(5000),
        )


@generates("documents", "Document", "documents", 10_000)
def documents(model, count, rng):
    from documents.models import Agency, DocumentType, Sector, search_key

    types = [DocumentType.objects.get_or_create(name=n)[0] for n in ("Quyết định", "Kế hoạch", "Thông báo", "Công văn")]
    agencies = [Agency.objects.get_or_create(name=n)[0] for n in ("UBND huyện Kim Sơn", "HĐND huyện Kim Sơn")]
    sectors = [Sector.objects.get_or_create(name=n)[0] for n in ("Đất đai", "Giáo dục", "Y tế", "Nông nghiệp")]
    now = timezone.now()
    start = model.objects.count()
    for i in range(start, start + count):
        doc_type = rng.choice(types)
        number = f"{i + 1}/{'QĐ' if doc_type.name == 'Quyết định' else 'KH'}-UBND"
        summary = f"Về việc {rng.choice(TOPICS)} tại {rng.choice(PLACES)}"
        issued = (now - timedelta(days=rng.randrange(8 * 365))).date()
        yield model(
            unit_id=unit_of(i),
            number=number,
            doc_type=doc_type,
            agency=rng.choice(agencies),
            sector=rng.choice(sectors),
            issued_on=issued,
            signer_name="Nguyễn Văn Bình",
            signer_title="Chủ tịch UBND huyện",
            summary=summary,
            publish_at=now - timedelta(days=rng.randrange(8 * 365)),
            search_text=search_key(f"{doc_type.name} {number} {summary}"),
        )


SEARCHES = ["kim son", "quốc phòng", "nong thon moi", "chuyển đổi số", "phat diem", "tiêm chủng", "an toan giao thong"]
PER_PAGE = 12  # news.views.CategoryView.paginate_by
VISITORS = 1000
COLD_SEARCHES = 40_000


def write_paths(folder, article_urls, rng):
    """The URLs each benchmark row walks, one per line, and the returning visitors' cookies.

    Cached rows cycle through theirs (articles: many, so caching is honest). The cold rows
    (`article-cold`, `category-deep`, `search-cold`) are shuffled lists that bench.py walks without
    coming back: every article but the cached row's, every category page past the first, and
    searches made of one to three words of one article's own text (so each finds something), no two
    alike once folded as the search folds them, half typed without diacritics.

    With several units (--units) a line is "host path", the host of the unit the page belongs to:
    every unit's home, categories and repeated searches, its articles and its own words to search.
    """
    from urllib.parse import quote

    from news.models import Article, Category
    from portal.visitors import signed

    def at(unit_id, path):
        return f"{HOSTS[unit_id]} {path}" if HOSTS else path

    published = Article.objects.published()
    article_slugs = list(published.order_by("?").values_list("unit_id", "slug")[:article_urls])
    cached = set(article_slugs)
    cold_articles = [key for key in published.order_by("pk").values_list("unit_id", "slug") if key not in cached]
    rng.shuffle(cold_articles)
    categories = list(Category.objects.values_list("unit_id", "slug"))
    deep_pages = []
    for category in Category.objects.all():
        count = published.in_category(category).count()
        deep_pages += [
            at(category.unit_id, f"/chuyen-muc/{category.slug}/?page={page}")
            for page in range(2, -(-count // PER_PAGE) + 1)
        ]
    rng.shuffle(deep_pages)
    every_unit = UNIT_IDS if HOSTS else UNIT_IDS[:1]
    lists = {
        "hello": ["/"],
        "baseline": ["/healthz"],
        "home": [at(unit_id, "/") for unit_id in every_unit],
        "article": [at(unit_id, f"/tin-tuc/{slug}/") for unit_id, slug in article_slugs],
        "category": [
            at(unit_id, f"/chuyen-muc/{slug}/{page}")
            for unit_id, slug in categories
            for page in ("", "?page=2", "?page=3")
        ],
        "search": [at(unit_id, f"/tim-kiem/?q={quote(q)}") for unit_id in every_unit for q in SEARCHES],
        "article-cold": [at(unit_id, f"/tin-tuc/{slug}/") for unit_id, slug in cold_articles],
        "category-deep": deep_pages,
        "search-cold": [at(unit_id, f"/tim-kiem/?q={quote(q)}") for unit_id, q in cold_searches(published, rng)],
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, paths in lists.items():
        (folder / f"{name}.txt").write_text("\n".join(paths) + "\n")
    visitors = [signed(f"{number:032x}") for number in range(VISITORS)]
    (folder / "visitors.txt").write_text("\n".join(visitors) + "\n")
    (folder / "units.txt").write_text("\n".join(map(str, UNIT_IDS)) + "\n")


def cold_searches(published, rng, count=COLD_SEARCHES):
    """Queries never asked before: one to three words of one article's title and sapo, in order,
    each with the article's unit."""
    from portal.text import strip_diacritics

    texts = list(published.order_by("?").values_list("title", "sapo", "unit_id")[: count // 4])
    seen, queries = set(), []
    for _attempt in range(count * 5):
        if len(queries) == count:
            break
        title, sapo, unit_id = rng.choice(texts)
        words = [word.strip('.,:;()"') for word in f"{title} {sapo}".split()]
        words = [word for word in words if word]
        size = rng.choice((1, 2, 3))
        if rng.random() < 0.5:  # words side by side, as people often type them
            first = rng.randrange(len(words) - size + 1)
            picked = words[first : first + size]
        else:
            picked = [words[i] for i in sorted(rng.sample(range(len(words)), size))]
        query = " ".join(picked).lower()
        folded = strip_diacritics(query)
        if (unit_id, folded) in seen:
            continue
        seen.add((unit_id, folded))
        queries.append((unit_id, folded if len(queries) % 2 else query))
    return queries


def refresh_search_index(added):
    """bulk_create sends no signals, so the search index is rebuilt after new rows (or when empty)."""
    if not apps.is_installed("search"):
        return
    from django.core.management import call_command

    from search.models import SearchEntry

    if added or not SearchEntry.objects.exists():
        print("  search index: rebuilding")
        call_command("rebuild_search_index")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=Path, help="folder for the URL lists of the load generator")
    parser.add_argument("--article-urls", type=int, default=2000, help="different articles the load cycles through")
    parser.add_argument("--units", type=int, default=1, help="units the rows are dealt to, each on its own host")
    for _, _, option, default, _ in GENERATORS:
        parser.add_argument(f"--{option}", type=int, default=default)
    options, others = parser.parse_known_args()
    for other in others:
        print(f"  {other.lstrip('-').split('=')[0]}: no generator on this build, skipped")
    rng = random.Random(2025)
    bench_units(options.units)
    added = False
    for app_label, model_name, option, _, function in GENERATORS:
        if not apps.is_installed(app_label):
            print(f"  {app_label}.{model_name}: app not installed, skipped")
            continue
        model = apps.get_model(app_label, model_name)
        wanted = getattr(options, option)
        missing = wanted - model.objects.count()
        if missing < 0:
            sys.exit(
                f"  {model_name}: {model.objects.count()} rows, more than the {wanted} asked for: run with --fresh"
            )
        if missing == 0:
            print(f"  {model_name}: {model.objects.count()} rows already")
            continue
        batch = []
        with transaction.atomic():
            for instance in function(model, missing, rng):
                batch.append(instance)
                if len(batch) == BATCH:
                    model.objects.bulk_create(batch)
                    batch = []
            model.objects.bulk_create(batch)
        added = True
        print(f"  {model_name}: {model.objects.count()} rows")
    refresh_search_index(added)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would in time: statistics, and the visibility map that lets list pages
            # and page starts be read from indexes alone.
            cursor.execute("VACUUM ANALYZE")
    if options.paths:
        write_paths(options.paths, options.article_urls, rng)


if __name__ == "__main__":
    main()
