"""What every Ancrage command shares: French help, the lower layers' errors said as French
command errors (the --programme and --territory/--years
options are in `ancrage/programmes/commands.py`)."""

import argparse
import sys
from contextlib import contextmanager

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


# Argparse's own messages (its gettext msgids, Python 3.11), said in French: argparse reads
# them through its module's `_` and `ngettext`, which french_argparse() swaps while a command's
# parser speaks. Unknown msgids stay as argparse writes them.
ARGPARSE_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (au choix : %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "une valeur au plus attendue",
    "expected at least one argument": "une valeur au moins attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "valeur ignorée : %r",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}
ARGPARSE_FRENCH_PLURAL = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
}


def _french(message: str) -> str:
    return ARGPARSE_FRENCH.get(message, message)


def _french_plural(singular: str, plural: str, n: int) -> str:
    one, many = ARGPARSE_FRENCH_PLURAL.get(singular, (singular, plural))
    return one if n == 1 else many


@contextmanager
def french_argparse():
    """Argparse says its messages in French meanwhile (the parsing of a command's arguments,
    its help, its errors); reentrant."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _french, _french_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class FrenchCommandParser(CommandParser):
    """A command's parser that speaks French: a missing or unknown argument, an invalid
    choice print the usage and « erreur : … » on stderr and exit with status 2 (argparse's
    convention), without a traceback; called from code, the same words as a CommandError."""

    def parse_args(self, args=None, namespace=None):
        with french_argparse():
            return super().parse_args(args, namespace)

    def format_usage(self):
        with french_argparse():
            return super().format_usage()

    def format_help(self):
        with french_argparse():
            return super().format_help()

    def error(self, message):
        if self.called_from_command_line:
            with french_argparse():
                argparse.ArgumentParser.error(self, message)
        raise CommandError(f"Erreur : {message}")


class FrenchHelpMixin:
    """Argparse's own words ("usage", "options"…) and its errors in French."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = (
            FrenchCommandParser  # Django builds a CommandParser; this one speaks French
        )
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
