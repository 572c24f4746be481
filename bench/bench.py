"""The benchmark behind bench/run: dataset, production server, load from wrk, one table.

Everything happens in a scratch PostgreSQL database (BENCH_DATABASE_URL) and Redis database
(BENCH_REDIS_URL), never the portal's own. See docs/benchmark.md.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
# `hello` is Django's own project template on a second gunicorn (bench/hello): every row's ratio to it
# says how much of the framework's ceiling the page leaves. `baseline` is the portal's cheapest view.
ROWS = ["hello", "baseline", "home", "article", "category", "search", "article-cold", "category-deep", "search-cold"]
# Walked without coming back and never primed: each request asks for a URL no request asked for.
COLD_ROWS = {"article-cold", "category-deep", "search-cold"}
SAMPLE = 20
LIVE_KEY_PREFIX = "kimson:bench"
PAGE_VERSION_KEY = f"{LIVE_KEY_PREFIX}:pagever"  # portal.pagecache.version_key() is this, ":", the unit
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kimson_bench"
ARTICLES, DOCUMENTS = 100_000, 10_000
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"


def log(message):
    print(f"== {message}", flush=True)


def default_database(options):
    """The scratch database of a dataset's size: `kimson_bench` for the default one, another for each
    other size, so that a run never reuses a dataset of a different size."""
    if (options.articles, options.documents) == (ARTICLES, DOCUMENTS):
        return DEFAULT_DATABASE
    return f"{DEFAULT_DATABASE}_{options.articles}a_{options.documents}d"


def scratch_database(url, fresh):
    """Creates the benchmark database if missing (dropping it first with --fresh)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"unexpected database name {name!r}")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {name}")
    admin.close()


def flush_redis(url):
    parts = urlsplit(url)
    database = parts.path.lstrip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", parts.hostname, "-p", str(parts.port or 6379), "-n", database, "FLUSHDB"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, host=None):
    headers = {"X-Forwarded-Proto": "https", "User-Agent": "Mozilla/5.0"}
    if host:
        headers["Host"] = host
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def start_gunicorn(env, application, name, ready_path):
    """gunicorn with the project's gunicorn.conf.py on a free port; its log in bench/out/<name>.log."""
    log_file = open(OUT / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", application, "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while get_quietly(base_url + ready_path) != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"gunicorn did not start, see bench/out/{name}.log")
        time.sleep(0.3)
    return process, base_url


