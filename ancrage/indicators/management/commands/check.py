from ancrage.core.commands import AncrageCommand, add_programme_argument, get_programme
from ancrage.indicators.quality import quality_refresh


class Command(AncrageCommand):
    help = (
        "Vérifie la qualité des données d'un programme et affiche les alertes (elles ne bloquent "
        "pas l'import) : structure hors territoire, co-intervention sans enfants, action hors des "
        "dates, objectif sans action, total déclaré différent du total calculé."
    )

    def add_arguments(self, parser):
        add_programme_argument(parser)

    def handle(self, *args, programme: str | None, **options):
        chosen = get_programme(programme)
        warnings = quality_refresh(chosen)
        for warning in warnings:
            self.stdout.write(f"{warning.sheet}:{warning.reference}: {warning.message}")
        summary = f"{len(warnings)} alerte(s) qualité pour « {chosen.name} »."
        self.stdout.write(self.style.WARNING(summary) if warnings else self.style.SUCCESS(summary))
