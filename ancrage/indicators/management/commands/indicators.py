import json

from ancrage.core.commands import AncrageCommand
from ancrage.indicators.selectors import compute_indicators
from ancrage.indicators.tables import indicator_table
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.programmes.scope import Scope


class Command(AncrageCommand):
    help = (
        "Calcule les indicateurs du programme (réalisations, publics touchés, gouvernance, "
        "objectifs), pour tout le programme et par territoire."
    )

    def add_arguments(self, parser):
        add_programme_argument(parser)
        parser.add_argument(
            "--json", action="store_true", help="sortie JSON (clés du contrat du classeur)"
        )

    def handle(self, *args, programme: str | None, json: bool, **options):
        figures = compute_indicators(Scope(get_programme(programme)))
        if json:
            self.stdout.write(_dumps(figures))
        else:
            self.stdout.write(indicator_table(figures))


def _dumps(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)
