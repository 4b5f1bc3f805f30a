"""The `ancrage` console script: Django's manage.py, installed as a command."""

import os
import sys

# Ancrage's own commands, listed in French by `ancrage`, `ancrage --help` or `ancrage help`.
ANCRAGE_COMMANDS = {
    "start": "met à jour la base, charge la démonstration et sert l'application",
    "import": "importe un classeur de programme (.xlsx ou dossier de .csv), tout ou rien",
    "export": "exporte un programme au format du classeur",
    "indicators": "calcule les indicateurs (tableau lisible ou --json)",
    "check": "affiche les alertes de qualité des données",
    "demo": "charge le programme de démonstration (et les réponses à ses questionnaires)",
    "questionnaire_load": "charge un questionnaire écrit en XLSForm",
    "questionnaire_export": "exporte un questionnaire en XLSForm",
    "responses_import": "importe des réponses exportées de Kobo, ODK Central ou LimeSurvey",
    "free_text": "analyse les réponses libres et dessine les nuages de sentiments",
    "report": "produit le rapport d'évaluation (PPTX, PDF, DOCX ou HTML)",
    "worker": "exécute les tâches en arrière-plan (rapports, imports) demandées dans le navigateur",
    "migrate": "crée ou met à jour le schéma de la base",
    "backup": "sauvegarde la base et les fichiers déposés dans une archive",
    "restore": "remet en place une sauvegarde (remplace toutes les données)",
    "purge_journal": "efface du journal les actions supprimées depuis plus que la durée gardée",
}


def french_overview() -> str:
    width = max(len(name) for name in ANCRAGE_COMMANDS)
    lines = [
        "utilisation : ancrage COMMANDE [options]",
        "",
        "Commandes d'Ancrage :",
        *(f"  {name.ljust(width)}  {text}" for name, text in ANCRAGE_COMMANDS.items()),
        "",
        "« ancrage COMMANDE --help » détaille une commande ; « ancrage help --commands » "
        "liste aussi les commandes de Django.",
        "La base est celle de DATABASE_URL (sqlite:///CHEMIN ou postgres://…), sinon la base "
        "SQLite embarquée.",
    ]
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")
    if sys.argv[1:] in ([], ["--help"], ["-h"], ["help"]):
        print(french_overview())
        return
    from django.core.management import execute_from_command_line

    from ancrage.core.commands import french_argparse

    # Django's own commands too (migrate…): argparse's errors in French, as Ancrage's.
    with french_argparse():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
