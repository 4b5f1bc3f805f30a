"""`make run` (ancrage start): it ends on Ancrage's own French lines, the development server's
English banner and request lines quiet; a port already taken is said in French."""

import io
import logging
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.core.management.commands import start
from ancrage.core.management.commands.start import _check_port_free, ready_lines

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_start_ends_on_the_address_and_the_demo_login(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()
    # --demo: the demo is also wanted on PostgreSQL (CI), not only on the embedded SQLite.
    call_command("start", no_server=True, demo=True, stdout=out)
    last = out.getvalue().strip().splitlines()[-3:]
    assert last == [
        "Ancrage est prêt : http://127.0.0.1:8000/",
        "Identifiant de démonstration : demo",
        "Mot de passe de démonstration : demo-ancrage-2025",
    ]


def test_a_port_already_taken_is_said_in_french():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        with pytest.raises(CommandError, match=f"le port {port} est déjà utilisé"):
            _check_port_free("127.0.0.1", port)
    _check_port_free("127.0.0.1", port)  # free again: no error


def test_the_last_lines_say_the_address_and_the_login_or_how_to_make_one():
    assert ready_lines("http://127.0.0.1:8000/", demo=True) == [
        "Ancrage est prêt : http://127.0.0.1:8000/",
        "Identifiant de démonstration : demo",
        "Mot de passe de démonstration : demo-ancrage-2025",
    ]
    first, account = ready_lines("http://0.0.0.0:8001/", demo=False)
    assert first == "Ancrage est prêt : http://0.0.0.0:8001/"
    assert "ancrage createsuperuser" in account and "demo" not in account


def test_make_run_ends_on_its_own_lines_with_the_server_quiet(monkeypatch):
    """The serving path, without serving: the development server and the worker are stand-ins
    that return at once; what `make run` prints last is Ancrage's banner, the server's English
    banner is swallowed and its request log quieted, the worker stopped with the server."""
    calls, workers = {}, []

    def command(name, *args, **options):
        calls[name] = options
        if name == "runserver":  # what Django's server prints, swallowed
            options["stdout"].write("Starting development server at http://127.0.0.1:8000/")

    class Worker:
        def __init__(self, argv):
            self.argv, self.stopped = argv, False
            workers.append(self)

        def terminate(self):
            self.stopped = True

        def wait(self, timeout):
            return 0

    monkeypatch.setattr(start, "call_command", command)
    monkeypatch.setattr(start.subprocess, "Popen", Worker)
    monkeypatch.setattr(start.signal, "signal", lambda *args: None)
    monkeypatch.setenv("ANCRAGE_DEMO_SERVER", "")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    server_log = logging.getLogger("django.server")
    monkeypatch.setattr(server_log, "level", server_log.level)
    with socket.socket() as probe:  # a port free now
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    out = io.StringIO()
    call_command("start", port=port, demo=True, stdout=out)

    shown = out.getvalue()
    assert shown.strip().splitlines()[-3:] == ready_lines(f"http://127.0.0.1:{port}/", True)
    assert "Starting development server" not in shown
    assert calls["runserver"]["use_reloader"] is False
    assert isinstance(calls["runserver"]["stdout"], io.StringIO)
    assert server_log.level == logging.WARNING  # request lines quiet, errors still shown
    (worker,) = workers
    assert worker.argv[-3:] == ["worker", "-v", "0"] and worker.stopped
