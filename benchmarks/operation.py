"""Ancrage in operation, on PostgreSQL: import speed, then the programme dashboard while a
coordinator adds one action per second, then reports produced by a task worker while clients
read the dashboard. Real processes: gunicorn serving the app, `ancrage worker` running the
tasks, this script writing and reading as users would. Prints a Markdown table, with the time
the server spent on each page (gunicorn's access log) beside the clients' times.

    python benchmarks/operation.py [--scale 0.05] [--duration 60] [--readers 30] [--reports 3]

The programme is generated (benchmarks/generate.py) and imported into the PostgreSQL database
`ancrage_bench_ops` (dropped first) unless --reuse keeps the last one.
"""

import argparse
import datetime as dt
import http.client
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "ancrage_bench_ops")
DATABASE_URL = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"
CACHE_DIR = tempfile.mkdtemp(prefix="ancrage-bench-cache-")
MEDIA = tempfile.mkdtemp(prefix="ancrage-bench-media-")
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "ANCRAGE_CACHE_DIR": CACHE_DIR,
    "MEDIA_ROOT": MEDIA,
    "ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SETTINGS_MODULE": "ancrage.settings",
    # gunicorn refuses the development key (core/checks.py): a throwaway one for the run.
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
}
ANCRAGE = [sys.executable, "-m", "ancrage.manage"]
ACCESS_LOG = Path(CACHE_DIR).with_name(Path(CACHE_DIR).name + "-access.log")
RUN = time.strftime("%H%M%S")  # codes of this run's actions and people (--reuse runs again)
BIN = Path(sys.executable).parent


