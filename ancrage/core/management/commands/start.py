import io
import logging
import signal
import socket
import subprocess
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.core.commands import AncrageCommand

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-ancrage-2025"


class Command(AncrageCommand):
    help = (
        "Lance Ancrage : met à jour la base, charge le programme de démonstration s'il est "
        "absent, affiche ses indicateurs, crée le compte de démonstration et sert l'application."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute")
        parser.add_argument("--port", default="8000", help="port d'écoute")
        parser.add_argument(
            "--sans-serveur",
            action="store_true",
            dest="no_server",
            help="prépare tout mais ne lance pas le serveur",
        )

    def handle(self, *args, host: str, port: str, no_server: bool, **options):
        if not no_server:
            _check_port_free(host, port)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        call_command("demo", if_missing=True, stdout=self.stdout)
        call_command("indicators", stdout=self.stdout)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        url = f"http://{host}:{port}/"
        self.stdout.write(
            self.style.SUCCESS(f"\nAncrage est prêt : {url}")
            + f"\nIdentifiant de démonstration : {DEMO_USERNAME}"
            + f"\nMot de passe de démonstration : {DEMO_PASSWORD}\n"
        )
        if not no_server:
            # Reports and imports asked in the browser run in a worker beside the web server.
            worker = subprocess.Popen([sys.executable, "-m", "ancrage.manage", "worker", "-v", "0"])
            # Stopped by SIGTERM as by Ctrl-C: the worker is stopped with the server.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            # The development server's English banner and request lines stay quiet: the last
            # lines shown are Ancrage's own (address and login); errors still show.
            import ancrage.wsgi  # noqa: F401  (sets logging up once, before it is quieted)

            logging.getLogger("django.server").setLevel(logging.WARNING)
            try:
                call_command(
                    "runserver",
                    f"{host}:{port}",
                    use_reloader=False,
                    skip_checks=True,
                    stdout=io.StringIO(),
                )
            finally:
                worker.terminate()
                worker.wait(timeout=30)


def _check_port_free(host: str, port: str) -> None:
    """Says in French, before anything starts, that the address is taken."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, int(port)))
        except OSError:
            raise CommandError(
                f"le port {port} est déjà utilisé sur {host} : arrêtez l'autre serveur ou "
                f"choisissez un autre port (make run PORT=8001)"
            ) from None
