"""Writes kobo_atelier_tous_types.xlsx: a form laid out as KoboToolbox's « Télécharger XLS »
writes it (survey, choices, settings; `$kuid` columns), with every question type a Kobo user
meets: metadata, note, calculate, date, time, dateTime, decimal, integer, text, locations,
media, barcode, or_other, a cascading select (choice_filter) with a duplicate choice name
allowed by allow_choice_duplicates, a group and a repeat.

Also writes kobo_information_notes.xlsx, an information and consent sheet of notes and metadata
alone (nothing to analyse), and odk_settings_english.xlsx, whose Ancrage columns are typed as
labels, in English or loosely (`Children`, `Co intervention`, `TRUE`, `Satisfaction`, `Yes`).

Run: .venv/bin/python tests/data/xlsform/build_kobo_form.py
"""

from pathlib import Path

from openpyxl import Workbook

SURVEY = [
    ("start", "start", "", "", "", "", ""),
    ("end", "end", "", "", "", "", ""),
    ("today", "today", "", "", "", "", ""),
    ("deviceid", "deviceid", "", "", "", "", ""),
    ("username", "username", "", "", "", "", ""),
    ("audit", "audit", "", "", "", "", ""),
    ("phonenumber", "phonenumber", "", "", "", "", ""),
    ("note", "accueil", "Merci de répondre à ces questions sur l'atelier.", "", "", "", ""),
    ("date", "date_atelier", "Date de l'atelier", "true", "", "", ""),
    ("time", "heure_debut", "Heure de début", "false", "", "", ""),
    ("decimal", "duree", "Durée de l'atelier (heures)", "false", "", "", ""),
    ("integer", "age", "Quel âge as-tu ?", "false", "", "", ""),
    ("calculate", "age_mois", "", "", "", "${age} * 12", ""),
    ("geopoint", "lieu", "Lieu de l'atelier", "false", "", "", ""),
    ("geotrace", "trajet", "Trajet jusqu'à l'atelier", "false", "", "", ""),
    ("geoshape", "zone", "Zone de l'école", "false", "", "", ""),
    ("image", "photo", "Photo de la classe", "false", "", "", ""),
    ("audio", "voix", "Enregistre un message", "false", "", "", ""),
    ("video", "film", "Vidéo de l'atelier", "false", "", "", ""),
    ("file", "piece_jointe", "Pièce jointe", "false", "", "", ""),
    ("barcode", "code_barre", "Code-barres du livret", "false", "", "", ""),
    ("begin_group", "ressenti", "Ce que tu as ressenti", "", "", "", ""),
    ("select_one satisf", "aime", "As-tu aimé l'atelier ?", "true", "", "", "satisfaction"),
    (
        "select_one emotions or_other",
        "emotion",
        "Quelle émotion as-tu ressentie ?",
        "false",
        "",
        "",
        "",
    ),
    ("select_multiple activites", "prefere", "Qu'as-tu préféré ?", "false", "", "", ""),
    ("end_group", "", "", "", "", "", ""),
    ("select_one departements", "departement", "Ton département", "false", "", "", ""),
    ("select_one villes", "ville", "Ta ville", "false", "dep=${departement}", "", ""),
    ("begin_repeat", "seances", "Chaque séance", "", "", "", ""),
    ("select_one satisf", "seance_aime", "As-tu aimé cette séance ?", "false", "", "", ""),
    ("decimal", "seance_duree", "Durée de la séance (heures)", "false", "", "", ""),
    ("end_repeat", "", "", "", "", "", ""),
    ("dateTime", "fin_saisie", "Fin de la saisie", "false", "", "", ""),
    ("text", "mot", "Un mot pour finir ?", "false", "", "", ""),
]
CHOICES = [
    ("satisf", "1", "Pas du tout", "", ""),
    ("satisf", "2", "Un peu", "", ""),
    ("satisf", "3", "Beaucoup", "oui", ""),
    ("satisf", "4", "Énormément", "oui", ""),
    ("emotions", "joie", "Joie", "", ""),
    ("emotions", "colere", "Colère", "", ""),
    ("emotions", "peur", "Peur", "", ""),
    ("activites", "jeux", "Les jeux", "", ""),
    ("activites", "histoires", "Les histoires", "", ""),
    ("activites", "dessins", "Les dessins", "", ""),
    ("departements", "26", "Drôme", "", ""),
    ("departements", "07", "Ardèche", "", ""),
    ("villes", "valence", "Valence", "", "26"),
    ("villes", "saint_jean", "Saint-Jean-en-Royans", "", "26"),
    ("villes", "saint_jean", "Saint-Jean-de-Muzols", "", "07"),
    ("villes", "annonay", "Annonay", "", "07"),
]


def build(path: Path) -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label", "required", "choice_filter", "calculation", "categorie", "$kuid"]
    )
    for number, row in enumerate(SURVEY):
        survey.append([*row, f"k{number:04x}" if row[1] else ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "favorable", "dep", "$kuid"])
    for number, row in enumerate(CHOICES):
        choices.append([*row, f"c{number:04x}"])
    settings = book.create_sheet("settings")
    settings.append(
        ["form_title", "form_id", "version", "allow_choice_duplicates", "public", "modalite"]
    )
    settings.append(
        [
            "Atelier CPS – retour des enfants",
            "atelier_cps_kobo",
            "vKdQ3Hf7z9XcB2",
            "yes",
            "enfants",
            "co_intervention",
        ]
    )
    book.save(path)


def build_notes_only(path: Path) -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "calculation", "$kuid"])
    for number, row in enumerate(
        [
            ("start", "start", "", "", ""),
            ("end", "end", "", "", ""),
            ("today", "today", "", "", ""),
            ("deviceid", "deviceid", "", "", ""),
            ("note", "bienvenue", "Bienvenue à l'atelier parents.", "", ""),
            ("note", "consentement", "Vos réponses restent anonymes.", "", ""),
            ("calculate", "jour", "", "", "today()"),
        ]
    ):
        survey.append([*row, f"n{number:04x}"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "public", "modalite", "appariement"])
    settings.append(
        [
            "Atelier parents – information",
            "information_parents",
            "v1",
            "Parents",
            "ACTION PARENTALITÉ",
            "Non",
        ]
    )
    book.save(path)


def build_english_settings(path: Path) -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "required", "categorie"])
    survey.append(
        ["select_one agree", "liked", "Did you like the workshop?", "yes", "Satisfaction"]
    )
    survey.append(["integer", "age", "How old are you?", "no", "Effect"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "favorable"])
    choices.append(["agree", "no", "No", "No"])
    choices.append(["agree", "yes", "Yes", "Yes"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "public", "modalite", "appariement"])
    settings.append(
        ["Workshop feedback", "feedback_en", "2024011501", "Children", "Co intervention", "TRUE"]
    )
    book.save(path)


if __name__ == "__main__":
    here = Path(__file__).parent
    build(here / "kobo_atelier_tous_types.xlsx")
    build_notes_only(here / "kobo_information_notes.xlsx")
    build_english_settings(here / "odk_settings_english.xlsx")