def timed_import(data: Path) -> tuple[float, int, int]:
    """Import the generated folder with `ancrage import` into a new database: seconds, peak MB
    (the whole process, as `time` reports its maximum resident size), rows of every sheet. On
    PostgreSQL the import takes its COPY path (workbook/fastload.py)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {PG_DB}")
    subprocess.run([*ANCRAGE, "migrate", "-v0"], env=ENV, check=True)
    rows = sum(sum(1 for _ in open(f)) - 1 for f in data.glob("*.csv"))
    with tempfile.NamedTemporaryFile("r") as report:
        command = ["/usr/bin/time", "-f", "%e %M", "-o", report.name]
        subprocess.run(
            [*command, *ANCRAGE, "import", str(data), "--sans-progression"], env=ENV, check=True
        )
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) // 1024, rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Readers:
    """Threads that read a page over HTTP in a loop and keep each response time."""

    def __init__(self, port: int, cookie: str, path: str, count: int, think: float = 0.15):
        self.port, self.cookie, self.path, self.count = port, cookie, path, count
        # Seconds between two pages of one reader, on average (uniform, ± two thirds of it).
        self.think = think
        self.times: list[float] = []
        self.errors = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(count)]

    def get(self, con: http.client.HTTPConnection) -> bool:
        con.request("GET", self.path, headers={"Cookie": self.cookie})
        response = con.getresponse()
        response.read()
        return response.status == 200

    def loop(self) -> None:
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                try:
                    ok = self.get(con)
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    # gunicorn closes a connection left idle over its keepalive (2 s): a
                    # browser opens a new one and asks again, without a failure to show.
                    con.close()
                    con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                    start = time.perf_counter()
                    ok = self.get(con)
            except (OSError, http.client.HTTPException):
                ok = False
                con.close()
                con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            if ok:
                self.times.append(time.perf_counter() - start)
            else:
                self.errors += 1
            time.sleep(random.uniform(self.think / 3, self.think * 5 / 3))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=150)

    def percentiles(self) -> tuple[float, float, int]:
        times = sorted(self.times)
        if not times:
            return float("nan"), float("nan"), 0
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        return statistics.median(times) * 1000, p95 * 1000, len(times)


class ServerTimes:
    """The time gunicorn spent on each dashboard request of a phase (its access log), less
    sensitive than the clients' times to the machine's other work: p50 and p95 in ms."""

    def __enter__(self):
        self.start = ACCESS_LOG.stat().st_size if ACCESS_LOG.exists() else 0
        return self

    def __exit__(self, *exc):
        with open(ACCESS_LOG, "rb") as log:
            log.seek(self.start)
            lines = log.read().decode().splitlines()
        # Lines « path query microseconds »: the programme dashboard's requests only.
        rows = [line.split() for line in lines]
        self.times = sorted(
            int(row[-1]) / 1000
            for row in rows
            if len(row) == 3 and row[0] == "/" and "territoire=" not in row[1]
        )

    def percentiles(self) -> tuple[float, float]:
        if not self.times:
            return float("nan"), float("nan")
        p95 = self.times[min(len(self.times) - 1, int(len(self.times) * 0.95))]
        return statistics.median(self.times), p95


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("le serveur web ne répond pas")


def warm_up(port: int, cookie: str, path: str, count: int) -> None:
    """Load the app in every gunicorn process and compute the figures once, as a running
    server would have done long before."""
    for _ in range(count):
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        con.request("GET", path, headers={"Cookie": cookie})
        con.getresponse().read()
        con.close()


def fr(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def add_action(programme, territory, number: int) -> None:
    """One action entered by a coordinator, as the action form saves it."""
    from ancrage.activities.models import Person, Structure
    from ancrage.activities.services import action_save

    structures = list(Structure.objects.filter(commune__territory=territory)[:2])
    # People of the action's territory: a code is looked up there (activities.services).
    local = Person.objects.filter(programme=programme, territory=territory)
    first = local.order_by("pk").values_list("pk", flat=True)
    low = first.first()
    high = first.last()
    picked = random.sample(range(low, high + 1), 3)
    people = list(local.filter(pk__in=picked).values_list("code", flat=True))
    year = random.choice(programme.school_years)
    action_save(
        programme,
        None,
        fields={
            "code": f"BANC-{RUN}-{number:05d}",
            "modality": "formation",
            "territory": territory,
            "start": dt.date(year, 11, 15),
            "adults": None,
            "title": "Formation ajoutée par le banc d'essai",
        },
        structures=structures,
        participants=[(code, "") for code in people]
        + [(f"BANC-{RUN}-P{number:05d}", "enseignante")],
    )


def writes_phase(port, cookie, programme, duration: int, readers: int) -> dict:
    territories = list(programme.territories.order_by("code"))
    # One territory nobody writes to: its project manager's dashboard while others write.
    quiet, territories = territories[0], territories[1:] or territories
    path = f"/?programme={programme.pk}"
    local = f"/?programme={programme.pk}&territoire={quiet.code}"
    warm_up(port, cookie, local, 1)
    writes = []
    written: set[int] = set()
    with (
        ServerTimes() as server,
        Readers(port, cookie, path, readers) as reading,
        Readers(port, cookie, local, 2) as territory_reading,
    ):
        end = time.monotonic() + duration
        number = 0
        while time.monotonic() < end:
            tick = time.monotonic()
            number += 1
            territory = random.choice(territories)
            written.add(territory.pk)
            add_action(programme, territory, number)
            writes.append(time.monotonic() - tick)
            time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    programme.refresh_from_db()
    checked = figures_checked(programme, quiet, written)
    p50, p95, n = reading.percentiles()
    local_p50, local_p95, local_n = territory_reading.percentiles()
    server_p50, server_p95 = server.percentiles()
    return {
        "server_p50": server_p50,
        "server_p95": server_p95,
        "local_p50": local_p50,
        "local_p95": local_p95,
        "local_requests": local_n,
        "p50": p50,
        "p95": p95,
        "requests": n,
        "errors": reading.errors,
        "writes": number,
        "write_p50": statistics.median(writes) * 1000,
        **checked,
    }


def figures_checked(programme, quiet, written: set[int]) -> dict:
    """Every figure served (from the cache, assembled from the territories' parts) compared
    with a fresh computation, for the scopes people read: the programme (and as a read-only
    role sees it), the quiet territory, the territories written to, the last school year."""
    from ancrage.indicators.cache import cached_indicators
    from ancrage.indicators.selectors import compute_indicators
    from ancrage.indicators.views import dashboard_content
    from ancrage.programmes.scope import Scope

    scopes = {
        "programme": (Scope(programme), False),
        "programme (lecture seule)": (Scope(programme), True),
        "territoire calme": (Scope(programme, territory_ids=(quiet.pk,)), False),
        "territoires écrits": (Scope(programme, territory_ids=tuple(sorted(written))), False),
        "dernière année scolaire": (
            Scope(programme, school_years=(programme.school_years[-1],)),
            False,
        ),
    }
    different = []
    fresh_programme = None
    for name, (scope, hide_small) in scopes.items():
        fresh = compute_indicators(scope, hide_small=hide_small)
        if cached_indicators(scope, hide_small=hide_small) != fresh:
            different.append(name)
        # What the dashboard read during the writes: the figures without the evaluation's.
        shown = compute_indicators(scope, hide_small=hide_small, evaluation=False)
        if cached_indicators(scope, hide_small=hide_small, evaluation=False) != shown:
            different.append(f"{name} (tableau de bord)")
        # What the dashboard page served: its content, kept apart (indicators/views.py).
        served = cached_indicators(
            scope, hide_small=hide_small, evaluation=False, shape=dashboard_content
        )
        if served != dashboard_content(shown):
            different.append(f"{name} (page du tableau de bord)")
        if name == "programme":
            fresh_programme = fresh
    return {
        "equal": not different,
        "scopes": len(scopes),
        "different": different,
        "professionals": fresh_programme["reach"]["professionals_unique"],
    }


def reports_phase(
    port, cookie, programme, demo_programme, user, count, readers, fmt, think
) -> dict:
    from ancrage.programmes.scope import Scope
    from ancrage.tasks.models import FINISHED, Job
    from ancrage.tasks.services import report_start

    def produced(scopes: list) -> dict:
        """Request the reports together, as the browser does; seconds until each file."""
        start = time.monotonic()
        jobs = [
            report_start(user=user, scope=scope, fmt=fmt, territory="", hide_small=False)
            for scope in scopes
        ]
        done: dict = {}
        while len(done) < len(jobs):
            for job in Job.objects.filter(pk__in=[j.pk for j in jobs], status__in=FINISHED):
                done.setdefault(job.pk, (time.monotonic() - start, job.status))
            time.sleep(0.5)
        return done

    with (
        ServerTimes() as server,
        Readers(port, cookie, f"/?programme={programme.pk}", readers, think) as reading,
    ):
        # The demo programme's report first, alone: what a user of an ordinary programme
        # waits while the national dashboard is read; then the national ones together.
        demo = produced([Scope(demo_programme)]) if demo_programme else {}
        done = produced([Scope(programme)] * count)
    p50, p95, n = reading.percentiles()
    server_p50, server_p95 = server.percentiles()
    return {
        "server_p50": server_p50,
        "server_p95": server_p95,
        "times": sorted(t for t, _status in done.values()),
        "demo": [(round(t), status) for t, status in demo.values()],
        "statuses": sorted({status for _t, status in done.values()}),
        "p50": p50,
        "p95": p95,
        "requests": n,
        "errors": reading.errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Ancrage en fonctionnement sur PostgreSQL : import, tableau de bord pendant "
        "des écritures, rapports produits par le processus de tâches pendant des lectures."
    )
    parser.add_argument("--scale", type=float, default=0.05, help="échelle (1 = national)")
    parser.add_argument("--duration", type=int, default=60, help="durée des écritures (s)")
    parser.add_argument("--readers", type=int, default=30, help="lecteurs pendant les rapports")
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="secondes entre deux pages d'un lecteur pendant les rapports, en moyenne (une "
        "personne lit la page ; 0,15 en fait un test de saturation, où le processus de tâches, "
        "de priorité abaissée, n'avance presque plus)",
    )
    parser.add_argument(
        "--write-readers", type=int, default=4, help="lecteurs pendant les écritures"
    )
    parser.add_argument("--reports", type=int, default=3, help="rapports demandés ensemble")
    parser.add_argument("--format", default="pdf", help="format des rapports")
    parser.add_argument("--web-workers", type=int, default=3, help="processus gunicorn")
    parser.add_argument("--reuse", action="store_true", help="garde la base déjà importée")
    parser.add_argument("--keep", type=Path, help="dossier des données générées (gardé)")
    parser.add_argument("--import-only", action="store_true", help="mesure l'import seulement")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="ancrage-bench-ops-"))
    data = work / "data"
    imported = None
    if not args.reuse:
        if not (data / "participations.csv").exists():
            generate(data, args.scale)
        imported = timed_import(data)
        seconds, megabytes, rows = imported
        print(
            f"import : {seconds:.0f} s, {fr(rows)} lignes, {fr(rows / seconds)} lignes/s, "
            f"mémoire maximale {fr(megabytes)} Mo",
            flush=True,
        )
        if args.import_only:
            return

    if args.reuse:
        subprocess.run([*ANCRAGE, "migrate", "-v0"], env=ENV, check=True)
    for key, value in ENV.items():
        os.environ[key] = value
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ancrage.demo.workbook import DEMO_NAME
    from ancrage.programmes.models import Programme

    # The demo programme beside the national one, for the time of an ordinary report.
    subprocess.run([*ANCRAGE, "demo", "--si-absent", "-v", "0"], env=ENV, check=True)
    demo_programme = Programme.objects.get(name=DEMO_NAME)
    programme = Programme.objects.exclude(pk=demo_programme.pk).order_by("-created_at").first()
    user, _ = get_user_model().objects.get_or_create(
        username="banc-essai", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    port = free_port()
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ancrage.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--access-logfile",
            str(ACCESS_LOG),
            "--access-logformat",
            "%(U)s %(q)s %(D)s",
        ],
        env=ENV,
    )
    worker = subprocess.Popen([*ANCRAGE, "worker", "-v", "0"], env=ENV)
    try:
        wait_for(port)
        warm_up(port, cookie, f"/?programme={programme.pk}", args.web_workers * 2)
        writes = writes_phase(port, cookie, programme, args.duration, args.write_readers)
        print(f"écritures : {writes}", flush=True)
        reports = reports_phase(
            port,
            cookie,
            programme,
            demo_programme,
            user,
            args.reports,
            args.readers,
            args.format,
            args.think,
        )
        print(f"rapports : {reports}", flush=True)
    finally:
        for process in (worker, web):
            process.terminate()
        for process in (worker, web):
            process.wait(timeout=300)
        shutil.rmtree(CACHE_DIR, ignore_errors=True)
        shutil.rmtree(MEDIA, ignore_errors=True)
        ACCESS_LOG.unlink(missing_ok=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nÉchelle {args.scale} ; machine : {os.cpu_count()} cœurs ; PostgreSQL ; "
        f"{args.web_workers} processus gunicorn × 2 fils, 1 processus de tâches\n"
    )
    print("| mesure | valeur |")
    print("|---|---|")
    if imported:
        seconds, megabytes, rows = imported
        print(
            f"| import ({fr(rows)} lignes) | {seconds:.0f} s, {fr(rows / seconds)} lignes/s, "
            f"{fr(megabytes)} Mo de pointe |"
        )
    print(
        f"| tableau de bord du programme pendant {writes['writes']} écritures (1/s, "
        f"{args.write_readers} lecteurs) | p50 {writes['p50']:.0f} ms, p95 "
        f"{writes['p95']:.0f} ms ({writes['requests']} requêtes, {writes['errors']} erreurs) ; "
        f"temps serveur p50 {writes['server_p50']:.0f} ms, p95 {writes['server_p95']:.0f} ms |"
    )
    print(
        f"| tableau de bord d'un territoire où personne n'écrit, pendant ces écritures "
        f"(2 lecteurs) | p50 {writes['local_p50']:.0f} ms, p95 {writes['local_p95']:.0f} ms "
        f"({writes['local_requests']} requêtes) |"
    )
    print(
        f"| une écriture (action, structures, 4 participant·es) | p50 "
        f"{writes['write_p50']:.0f} ms |"
    )
    verdict = "oui" if writes["equal"] else "NON : " + ", ".join(writes["different"])
    print(
        f"| chaque chiffre servi = calcul neuf après les écritures "
        f"({writes['scopes']} périmètres) | {verdict} |"
    )
    for seconds, status in reports["demo"]:
        print(
            f"| rapport {args.format.upper()} du programme de démonstration : temps jusqu'au "
            f"fichier, pendant la lecture du tableau de bord national | {seconds} s ({status}) |"
        )
    times = ", ".join(f"{t:.0f} s" for t in reports["times"])
    print(
        f"| {args.reports} rapports {args.format.upper()} demandés ensemble : temps jusqu'au "
        f"fichier | {times} ({', '.join(reports['statuses'])}) |"
    )
    print(
        f"| tableau de bord pendant les rapports ({args.readers} lecteurs, une page toutes les "
        f"{args.think / 3:.1f} à {args.think * 5 / 3:.1f} s chacun) | p50 "
        f"{reports['p50']:.0f} ms, p95 {reports['p95']:.0f} ms ({reports['requests']} "
        f"requêtes, {reports['errors']} erreurs) ; temps serveur p50 "
        f"{reports['server_p50']:.0f} ms, p95 {reports['server_p95']:.0f} ms |"
    )


if __name__ == "__main__":
    main()
