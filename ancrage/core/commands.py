"""What every Ancrage command shares: French help, the lower layers' errors said as French
command errors (the --programme and --territory/--years
options are in `ancrage/programmes/commands.py`)."""

import sys

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
    SystemCheckError,
)

from .errors import NotFound

# Django's own options, said in French.
DJANGO_OPTION_HELP = {
    "help": "affiche cette aide et quitte",
    "verbosity": "niveau de détail : 0 silencieux, 1 normal, 2 et 3 très détaillé",
    "settings": "module de réglages Python (sinon DJANGO_SETTINGS_MODULE)",
    "pythonpath": "dossier à ajouter au chemin Python",
    "traceback": "affiche la pile d'appels en cas d'erreur",
    "no_color": "sortie sans couleurs",
    "force_color": "force les couleurs",
    "skip_checks": "ne lance pas les vérifications du système",
    "version": "affiche la version et quitte",
    "args": "étiquettes d'applications à vérifier",
    "tags": "ne lance que les vérifications de cette étiquette",
    "list_tags": "liste les étiquettes de vérification",
    "deploy": "vérifications des réglages de production (sécurité)",
    "fail_level": "niveau de message qui fait échouer la commande",
    "databases": "bases de données à vérifier",
}


class FrenchHelpMixin:
    """Argparse's own words ("usage", "options"…) in French, for `--help`."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser._positionals.title = "arguments"
        parser._optionals.title = "options"
        for action in parser._actions:
            action.help = DJANGO_OPTION_HELP.get(action.dest, action.help)
        parser.formatter_class = FrenchHelpFormatter
        return parser


class FrenchHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="utilisation : ")


class AncrageCommand(FrenchHelpMixin, BaseCommand):
    def execute(self, *args, **options):
        # A selector's « not found » is the command line's French error, not a traceback.
        try:
            return super().execute(*args, **options)
        except NotFound as missing:
            error = CommandError(str(missing))
        except CommandError as raised:
            error = raised
        if self._said_in_french(error, options):
            # Django would print it after its class name (« CommandError: … »).
            self.stderr.write(f"Erreur : {error}")
            sys.exit(error.returncode)
        raise error from None

    def _said_in_french(self, error: CommandError, options: dict) -> bool:
        """Typed in a terminal, without --traceback: the message alone, in French words."""
        called = getattr(self, "_called_from_command_line", False)
        return called and not options.get("traceback") and not isinstance(error, SystemCheckError)
