"""Dashboard response times on the database of DATABASE_URL (the national benchmark keeps
its PostgreSQL database `ancrage_bench`): p50 and p95 over repeated requests, and the first
(cold) request after the data changed. Prints a Markdown table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ancrage_bench \\
        python benchmarks/dashboard.py [--requests 50]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")
os.environ.setdefault("ANCRAGE_CACHE_DIR", tempfile.mkdtemp(prefix="ancrage-cache-"))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from ancrage.programmes.selectors import programme_by_name  # noqa: E402
from ancrage.programmes.versions import figures_changed  # noqa: E402


def counter(seen: list):
    """A database execute wrapper that records each query (Django empties
    connection.queries at the start of each request)."""

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Temps de réponse du tableau de bord (p50, p95) sur la base DATABASE_URL."
    )
    parser.add_argument("--requests", type=int, default=50, help="requêtes par page")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    programme = programme_by_name(None)
    territory = programme.territories.order_by("code").first()
    user, _ = get_user_model().objects.get_or_create(
        username="banc-essai", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    pages = {
        "tableau de bord, tout le programme": f"/?programme={programme.pk}",
        "tableau de bord, un territoire": f"/?programme={programme.pk}&territoire={territory.code}",
        "carte, un territoire": f"/carte/?programme={programme.pk}&territoire={territory.code}",
        "liste des actions (page 1)": f"/actions/?programme={programme.pk}",
    }
    rows = []
    bar = tqdm(total=len(pages) * (args.requests + 1), desc="requêtes", file=sys.stderr)
    for label, url in pages.items():
        # Everything to compute, as after an import; after an edit only its territory's part
        # is (benchmarks/operation.py measures that).
        figures_changed()
        queries = []
        with connection.execute_wrapper(counter(queries)):
            start = time.perf_counter()
            response = client.get(url)
            cold = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        bar.update()
        times, warm_queries = [], []
        with connection.execute_wrapper(counter(warm_queries)):
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
                bar.update()
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        warm = len(warm_queries) / args.requests
        rows.append((label, cold, len(queries), warm, statistics.median(times), p95))
    bar.close()
    actions = programme.actions.count()
    print(
        f"\nProgramme « {programme.name} » : {programme.territories.count()} territoires, "
        f"{actions:_} actions ; base {connection.vendor}\n".replace("_", " ")
    )
    print(
        "| page | première requête après un import, tout à calculer (s) | requêtes SQL, première | "
        "requêtes SQL, suivantes | p50 (ms) | p95 (ms) |"
    )
    print("|---|---|---|---|---|---|")
    for label, cold, count, warm, p50, p95 in rows:
        print(
            f"| {label} | {cold:.2f} | {count} | {warm:.0f} | {p50 * 1000:.0f} | {p95 * 1000:.0f} |"
        )


if __name__ == "__main__":
    main()
