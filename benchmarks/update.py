"""Updating a large programme from its workbook, on PostgreSQL: time and peak memory of
`ancrage import --update` when a few hundred actions of an exported programme are edited.

    python benchmarks/update.py DIR [--scale 0.2] [--actions 200] [--reuse]

The programme is generated (benchmarks/generate.py) into DIR/data and imported into the
PostgreSQL database `ancrage_bench_update` (dropped first; BENCH_PG_DB names another) unless
--reuse keeps the last one. It is exported to DIR/export (a folder of CSV files); DIR/edited is
that export with the hours of `--actions` actions spread over the sheet changed. The script then
updates the programme from DIR/edited and back from DIR/export (the programme is as it was
after the two, so that the script can run again with --reuse), each in its own process: wall
time and peak resident memory of that process, as `time` reports them.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "ancrage_bench_update")
ENV = {**os.environ, "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"}
ANCRAGE = [sys.executable, "-m", "ancrage.manage"]


def fr(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def timed(*args: str) -> tuple[float, int, str]:
    """Run `ancrage …` in its own process: seconds, peak MB, what it printed."""
    with tempfile.NamedTemporaryFile("r") as report:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *ANCRAGE, *args],
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) // 1024, result.stdout


def edited_copy(export: Path, edited: Path, count: int) -> int:
    """The export with the hours of `count` actions, spread over the sheet, moved by one."""
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(export, edited)
    with open(export / "actions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    hours = header.index("heures")
    step = max(len(body) // count, 1)
    for row in body[::step][:count]:
        row[hours] = str(float(row[hours] or 0) + 1).removesuffix(".0")
    with open(edited / "actions.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return min(count, len(body))


def summary(output: str) -> str:
    """The preview's line for the actions sheet."""
    return next((line for line in output.splitlines() if line.startswith("actions :")), "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mise à jour d'un grand programme depuis son classeur, sur PostgreSQL : "
        "durée et mémoire maximale."
    )
    parser.add_argument("work", type=Path, help="dossier des données (gardé)")
    parser.add_argument("--scale", type=float, default=0.2, help="échelle (1 = national)")
    parser.add_argument("--actions", type=int, default=200, help="actions modifiées")
    parser.add_argument("--reuse", action="store_true", help="garde la base déjà importée")
    args = parser.parse_args()

    data, export, edited = (args.work / name for name in ("data", "export", "edited"))
    if not args.reuse:
        if not (data / "participations.csv").exists():
            generate(data, args.scale)
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            con.execute(f"CREATE DATABASE {PG_DB}")
        subprocess.run([*ANCRAGE, "migrate", "-v0"], env=ENV, check=True)
        seconds, megabytes, _ = timed("import", str(data), "--sans-progression")
        rows = sum(sum(1 for _ in open(f)) - 1 for f in data.glob("*.csv"))
        print(f"import : {fr(rows)} lignes, {seconds:.0f} s, mémoire maximale {fr(megabytes)} Mo")
        shutil.rmtree(export, ignore_errors=True)
    if not export.exists():
        seconds, megabytes, _ = timed("export", str(export))
        print(f"export : {seconds:.0f} s, mémoire maximale {fr(megabytes)} Mo")
    count = edited_copy(export, edited, args.actions)

    print("| mise à jour | durée | mémoire maximale | aperçu |")
    print("|---|---|---|---|")
    for label, source in ((f"{count} actions modifiées", edited), ("retour à l'export", export)):
        seconds, megabytes, output = timed("import", str(source), "--update", "--sans-progression")
        print(f"| {label} | {seconds:.1f} s | {fr(megabytes)} Mo | {summary(output)} |", flush=True)


if __name__ == "__main__":
    main()
