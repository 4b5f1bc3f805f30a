from pathlib import Path

from ancrage.core.commands import AncrageCommand
from ancrage.core.numbers import fr_int
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.programmes.scope import Scope
from ancrage.surveys.selectors import free_text, get_questionnaire
from ancrage.surveys.text import TextSummary, word_cloud_png

TONES = {"positive": "positif", "neutral": "neutre", "negative": "négatif"}


class Command(AncrageCommand):
    help = (
        "Analyse les réponses libres d'un questionnaire : termes les plus fréquents (lemmatisés, "
        "mots vides retirés), expressions, verbatims, tonalité de chaque réponse ; écrit un "
        "nuage de sentiments par question avec --nuages DOSSIER."
    )

    def add_arguments(self, parser):
        parser.add_argument("form_id", metavar="FORMULAIRE", help="identifiant du formulaire")
        add_programme_argument(parser)
        parser.add_argument("--nuages", metavar="DOSSIER", help="dossier des images PNG")
        parser.add_argument("--termes", type=int, default=10, help="nombre de termes affichés")

    def handle(self, *args, form_id: str, programme, nuages, termes: int, **options):
        chosen = get_programme(programme)
        questionnaire = get_questionnaire(chosen, form_id)
        for name, result in free_text(Scope(chosen), questionnaire.pk).items():
            tones = ", ".join(f"{TONES[k]} {v}" for k, v in result["sentiment"].items())
            answers = fr_int(result["answers"])
            self.stdout.write(f"\n{result['label']} ({answers} réponses : {tones})")
            for term in (result["bigrams"] + result["terms"])[:termes]:
                example = term["verbatims"][0] if term["verbatims"] else ""
                self.stdout.write(f"  {term['term']:<24} {fr_int(term['count']):>5}  « {example} »")
            if nuages:
                folder = Path(nuages)
                folder.mkdir(parents=True, exist_ok=True)
                summary = TextSummary(terms=result["terms"], bigrams=result["bigrams"])
                path = folder / f"{form_id}_{name}.png"
                path.write_bytes(word_cloud_png(summary))
                self.stdout.write(f"  nuage : {path}")
