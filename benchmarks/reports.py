"""Time to build the evaluation report in each format, on the database of DATABASE_URL
(by default a fresh SQLite database with the demo programme). Prints a Markdown table.

    python benchmarks/reports.py                       # the demo programme
    DATABASE_URL=postgres://…/ancrage_bench python benchmarks/reports.py --no-demo
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="ancrage-report-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'demo.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from tqdm import tqdm  # noqa: E402

from ancrage.programmes.scope import Scope  # noqa: E402
from ancrage.programmes.selectors import programme_by_name  # noqa: E402
from ancrage.reports.sections import build_report  # noqa: E402
from ancrage.reports.services import FORMATS, write_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Temps de production du rapport dans chaque format (PPTX, PDF, DOCX, HTML)."
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="utilise la base DATABASE_URL telle quelle"
    )
    args = parser.parse_args()
    if not args.no_demo:
        call_command("migrate", verbosity=0)
        call_command("demo", if_missing=True, verbosity=0)
    programme = programme_by_name(None)
    scope = Scope(programme)
    rows = []
    with tqdm(total=len(FORMATS), desc="formats", file=sys.stderr) as bar:
        for fmt in FORMATS:
            start = time.perf_counter()
            report = build_report(scope)
            built = time.perf_counter() - start
            path = WORK / f"rapport.{fmt}"
            write_report(report, fmt, path)
            total = time.perf_counter() - start
            rows.append((fmt, built, total - built, total, path.stat().st_size // 1024))
            bar.update()
    print(
        f"\nProgramme « {programme.name} » : {programme.territories.count()} territoires, "
        f"{programme.actions.count():_} actions ; base {connection.vendor}\n".replace("_", " ")
    )
    print("| format | contenu (s) | mise en forme (s) | total (s) | taille (Ko) |")
    print("|---|---|---|---|---|")
    for fmt, built, laid_out, total, size in rows:
        print(f"| {fmt} | {built:.1f} | {laid_out:.1f} | {total:.1f} | {size} |")
    print("\nDiaporama (PPTX), figures à recalculer puis déjà en cache :")
    for label, cold in (("à froid", True), ("cache chaud", False)):
        if cold:
            cache.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        write_report(build_report(scope), "pptx", WORK / "rapport.pptx")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        verdict = "tenu" if wall < 5 else "dépassé"
        print(f"  {label} : {wall:.1f} s d'horloge, {cpu:.1f} s de processeur (< 5 s : {verdict})")


if __name__ == "__main__":
    main()
