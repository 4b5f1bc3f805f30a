"""Production lives in the project's files: the `production` extra, the service units in
deploy/ and the commands they start."""

import shlex
import tomllib
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def unit_commands(name: str) -> list[list[str]]:
    lines = (ROOT / "deploy" / name).read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        shlex.split(line.split("=", 1)[1])
        for line in lines.splitlines()
        if line.startswith(("ExecStart=", "ExecStartPre="))
    ]


def test_the_production_extra_brings_gunicorn_and_redis():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = " ".join(project["optional-dependencies"]["production"])
    assert "gunicorn" in extra and "redis" in extra
    assert any(d.startswith("django-tasks-db") for d in project["dependencies"])


def test_every_ancrage_command_the_units_start_exists():
    commands = get_commands()
    started = [
        argv[1]
        for unit in ("ancrage-web.service", "ancrage-worker@.service")
        for argv in unit_commands(unit)
        if argv[0].endswith("/ancrage")
    ]
    assert "worker" in started and "migrate" in started
    assert set(started) <= set(commands)


def test_the_web_unit_serves_the_wsgi_application_with_short_requests():
    (gunicorn,) = [a for a in unit_commands("ancrage-web.service") if "gunicorn" in a[0]]
    assert gunicorn[1] == "ancrage.wsgi"
    timeout = int(gunicorn[gunicorn.index("--timeout") + 1])
    assert timeout <= 30  # long work runs in the workers, not in a request
