"""Read and write questionnaires as XLSForm (`survey`, `choices`, `settings` sheets).

Ancrage reads four question types (select_one, select_multiple, integer, text) inside groups, and
three columns of its own that Kobo and ODK keep untouched: `favorable` in `choices` (the answers
that count as satisfied or positive), `categorie` in `survey` (satisfaction or effet), and
`public`, `modalite`, `appariement` in `settings`.
"""

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from pyxform import xls2xform
from pyxform.errors import PyXFormError

from ancrage.activities.vocabulary import Modality

from .models import Category, Public, QuestionKind

TYPES = {
    "select one": QuestionKind.SELECT_ONE,
    "select all that apply": QuestionKind.SELECT_MULTIPLE,
    "integer": QuestionKind.INTEGER,
    "text": QuestionKind.TEXT,
}
# Types that carry no answer to analyse: accepted and left aside.
SILENT_TYPES = {"note", "calculate", "start", "end", "today", "deviceid", "username"}
YES = {"oui", "yes", "true", "1", "vrai", "x"}
# Column names that response files use for the action and the anonymous pairing.
RESERVED_NAMES = {"action", "code_anonyme", "moment"}


class XLSFormInvalid(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedChoice:
    name: str
    label: str
    favorable: bool


@dataclass
class ParsedQuestion:
    name: str
    path: str
    group_label: str
    kind: str
    label: str
    list_name: str
    required: bool
    category: str
    choices: list[ParsedChoice] = field(default_factory=list)


@dataclass
class ParsedForm:
    form_id: str
    title: str
    version: str
    public: str
    modality: str
    pairing: bool
    questions: list[ParsedQuestion]


def _label(value) -> str:
    if isinstance(value, dict):  # translated labels: French first, else the first language
        for key in value:
            if "fr" in key.lower():
                return str(value[key])
        return str(next(iter(value.values()), ""))
    return str(value or "")


def parse_xlsform(data: bytes, *, public: str = "", modality: str = "") -> ParsedForm:
    try:
        result = xls2xform.convert(xlsform=io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormInvalid([f"XLSForm invalide : {exc}"]) from None
    except Exception as exc:  # a file that is not a workbook at all
        raise XLSFormInvalid([f"fichier illisible comme XLSForm .xlsx ({exc})"]) from None
    form = result._pyxform
    settings = _settings(data)
    problems = []
    public = public or settings.get("public", "")
    modality = modality or settings.get("modalite", "")
    if public not in Public.values:
        problems.append(
            f"settings:2:public: « {public} » inconnu : valeurs possibles "
            f"{', '.join(Public.values)}"
        )
    if modality not in Modality.values:
        problems.append(
            f"settings:2:modalite: « {modality} » inconnue : valeurs possibles "
            f"{', '.join(Modality.values)}"
        )
    questions: list[ParsedQuestion] = []
    _walk(form.get("children", []), [], [], questions, problems)
    if not questions:
        problems.append("survey:-:-: aucune question à analyser")
    if problems:
        raise XLSFormInvalid(problems)
    return ParsedForm(
        form_id=str(form.get("id_string") or form.get("name")),
        title=_label(form.get("title")) or str(form.get("id_string")),
        version=str(form.get("version") or ""),
        public=public,
        modality=modality,
        pairing=settings.get("appariement", "").lower() in YES,
        questions=questions,
    )


def _walk(children, path, labels, questions, problems) -> None:
    for child in children:
        kind = child.get("type", "")
        name = child.get("name", "")
        if kind in {"group", "repeat"}:
            if child.get("control", {}).get("bodyless"):  # the `meta` group
                continue
            _walk(
                child.get("children", []),
                [*path, name],
                [*labels, _label(child.get("label"))],
                questions,
                problems,
            )
        elif kind in TYPES and name in RESERVED_NAMES:
            problems.append(
                f"survey:-:name: « {name} » est réservé aux colonnes des réponses (action, "
                "code_anonyme, moment) : renommez la question"
            )
        elif kind in TYPES:
            category = str(child.get("categorie", "")).strip().lower()
            if category and category not in Category.values:
                problems.append(
                    f"survey:-:categorie: « {category} » inconnue pour « {name} » : valeurs "
                    f"possibles {', '.join(Category.values)}"
                )
            questions.append(
                ParsedQuestion(
                    name=name,
                    path="/".join([*path, name]),
                    group_label=" / ".join(label for label in labels if label),
                    kind=TYPES[kind],
                    label=_label(child.get("label")) or name,
                    list_name=str(child.get("list_name", "")),
                    required=str(child.get("bind", {}).get("required", "")).lower()
                    in YES | {"true()"},
                    category=category,
                    choices=[
                        ParsedChoice(
                            str(c["name"]),
                            _label(c.get("label")) or str(c["name"]),
                            str(c.get("favorable", "")).strip().lower() in YES,
                        )
                        for c in child.get("choices", [])
                    ],
                )
            )
        elif kind not in SILENT_TYPES:
            problems.append(
                f"survey:-:type: type « {kind} » de « {name} » non pris en charge (choix unique, "
                "choix multiple, nombre entier, texte)"
            )


def _settings(data: bytes) -> dict[str, str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if "settings" not in book.sheetnames:
            return {}
        rows = list(book["settings"].iter_rows(max_row=2, values_only=True))
    finally:
        book.close()
    if len(rows) < 2:
        return {}
    return {
        str(k).strip().lower(): str(v).strip()
        for k, v in zip(rows[0], rows[1], strict=False)
        if k and v is not None
    }


def write_xlsform(questionnaire) -> bytes:
    """The questionnaire as an XLSForm again, with the labels as edited in Ancrage."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "categorie"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "favorable"])
    open_groups: list[str] = []
    written_lists: set[str] = set()
    kinds = {QuestionKind.SELECT_ONE: "select_one", QuestionKind.SELECT_MULTIPLE: "select_multiple"}
    for question in questionnaire.questions.prefetch_related("choices"):
        groups = question.path.split("/")[:-1]
        group_labels = question.group_label.split(" / ") if question.group_label else []
        while open_groups and open_groups != groups[: len(open_groups)]:
            survey.append(["end_group", "", "", "", ""])
            open_groups.pop()
        for depth in range(len(open_groups), len(groups)):
            label = group_labels[depth] if depth < len(group_labels) else ""
            survey.append(["begin_group", groups[depth], label, "", ""])
            open_groups.append(groups[depth])
        kind = question.kind
        type_cell = f"{kinds[kind]} {question.list_name}" if kind in kinds else kind
        survey.append(
            [
                type_cell,
                question.name,
                question.label,
                "yes" if question.required else "",
                question.category,
            ]
        )
        if kind in kinds and question.list_name not in written_lists:
            written_lists.add(question.list_name)
            for choice in question.choices.all():
                choices.append(
                    [
                        question.list_name,
                        choice.name,
                        choice.label,
                        "oui" if choice.favorable else "",
                    ]
                )
    for _ in open_groups:
        survey.append(["end_group", "", "", "", ""])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "public", "modalite", "appariement"])
    settings.append(
        [
            questionnaire.title,
            questionnaire.form_id,
            questionnaire.version,
            questionnaire.public,
            questionnaire.modality,
            "oui" if questionnaire.pairing else "",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
