"""`make run` (ancrage start): it ends on Ancrage's own French lines, the development server's
English banner and request lines quiet; a port already taken is said in French."""

import io
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.core.management.commands.start import _check_port_free

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
