from pathlib import Path

from django.core.management.base import CommandError

from ancrage.core.backup import BackupError, backup_restore
from ancrage.core.commands import AncrageCommand


class Command(AncrageCommand):
    help = (
        "Remplace la base de données et les fichiers déposés par ceux d'une sauvegarde faite "
        "avec « ancrage backup ». Tout ou rien. Arrêtez l'application avant de restaurer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="archive de sauvegarde (.tar.gz)")
        parser.add_argument(
            "--oui",
            action="store_true",
            dest="yes",
            help="ne demande pas de confirmation (pour un script)",
        )

    def handle(self, *args, file: str, yes: bool, **options):
        if not yes:
            answer = input(
                "Toutes les données actuelles seront remplacées par la sauvegarde. "
                "Continuer ? [oui/non] "
            )
            if answer.strip().lower() not in {"oui", "o"}:
                raise CommandError("restauration annulée, rien n'a été modifié")
        try:
            manifest = backup_restore(Path(file))
        except BackupError as exc:
            raise CommandError(f"restauration impossible, rien n'a été modifié : {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde du {manifest['date']} restaurée")
            + " : base de données et fichiers déposés."
        )
