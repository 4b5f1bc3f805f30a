from django.core.management.commands.check import Command as SystemCheckCommand

from ancrage.core.commands import FrenchHelpMixin
from ancrage.indicators.quality import quality_refresh
from ancrage.programmes.commands import add_programme_argument, get_programme


class Command(FrenchHelpMixin, SystemCheckCommand):
    help = (
        "Vérifie la qualité des données d'un programme et affiche les alertes (elles ne bloquent "
        "pas l'import) : structure hors territoire, co-intervention sans enfants, action hors des "
        "dates, objectif sans action, total déclaré différent du total calculé. Avec --systeme, "
        "--deploy ou --tag : les vérifications de Django (réglages, sécurité) à la place."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_programme_argument(parser)
        parser.add_argument(
            "--systeme",
            action="store_true",
            help="vérifications du système Django (réglages, sécurité) au lieu des données",
        )

    def handle(self, *app_labels, programme: str | None, systeme: bool, **options):
        if systeme or options["deploy"] or options["tags"] or options["list_tags"] or app_labels:
            return super().handle(*app_labels, **options)
        chosen = get_programme(programme)
        warnings = quality_refresh(chosen)
        for warning in warnings:
            self.stdout.write(f"{warning.sheet}:{warning.reference}: {warning.message}")
        summary = f"{len(warnings)} alerte(s) qualité pour « {chosen.name} »."
        self.stdout.write(self.style.WARNING(summary) if warnings else self.style.SUCCESS(summary))
