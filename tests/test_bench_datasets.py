"""bench/run never measures a dataset of another size than the one asked for."""

import importlib.util
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_size_has_its_own_scratch_database():
    bench = bench_module()
    default = bench.default_database(Namespace(articles=100_000, documents=10_000))
    small = bench.default_database(Namespace(articles=10_000, documents=10_000))
    fewer_documents = bench.default_database(Namespace(articles=100_000, documents=1_000))
    assert default.endswith("/kimson_bench")
    assert len({default, small, fewer_documents}) == 3


@pytest.mark.django_db(transaction=True)
def test_the_generator_refuses_a_database_larger_than_asked(settings):
    """Pointed at a database holding more articles than asked (BENCH_DATABASE_URL set by hand), the
    generator stops and says so instead of measuring the larger dataset."""
    from django.db import connection

    from tests.factories import make_article

    for _ in range(3):
        make_article()
    if connection.vendor != "sqlite" or connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.skip("needs the suite's SQLite file to hand to the generator")
    env = {"DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}", "PATH": "/usr/bin:/bin"}
    found = subprocess.run(
        [sys.executable, "bench/generate.py", "--articles=2", "--documents=0", "--paths", "/nonexistent"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode != 0
    assert "more than the 2 asked for" in found.stdout + found.stderr