class PageVersionBumper:
    """While a cold row runs, a new page-cache version every second, as if content were published,
    and the pages kept so far dropped, as if evicted.

    Each unit has its own version (portal.pagecache.version_key): one unit's a second, the units in
    turn, so that 100 units publish as often as one. The cold rows never ask for a URL twice until
    their list wraps (a few thousand category pages); from then on a URL that comes round again
    finds no copy, so it is still rendered — with 100 units too, whose versions each change only
    every 100 s.
    """

    def __init__(self, redis_url, unit_ids):
        import itertools

        import redis

        self.client = redis.Redis.from_url(redis_url)
        self.units = itertools.cycle(unit_ids)
        self.stop = None

    def __enter__(self):
        import threading

        self.stop = threading.Event()

        def bump():
            while not self.stop.wait(1):
                self.client.set(f"{PAGE_VERSION_KEY}:{next(self.units)}", secrets.token_hex(16))
                kept = list(self.client.scan_iter(match=f"{LIVE_KEY_PREFIX}:page:*", count=1000))
                for start in range(0, len(kept), 1000):
                    self.client.unlink(*kept[start : start + 1000])

        threading.Thread(target=bump, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stop.set()


def get_quietly(url):
    try:
        return get(url)
    except OSError:
        return None


def wrk(base_url, paths_file, seconds, connections, threads, start=0):
    result = subprocess.run(
        [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=5s",
            "--script",
            str(ROOT / "bench" / "paths.lua"),
            base_url,
        ],
        env={
            **os.environ,
            "BENCH_PATHS": str(paths_file),
            "BENCH_VISITORS": str(paths_file.parent / "visitors.txt"),
            "BENCH_START": str(start),
            "BENCH_THREADS": str(threads),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def read_paths(paths_file):
    """A row's (host, path) pairs: host is None on lines without one (one unit)."""
    lines = [line.split(" ") for line in paths_file.read_text().splitlines() if line]
    return [(None, *line) if len(line) == 1 else tuple(line) for line in lines]


def prime(base_url, paths_file):
    """Requests every URL of a row twice, as on a site that has been up for a while: a page with a
    query (a search, a category's page 2) is kept only when asked for before (portal.pagecache)."""
    from concurrent.futures import ThreadPoolExecutor

    paths = read_paths(paths_file)
    with ThreadPoolExecutor(8) as pool:
        for _ in range(2):
            list(pool.map(lambda line: get(base_url + line[1], line[0]), paths))


def sample_statuses(base_url, paths_file, cold):
    """A sample of a row's paths is checked first: wrk does not count redirects as errors.

    A cold row's sample is its first SAMPLE URLs, which its walk then skips."""
    paths = read_paths(paths_file)
    step = 1 if cold else max(1, len(paths) // SAMPLE)
    return {" ".join(filter(None, line)): get(base_url + line[1], line[0]) for line in paths[::step][:SAMPLE]}


class Portal:
    """One portal under test: its scratch database, Redis database, URL lists and gunicorn.

    `bench/run --units N` serves two, side by side in one run: the one-unit dataset and the same
    articles dealt to N units, each row measured on both in turn."""

    def __init__(self, units, database_url, redis_url, paths):
        self.units = units
        self.label = f"{units} unit{'s' if units > 1 else ''}"
        self.database_url = database_url
        self.redis_url = redis_url
        self.paths = paths
        self.process = self.url = None

    def env(self, base):
        return {**base, "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}

    def prepare(self, env, options):
        log(f"{self.label}: scratch database {urlsplit(self.database_url).path.lstrip('/')}, Redis {self.redis_url}")
        scratch_database(self.database_url, options.fresh)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        log(f"{self.label}: dataset (bulk_create; reused when already there)")
        started = time.monotonic()
        generator_args = [
            f"--articles={options.articles}",
            f"--documents={options.documents}",
            f"--article-urls={options.article_urls}",
            f"--units={self.units}",
        ]
        subprocess.run(
            [PYTHON, "bench/generate.py", *generator_args, "--paths", str(self.paths)], cwd=ROOT, env=env, check=True
        )
        log(f"{self.label}: dataset ready in {time.monotonic() - started:.0f} s")
        flush_redis(self.redis_url)

    def unit_ids(self):
        """The dataset's unit ids, oldest first (bench/generate.py lists them): each has its page-cache version."""
        return [int(pk) for pk in (self.paths / "units.txt").read_text().split()]

    def database_name(self):
        return urlsplit(self.database_url).path.lstrip("/")


def next_redis_database(url):
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or "0") + 1
    return parts._replace(path=f"/{number}").geturl()


def main():
    parser = argparse.ArgumentParser(description="Benchmark the portal under gunicorn with wrk.")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per row, over all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="turns the rows take (each gets duration/rounds s)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--article-urls", type=int, default=2000, help="different articles the load cycles through")
    parser.add_argument("--cold", action="store_true", help="do not request every URL once before measuring")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the scratch database")
    parser.add_argument(
        "--units",
        type=int,
        default=1,
        help="also deal the same articles to this many unit portals, each on its host, and measure both in one run",
    )
    parser.add_argument(
        "--rows",
        type=lambda text: [row.strip() for row in text.split(",") if row.strip()],
        default=ROWS,
        help=f"comma-separated rows to measure (hello always is), among {','.join(ROWS)}",
    )
    options = parser.parse_args()
    unknown = set(options.rows) - set(ROWS)
    if unknown:
        parser.error(f"no such row: {', '.join(sorted(unknown))}")

    database_url = os.environ.get("BENCH_DATABASE_URL", default_database(options))
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing (Debian: apt-get install wrk)")
    OUT.mkdir(parents=True, exist_ok=True)
    portals = [Portal(1, database_url, redis_url, OUT / "paths")]
    if options.units > 1:  # a dataset of its own beside the one-unit one, and a Redis database of its own
        portals.append(
            Portal(
                options.units,
                f"{database_url}_u{options.units}",
                next_redis_database(redis_url),
                OUT / f"paths-u{options.units}",
            )
        )
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.bench.localhost",
        "TRUST_X_FORWARDED_PROTO": "1",
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / "media"),
        # All the load comes from one address; per-address limits would turn it into 429s.
        "ENGAGEMENT_COUNT_RATE": "100000000/m",
        "RATING_RATE": "100000000/m",
        "POLL_VOTE_RATE": "100000000/m",
        "LIVE_KEY_PREFIX": LIVE_KEY_PREFIX,
    }
    for portal in portals:
        portal.prepare(portal.env(env), options)
    manage(portals[0].env(env), "collectstatic", "--noinput", "--verbosity", "0")

    load_before = " ".join(f"{n:.1f}" for n in os.getloadavg())
    for portal in portals:
        portal.process, portal.url = start_gunicorn(
            portal.env(env), "kimson_portal.wsgi:application", f"gunicorn-u{portal.units}", "/healthz"
        )
    hello_env = {**portals[0].env(env), "DJANGO_SETTINGS_MODULE": "bench.hello.settings"}
    hello, hello_url = start_gunicorn(hello_env, "bench.hello.wsgi:application", "hello", "/")
    # (portal, row) -> rounds; `hello` is measured once, against the first portal's database server.
    measured = [(portals[0], "hello")] + [
        (portal, row) for row in ROWS[1:] if row in options.rows for portal in portals
    ]
    rounds = {key: [] for key in measured}
    results = {portal.units: {} for portal in portals}
    walked = {(portal, row): SAMPLE for portal in portals for row in COLD_ROWS}
    sizes = {}
    try:
        # Rows take turns, round after round, so that a slow moment of the machine falls on all of them.
        for round_number in range(1, options.rounds + 1):
            for portal, row in measured:
                paths_file = portal.paths / f"{row}.txt"
                base_url = hello_url if row == "hello" else portal.url
                found = results[portal.units]
                cold = row in COLD_ROWS
                name = row if len(portals) == 1 else f"{row} ({portal.label})"
                if round_number == 1:
                    statuses = sample_statuses(base_url, paths_file, cold) if paths_file.exists() else {}
                    if set(statuses.values()) <= {404}:
                        log(f"{name}: n/a (no such page on this build)")
                        found[row] = None
                        continue
                    wrong = {path: status for path, status in statuses.items() if status != 200}
                    if wrong:
                        log(f"{name}: not every page answers 200: {wrong}")
                    sizes[portal, row] = len(read_paths(paths_file))
                elif found.get(row, 0) is None:
                    continue
                if not options.cold and not cold:
                    prime(base_url, paths_file)
                seconds = max(1, round(options.duration / options.rounds))
                log(
                    f"{name}, round {round_number}/{options.rounds}: warm-up, then {seconds} s at {options.connections} connections"
                )
                load = (base_url, paths_file)
                server = ServerCpu(hello if row == "hello" else portal.process, portal.database_name())
                bumper = PageVersionBumper(portal.redis_url, portal.unit_ids())
                with bumper if cold else contextlib.nullcontext():
                    start = walked.get((portal, row), 0)
                    warm_up = wrk(
                        *load, warm_up_seconds(round_number, cold, options), options.connections, options.threads, start
                    )
                    start = warm_up["last"] if cold else 0
                    server.start()
                    run = wrk(*load, seconds, options.connections, options.threads, start)
                    run["cpu_parts"] = server.seconds()
                    run["cpu_s"] = sum(run["cpu_parts"].values())
                    if cold:
                        walked[portal, row] = run["last"]
                rounds[portal, row].append(run)
                found[row] = combine(rounds[portal, row])
    finally:
        for process in (*(portal.process for portal in portals), hello):
            process.terminate()
        for process in (*(portal.process for portal in portals), hello):
            process.wait(timeout=30)

    for portal in portals:
        found = results[portal.units]
        found.setdefault("hello", results[1].get("hello"))
        for row in COLD_ROWS & set(found):
            if found[row] is not None:
                found[row]["walked"] = walked[portal, row]
                found[row]["urls"] = sizes[portal, row]
        (OUT / f"results-units-{portal.units}.json").write_text(json.dumps(found, indent=2))
        print_table(found, options, portal, load_before)
    (OUT / "results.json").write_text(json.dumps(results[1], indent=2))
    if len(portals) > 1:
        print_units_comparison(results[1], results[options.units], options.units)


def warm_up_seconds(round_number, cold, options):
    """Load before a row's measured seconds: 3 s in the first round, 1 s in later ones.

    With --units, a cold row's first warm-up lasts units / 8 s (12 s for 100), on both datasets: each
    gunicorn worker keeps a unit's page frame and lists once it has shown one of its pages
    (portal.fragments), so with 100 units every worker's first page of each unit renders them,
    500 renders in a fresh server that the one-unit server does 5 times. The measured seconds are
    those of a server that has been up a while, as the cached rows' priming makes them."""
    if round_number > 1:
        return 1
    return max(3, options.units // 8) if cold else 3


class ServerCpu:
    """CPU seconds the server side spends while a row is measured: one gunicorn (master and workers),
    the PostgreSQL backends connected to the row's database, and Redis. wrk is not counted."""

    def __init__(self, gunicorn, database):
        self.gunicorn = gunicorn.pid
        self.database = database
        self.before = None

    @staticmethod
    def _stat(pid):
        """(parent pid, command name, CPU seconds) of a process, None when it is gone."""
        try:
            head, tail = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
        except OSError:
            return None
        fields = tail.split()
        return int(fields[1]), head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _sample(self):
        """{pid: (part, CPU seconds)}: part "app" (gunicorn), "db" (PostgreSQL) or "redis"."""
        import psycopg2

        times = {}
        stats = {int(pid): self._stat(pid) for pid in os.listdir("/proc") if pid.isdigit()}
        for pid, stat in stats.items():
            if stat and (pid == self.gunicorn or stat[0] == self.gunicorn):
                times[pid] = ("app", stat[2])
        for pid, stat in stats.items():
            if stat and stat[1] == "redis-server":
                times[pid] = ("redis", stat[2])
        parts = urlsplit(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))  # its server
        with (
            contextlib.closing(
                psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])
            for (pid,) in cursor.fetchall():
                stat = stats.get(pid)
                if stat:
                    times[pid] = ("db", stat[2])
        return times

    def start(self):
        self.before = self._sample()

    def seconds(self):
        """{part: CPU seconds} since start()."""
        after, spent = self._sample(), dict.fromkeys(("app", "db", "redis"), 0.0)
        for pid, (part, seconds) in after.items():
            # A process that appeared during the run (a new database connection) counts from zero.
            spent[part] += seconds - self.before.get(pid, (part, 0))[1]
        return spent


def print_units_comparison(single, many, count):
    """Each row with one unit and with `count` units, measured side by side in this run: its share of
    `hello` and the server's CPU per request."""

    def share(data, row):
        hello = (data.get("hello") or {}).get("rps")
        return data[row]["rps"] / hello if hello and data.get(row) else None

    def cpu(data, row):
        return data[row].get("cpu_ms") if data.get(row) else None

    print()
    print(f"{count} units against one unit, side by side in this run:")
    print(
        f"| {'page':<13} | {'1 unit':>7} | {f'{count} units':>9} | {'change':>7} "
        f"| {'CPU ms, 1':>9} | {f'CPU ms, {count}':>11} | {'change':>7} |"
    )
    print(f"|{'-' * 15}|{'-' * 8}:|{'-' * 10}:|{'-' * 8}:|{'-' * 10}:|{'-' * 12}:|{'-' * 8}:|")
    for row in ROWS[1:]:
        one, other = share(single, row), share(many, row)
        if one is None or other is None:
            continue
        cpu_one, cpu_other = cpu(single, row), cpu(many, row)
        print(
            f"| {row:<13} | {one:>7.3f} | {other:>9.3f} | {other / one - 1:>+7.1%} "
            f"| {cpu_one:>9.2f} | {cpu_other:>11.2f} | {cpu_other / cpu_one - 1:>+7.1%} |"
        )


def combine(runs):
    """One row from its rounds: all requests over all the time, the median p50, the p99 of all requests."""
    requests = sum(run["requests"] for run in runs)
    duration_us = sum(run["duration_us"] for run in runs)
    return {
        "requests": requests,
        "duration_us": duration_us,
        "errors": sum(run["errors"] for run in runs),
        "p50_us": sorted(run["p50_us"] for run in runs)[len(runs) // 2],
        "p99_us": merged_percentile(runs, 99),
        "worst_p99_us": max(run["p99_us"] for run in runs),
        "rps": requests / (duration_us / 1e6),
        "rounds": [round(run["rps"]) for run in runs],
        "cpu_ms": sum(run.get("cpu_s", 0) for run in runs) * 1000 / max(requests, 1),
        "db_ms": sum(run.get("cpu_parts", {}).get("db", 0) for run in runs) * 1000 / max(requests, 1),
    }


def merged_percentile(runs, percent):
    """The latency under which `percent` of all the rounds' requests fall, from each round's tail
    (its 90th to 100th percentiles in steps of 0.1, as bench/paths.lua reports them)."""

    def share_above(run, latency):
        tail = run["tail_us"]  # tail[i] is the (90 + i / 10)th percentile
        above = [i for i, value in enumerate(tail) if value > latency]
        return 0.0 if not above else (100 - (90 + above[0] / 10) + 0.1) / 100

    total = sum(run["requests"] for run in runs)
    for latency in sorted({value for run in runs for value in run["tail_us"]}):
        if sum(run["requests"] * share_above(run, latency) for run in runs) <= total * (100 - percent) / 100:
            return latency
    return max(run["tail_us"][-1] for run in runs)


def print_table(results, options, portal, load_before):
    hello = (results.get("hello") or {}).get("rps")
    print()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, {options.connections} connections, "
        f"{options.duration} s per row in {options.rounds} rounds, {options.articles} articles ({options.article_urls} different ones requested{', cold' if options.cold else ''}), "
        f"{portal.label}, load average before the run {load_before}"
    )
    print(
        f"| {'page':<13} | {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'worst p99':>9} "
        f"| {'errors':>6} | {'vs hello':>8} | {'CPU ms':>6} | {'of it DB':>8} |"
    )
    print(f"|{'-' * 15}|{'-' * 11}:|{'-' * 8}:|{'-' * 8}:|{'-' * 10}:|{'-' * 7}:|{'-' * 9}:|{'-' * 7}:|{'-' * 9}:|")
    for row in ROWS:
        if row != "hello" and row not in options.rows:
            continue
        data = results.get(row)
        if data is None:
            print(
                f"| {row:<13} | {'n/a':>10} | {'n/a':>7} | {'n/a':>7} | {'n/a':>9} | {'n/a':>6} | {'n/a':>8} | {'n/a':>6} | {'n/a':>8} |"
            )
            continue
        ratio = f"{data['rps'] / hello:.3f}" if hello else "n/a"
        print(
            f"| {row:<13} | {data['rps']:>10.0f} | {data['p50_us'] / 1000:>7.1f} | {data['p99_us'] / 1000:>7.1f} "
            f"| {data['worst_p99_us'] / 1000:>9.1f} | {data['errors']:>6} | {ratio:>8} | {data.get('cpu_ms', 0):>6.2f} | {data.get('db_ms', 0):>8.2f} |"
        )
    print(
        "requests/s and p99: all rounds' requests together; p50: the median round's; worst p99: the slowest round's; "
        "CPU ms: the server's CPU time per request (gunicorn, its PostgreSQL backends, Redis), of it DB: the PostgreSQL backends'."
    )
    for row in ROWS:
        data = results.get(row) or {}
        if "walked" in data:
            wrapped = " (wrapped: repeats were rendered again)" if data["walked"] > data["urls"] else ""
            print(f"{row}: {data['walked']} requests over {data['urls']} different URLs{wrapped}")


if __name__ == "__main__":
    main()
