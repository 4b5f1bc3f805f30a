from django.conf import settings
from django.core.management.base import CommandError

from ancrage.audit.services import expired_snapshots, snapshots_purge
from ancrage.core.commands import AncrageCommand


class Command(AncrageCommand):
    help = (
        "Purge du journal : une action supprimée y est gardée en entier (participations, "
        "collectes, réponses) pour pouvoir la restaurer pendant ANCRAGE_DELETION_RETENTION_DAYS "
        "jours (365 par défaut, 0 : pour toujours). Au-delà, ce qui était gardé est effacé, "
        "avec les versions de ces lignes dans les tables d'historique ; l'entrée du journal reste "
        "(qui a supprimé quoi, quand, avec quels nombres) mais l'action ne peut plus être "
        "restaurée. À lancer chaque nuit (cron), comme « ancrage backup »."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jours",
            type=int,
            metavar="N",
            dest="days",
            help="durée de conservation en jours, au lieu de ANCRAGE_DELETION_RETENTION_DAYS",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="affiche ce qui serait purgé, sans rien effacer",
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        if days is not None and days < 1:
            raise CommandError("--jours : un nombre de jours d'au moins 1")
        kept = settings.ANCRAGE_DELETION_RETENTION_DAYS if days is None else days
        if kept <= 0:
            self.stdout.write("Conservation sans limite (ANCRAGE_DELETION_RETENTION_DAYS=0).")
            return
        if dry_run:
            count = expired_snapshots(days=kept).count()
            self.stdout.write(
                f"{count} suppression(s) de plus de {kept} jours seraient purgées "
                "(rien n'a été effacé)."
            )
            return
        count, versions = snapshots_purge(days=kept)
        self.stdout.write(
            self.style.SUCCESS(f"{count} suppression(s) de plus de {kept} jours purgée(s)")
            + f", {versions} version(s) effacée(s) des tables d'historique"
            + " : leurs entrées restent au journal, elles ne peuvent plus être restaurées."
        )
