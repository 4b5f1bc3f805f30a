import io
import logging
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.core.commands import AncrageCommand

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-ancrage-2025"


def demonstration_mode(asked: bool) -> bool:
    """The demonstration (its programme, the account demo / demo-ancrage-2025) is only for a
    local try-out: the embedded SQLite database of `make run`, or another base with --demo;
    never when SECRET_KEY is set, which is what a production installation does."""
    if os.environ.get("SECRET_KEY"):
        return False
    return settings.EMBEDDED_DATABASE or asked


def demo_account_disable(stdout) -> None:
    """A demonstration account left with its published password is closed."""
    user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    if user is not None and user.check_password(DEMO_PASSWORD):
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
        stdout.write("Le compte de démonstration de cette base a été désactivé.")


def ready_lines(url: str, demo: bool) -> list[str]:
    """The last lines `make run` prints: where Ancrage answers and how to sign in."""
    if demo:
        return [
            f"Ancrage est prêt : {url}",
            f"Identifiant de démonstration : {DEMO_USERNAME}",
            f"Mot de passe de démonstration : {DEMO_PASSWORD}",
        ]
    return [
        f"Ancrage est prêt : {url}",
        "Pas de compte de démonstration sur cette base : créez un compte d'administration "
        "avec « ancrage createsuperuser ».",
    ]


class Command(AncrageCommand):
    help = (
        "Lance Ancrage : met à jour la base, charge le programme de démonstration s'il est "
        "absent, affiche ses indicateurs, crée le compte de démonstration et sert l'application."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute")
        parser.add_argument("--port", default="8000", help="port d'écoute")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="mode démonstration sur une autre base que la base SQLite embarquée (jamais "
            "quand SECRET_KEY est définie, c'est-à-dire en production)",
        )
        parser.add_argument(
            "--sans-serveur",
            action="store_true",
            dest="no_server",
            help="prépare tout mais ne lance pas le serveur",
        )

    def handle(self, *args, host: str, port: str, no_server: bool, demo: bool, **options):
        if not no_server:
            _check_port_free(host, port)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        url = f"http://{host}:{port}/"
        demo = demonstration_mode(demo)
        if demo:
            os.environ["ANCRAGE_DEMO_SERVER"] = "1"  # the development key may serve (wsgi.py)
            call_command("demo", if_missing=True, stdout=self.stdout)
            call_command("indicators", stdout=self.stdout)
            user, _ = get_user_model().objects.get_or_create(
                username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        else:
            demo_account_disable(self.stdout)
        first, *others = ready_lines(url, demo)
        self.stdout.write(
            "\n" + self.style.SUCCESS(first) + "".join(f"\n{line}" for line in others)
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
