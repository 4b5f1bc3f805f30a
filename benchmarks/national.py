"""National-scale benchmark: import and indicator times on SQLite and PostgreSQL, next to the
time DuckDB takes for the same aggregates on the same rows (the floor). Prints a table.

    python benchmarks/national.py [--scale 1] [--engines sqlite,postgresql] [--keep DIR]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg
from tqdm import tqdm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "ancrage_bench"
ANCRAGE = [sys.executable, "-m", "ancrage.manage"]

# The six query families of docs/performance.md, programme-wide and per territory at once.
DUCKDB_FAMILIES = {
    "réalisations": """
        SELECT territoire, modalite, count(*), sum(enfants), sum(parents), max(elus)
        FROM actions GROUP BY GROUPING SETS ((territoire, modalite), (modalite))""",
    "participations territoire × modalité": """
        SELECT a.territoire, a.modalite, count(*) FROM participations p
        JOIN actions a ON a.id = p.action
        GROUP BY GROUPING SETS ((a.territoire, a.modalite), (a.modalite))""",
    "professionnels uniques": """
        SELECT a.territoire, count(DISTINCT p.personne) FROM participations p
        JOIN actions a ON a.id = p.action
        WHERE a.modalite IN ('formation', 'accompagnement', 'jep', 'co_intervention')
        GROUP BY GROUPING SETS ((a.territoire), ())""",
    "adultes formés": """
        SELECT a.territoire, count(DISTINCT p.personne) FROM participations p
        JOIN actions a ON a.id = p.action
        WHERE a.modalite IN ('formation', 'co_intervention')
        GROUP BY GROUPING SETS ((a.territoire), ())""",
    "enfants et parents": """
        SELECT territoire, sum(enfants) FILTER (WHERE modalite = 'co_intervention'),
               sum(parents) FILTER (WHERE modalite = 'action_parentalite')
        FROM actions GROUP BY GROUPING SETS ((territoire), ())""",
    "structures distinctes": """
        SELECT a.territoire, count(DISTINCT s.structure) FROM actions a,
             unnest(string_split(a.structures, ';')) AS s(structure)
        WHERE a.modalite NOT IN ('copil', 'cotech') AND a.structures <> ''
        GROUP BY GROUPING SETS ((a.territoire), ())""",
}


def run(command: list[str], env: dict, label: str) -> tuple[float, int]:
    """Run a command; return its wall time (s) and peak memory (MB) as /usr/bin/time saw them."""
    with tempfile.NamedTemporaryFile("r") as report:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command], env=env, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"{label} : échec (code {result.returncode})")
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) // 1024


def bench_engine(name: str, url: str, data: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([*ANCRAGE, "migrate", "-v0"], env=env, check=True)
    import_s, import_mb = run([*ANCRAGE, "import", str(data)], env, f"import {name}")
    out = subprocess.run(
        [sys.executable, str(HERE / "time_indicators.py"), "3"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout)
    return {"import_s": import_s, "import_mb": import_mb, **figures}


def bench_duckdb(data: Path) -> dict:
    con = duckdb.connect()
    start = time.perf_counter()
    for table in ("actions", "participations"):
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{data / (table + '.csv')}', "
            "header=true, all_varchar=false)"
        )
    load = time.perf_counter() - start
    families = {}
    for label, sql in DUCKDB_FAMILIES.items():
        best = min(_timed(con, sql) for _ in range(3))
        families[label] = best
    return {"load_s": load, "families": families, "total": sum(families.values())}


def _timed(con, sql: str) -> float:
    start = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - start


def reset_postgres() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        con.execute(f"CREATE DATABASE {PG_DB}")
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Banc d'essai à l'échelle nationale : import et indicateurs sur SQLite et "
        "PostgreSQL, comparés au plancher DuckDB."
    )
    parser.add_argument("--scale", type=float, default=1.0, help="échelle (1 = national)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="bases à mesurer")
    parser.add_argument("--keep", type=Path, help="garde les données générées dans ce dossier")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="ancrage-bench-"))
    data = work / "data"
    engines = args.engines.split(",")
    steps = tqdm(total=2 + len(engines), desc="banc d'essai", unit=" étape", file=sys.stderr)
    started = time.perf_counter()
    if not (data / "participations.csv").exists():
        sizes = generate(data, args.scale)
    else:
        sizes = {"participations": sum(1 for _ in open(data / "participations.csv")) - 1}
    steps.set_postfix_str(f"génération {time.perf_counter() - started:.0f} s")
    steps.update()
    results = {}
    for engine in engines:
        url = f"sqlite:///{work / 'bench.sqlite3'}" if engine == "sqlite" else reset_postgres()
        if engine == "sqlite":
            (work / "bench.sqlite3").unlink(missing_ok=True)
        results[engine] = bench_engine(engine, url, data)
        steps.update()
    floor = bench_duckdb(data)
    steps.update()
    steps.close()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nDonnées : {', '.join(f'{k} {v:,}' for k, v in sizes.items())}".replace(",", " "))
    print(
        f"Machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}, "
        f"DuckDB {duckdb.__version__}\n"
    )
    print(
        "| base | import (s) | mémoire de pointe de l'import (Mo) | indicateurs du contrat, "
        "programme et tous les territoires (s) | un territoire (s) | rapport au plancher "
        "DuckDB | avec questionnaires et évaluation (s) |"
    )
    print("|---|---|---|---|---|---|---|")
    for engine, r in results.items():
        print(
            f"| {engine} | {r['import_s']:.0f} | {r['import_mb']} | {r['all']:.2f} | "
            f"{r['one_territory']:.2f} | {r['all'] / floor['total']:.1f}× | "
            f"{r['everything']:.2f} |"
        )
    print(
        f"| DuckDB (plancher) | {floor['load_s']:.0f} (lecture CSV) | — | "
        f"{floor['total']:.2f} | — | 1× | — |"
    )
    print(
        "\nPlancher DuckDB par famille (s) : "
        + ", ".join(f"{k} {v:.3f}" for k, v in floor["families"].items())
    )
    checks = {e: (r["professionals_unique"], r["structures"]) for e, r in results.items()}
    print(f"Contrôle (professionnels uniques, structures) : {checks}")


if __name__ == "__main__":
    main()
