from pathlib import Path

from django.core.management.base import CommandError

from ancrage.core.backup import BackupError, backup_create
from ancrage.core.commands import AncrageCommand


class Command(AncrageCommand):
    help = (
        "Sauvegarde toute l'application dans une archive .tar.gz : la base de données (copie "
        "cohérente prise pendant que l'application tourne) et les fichiers déposés. "
        "À lancer chaque nuit (cron) ; voir « ancrage restore » pour la remettre en place."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="archive à écrire (.tar.gz)")

    def handle(self, *args, file: str, **options):
        try:
            manifest = backup_create(Path(file))
        except BackupError as exc:
            raise CommandError(f"sauvegarde impossible : {exc}") from None
        size = Path(file).stat().st_size / 1e6
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde écrite : {file}")
            + f" (base {manifest['base']}, {size:.1f} Mo, {manifest['date']})."
        )
