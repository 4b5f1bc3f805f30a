"""Read and write questionnaires as XLSForm (`survey`, `choices`, `settings` sheets).

Any form KoboToolbox or ODK accepts (.xlsx or .xls) loads. Each field falls in one of four
families (see `_family`):
- analysed: select_one, select_multiple, integer, decimal (and range), text, date, time, dateTime;
- left aside in silence: metadata (start, end, today, deviceid, username, audit, phonenumber…),
  note, calculate, hidden, acknowledge;
- never stored, named in one warning line: locations, photos, sounds, videos, files, barcodes,
  phone numbers (no photo or location of a child is ever kept);
- not analysable, named in a second warning line: rank, choices read from an external file.
Their paths are kept (`unstored`) so that response exports' columns for them are read past.

Ancrage adds three columns of its own that Kobo and ODK keep untouched: `favorable` in `choices`
(the answers that count as satisfied or positive), `categorie` in `survey` (satisfaction or
effet), and `public`, `modalite`, `appariement` in `settings`.

Every problem is a `sheet:row:column: message` line, in French unless the user chose English.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform import xls2xform
from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json_backends import get_xlsform

from ancrage.core.choices import allowed_labels, bilingual_pairs, match_choice, pairs
from ancrage.core.uploads import UploadTooLarge, archive_check
from ancrage.programmes.vocabulary import Modality

from .models import Category, Public, QuestionKind

BIND_KINDS = {
    "int": QuestionKind.INTEGER,
    "decimal": QuestionKind.DECIMAL,
    "date": QuestionKind.DATE,
    "time": QuestionKind.TIME,
    "dateTime": QuestionKind.DATETIME,
}
# Metadata Kobo and ODK record on their own: nothing the respondent answered.
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "audit",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
}
# Locations, media and codes: never stored, whatever the form says.
PRIVATE_BIND_TYPES = {"geopoint", "geotrace", "geoshape", "binary", "barcode"}
PRIVATE_TYPES = {"phone number"}
SILENT_TYPES = {"note", "calculate", "hidden", "acknowledge", "trigger"}
YES = {"oui", "yes", "true", "1", "vrai", "x"}
YES_NO = [("oui", word) for word in ("oui", "yes", "true", "vrai", "1", "x", "o", "y")] + [
    ("non", word) for word in ("non", "no", "false", "faux", "0", "n")
]
# Column names that response files use for the action and the anonymous pairing: a field of
# the form so named fills them.
RESERVED_NAMES = {"action", "code_anonyme", "moment"}
MAX_LENGTHS = {"name": 100, "path": 300, "choice_name": 100, "choice_label": 300}
XLSX_MAGIC = b"PK\x03\x04"
# The English words pyxform writes for `or_other`, said in French.
OR_OTHER_LABELS = {"Other": "Autre", "Specify other.": "Précisez l'autre réponse"}
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


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
    repeat: str = ""


@dataclass
class ParsedForm:
    form_id: str
    title: str
    version: str
    public: str
    modality: str
    pairing: bool
    questions: list[ParsedQuestion]
    unstored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _label(value) -> str:
    if isinstance(value, dict):  # translated labels: French first, else the first language
        for key in value:
            if "fr" in key.lower():
                return str(value[key])
        return str(next(iter(value.values()), ""))
    return str(value or "")


def _file_type(data: bytes) -> str:
    if data.startswith(XLSX_MAGIC):
        return ".xlsx"
    if data.startswith(XLS_MAGIC):
        return ".xls"
    raise XLSFormInvalid(
        ["fichier:-:-: " + _("fichier illisible comme XLSForm (.xlsx ou .xls attendu)")]
    )


class _Rows:
    """Where each field and choice sits in the sheets, for `sheet:row:column` messages."""

    def __init__(self, definition):
        self.survey: dict[str, int] = {}
        self.choices: dict[tuple[str, str], list[int]] = {}
        stack: list[str] = []
        for number, row in enumerate(definition.survey or [], start=2):
            row = {str(k).strip().lower(): str(v).strip() for k, v in row.items()}
            kind = re.sub(r"[\s_]+", " ", row.get("type", "")).lower()
            name = row.get("name", "")
            if kind.startswith("end ") and stack:
                stack.pop()
                continue
            if name:
                self.survey.setdefault("/".join([*stack, name]), number)
            if kind.startswith("begin "):
                stack.append(name)
        for number, row in enumerate(definition.choices or [], start=2):
            row = {str(k).strip().lower(): str(v).strip() for k, v in row.items()}
            key = (row.get("list_name") or row.get("list name", ""), row.get("name", ""))
            self.choices.setdefault(key, []).append(number)

    def at(self, path: str) -> str:
        # A field pyxform adds (`x_other` of or_other) is placed on its question's row.
        for candidate in (path, re.sub(r"_other$", "", path)):
            if candidate in self.survey:
                return str(self.survey[candidate])
        return "-"


def _settings(definition) -> dict[str, str]:
    rows = definition.settings or []
    if not rows:
        return {}
    return {str(k).strip().lower(): str(v).strip() for k, v in rows[0].items() if v is not None}


def _pyxform_problem(message: str) -> str:
    """pyxform's refusal (in English) placed as `sheet:row:column`, as far as it says."""
    row = re.search(r"\[row : (\d+)\]", message)
    sheet = re.search(r"'(survey|choices|settings)' sheet", message)
    column = re.search(r"the '([\w:]+)' (?:value|column)", message)
    text = re.sub(r"\[row : \d+\]\s*", "", message)
    place = ":".join(
        (sheet[1] if sheet else "survey", row[1] if row else "-", column[1] if column else "-")
    )
    refused = _("XLSForm refusé par pyxform (l'outil de Kobo et ODK) : {text}")
    return f"{place}: " + refused.format(text=text)


def _vocabulary(value: str, vocabulary, column: str, problems: list[str]) -> str:
    """A settings value typed as its code or its label, French or English, loosely written
    (`Enfants`, `children`, `Co-intervention`, `Training`), as every vocabulary is read."""
    code = match_choice(value, bilingual_pairs(vocabulary))
    allowed = allowed_labels(pairs(vocabulary))
    if not value:
        problems.append(
            f"settings:2:{column}: "
            + _("valeur obligatoire manquante : valeurs possibles {values}").format(values=allowed)
        )
        return ""
    if code is None:
        problems.append(
            f"settings:2:{column}: "
            + _("« {value} » inconnu : valeurs possibles {values}").format(
                value=value, values=allowed
            )
        )
        return ""
    return code


def _yes_no(value, where: str, problems: list[str]) -> bool:
    """`oui`/`non` as forms write them (`yes`, `TRUE`, `1`, `x`, `Vrai`…); empty is no."""
    value = str(value or "").strip()
    if not value:
        return False
    code = match_choice(value, YES_NO)
    if code is None:
        problems.append(
            f"{where}: " + _("« {value} » : « oui » ou « non » attendu").format(value=value)
        )
    return code == "oui"


def parse_xlsform(data: bytes, *, public: str = "", modality: str = "") -> ParsedForm:
    file_type = _file_type(data)
    try:
        archive_check(io.BytesIO(data))  # before pyxform and openpyxl inflate it
    except UploadTooLarge as refused:
        raise XLSFormInvalid([f"fichier:-:-: {refused}"]) from None
    try:
        definition = get_xlsform(io.BytesIO(data), file_type=file_type)
        result = xls2xform.convert(xlsform=io.BytesIO(data), file_type=file_type)
    except PyXFormError as exc:
        raise XLSFormInvalid([_pyxform_problem(str(exc))]) from None
    except Exception as exc:  # a damaged workbook
        raise XLSFormInvalid(
            ["fichier:-:-: " + _("fichier illisible comme XLSForm ({error})").format(error=exc)]
        ) from None
    form = result._pyxform
    settings = _settings(definition)
    problems: list[str] = []
    public = _vocabulary(public or settings.get("public", ""), Public, "public", problems)
    modality = _vocabulary(modality or settings.get("modalite", ""), Modality, "modalite", problems)
    pairing = _yes_no(settings.get("appariement", ""), "settings:2:appariement", problems)
    walker = _Walker(_Rows(definition), problems)
    walker.walk(form.get("children", []), [], [], repeat="")
    parsed = ParsedForm(
        form_id=str(form.get("id_string") or form.get("name")),
        title=_label(form.get("title")) or str(form.get("id_string")),
        version=str(form.get("version") or ""),
        public=public,
        modality=modality,
        pairing=pairing,
        questions=walker.questions,
        unstored=walker.unstored,
        warnings=walker.warnings(),
    )
    for column, value, limit in (
        ("form_id", parsed.form_id, 64),
        ("form_title", parsed.title, 200),
        ("version", parsed.version, 64),
    ):
        if len(value) > limit:
            problems.append(
                f"settings:2:{column}: " + _("plus de {limit} caractères").format(limit=limit)
            )
    if problems:
        raise XLSFormInvalid(problems)
    return parsed


def _family(child) -> tuple[str, str]:
    """(family, kind): analysed with its kind, silent, private or unsupported."""
    kind = child.get("type", "")
    spec = QUESTION_TYPE_DICT.get(kind, {})
    bind = spec.get("bind", {}).get("type") or child.get("bind", {}).get("type")
    tag = spec.get("control", {}).get("tag")
    if kind in METADATA_TYPES or kind in SILENT_TYPES:
        return "silent", ""
    if bind in PRIVATE_BIND_TYPES or kind in PRIVATE_TYPES:
        return "private", ""
    if tag is None or tag == "trigger":  # calculations, properties, external data
        return "silent", ""
    if tag in {"select1", "select"}:
        if not child.get("choices"):  # select_one_from_file: the list is not in the form
            return "unsupported", ""
        single = tag == "select1"
        return "analysed", QuestionKind.SELECT_ONE if single else QuestionKind.SELECT_MULTIPLE
    if tag == "range":
        steps = " ".join(str(v) for v in child.get("parameters", {}).values())
        return "analysed", QuestionKind.DECIMAL if "." in steps else QuestionKind.INTEGER
    if bind in BIND_KINDS:
        return "analysed", BIND_KINDS[bind]
    if bind == "string" and tag == "input" and kind != "select one external":
        return "analysed", QuestionKind.TEXT
    return "unsupported", ""


class _Walker:
    """Walk pyxform's tree of the form, keeping what can be analysed."""

    def __init__(self, rows: _Rows, problems: list[str]):
        self.rows = rows
        self.problems = problems
        self.questions: list[ParsedQuestion] = []
        self.unstored: list[str] = []
        self.private: list[str] = []
        self.unsupported: list[str] = []
        self.paths: set[str] = set()

    def warnings(self) -> list[str]:
        lines = []
        if not self.questions:
            # Kobo and ODK accept a form of notes alone (an information sheet, a consent): so
            # do we, saying that it will give no figure.
            lines.append(
                _(
                    "aucune question à analyser (choix, nombre, date, heure, texte) : le "
                    "questionnaire est enregistré, ses réponses compteront les répondants "
                    "mais ne donneront aucun autre chiffre"
                )
            )
        if self.private:
            lines.append(
                _(
                    "questions jamais enregistrées (position, photo, son, vidéo, fichier, "
                    "code-barres ou téléphone : rien qui situe ou montre une personne) : {names}"
                ).format(names=", ".join(self.private))
            )
        if self.unsupported:
            lines.append(
                _(
                    "questions non analysées (classement ou choix tirés d'un fichier externe) : "
                    "{names}"
                ).format(names=", ".join(self.unsupported))
            )
        return lines

    def walk(self, children, path, labels, *, repeat: str) -> None:
        for child in children:
            kind = child.get("type", "")
            name = str(child.get("name", ""))
            here = "/".join([*path, name])
            if kind in {"group", "repeat"}:
                bodyless = child.get("control", {}).get("bodyless")  # the `meta` group
                inner = repeat
                if kind == "repeat":
                    if repeat:
                        self.problems.append(
                            f"survey:{self.rows.at(here)}:type: "
                            + _(
                                "la répétition « {name} » est dans la répétition « {repeat} » : "
                                "des répétitions imbriquées ne peuvent pas être analysées ; "
                                "sortez-la de la première ou retirez-la"
                            ).format(name=name, repeat=repeat)
                        )
                        continue
                    inner = here
                label = "" if bodyless else _label(child.get("label"))
                self.walk(child.get("children", []), [*path, name], [*labels, label], repeat=inner)
            elif kind == "loop":
                self._loop(child, path, labels, repeat)
            else:
                self._field(child, path, labels, repeat)

    def _loop(self, child, path, labels, repeat) -> None:
        """A loop asks its questions once per column: one group per column, as the XForm."""
        name = str(child.get("name", ""))
        for column in child.get("columns", []):
            column_label = _label(column.get("label"))
            templated = [
                {
                    **question,
                    "label": _label(question.get("label")).replace("%(label)s", column_label),
                }
                for question in child.get("children", [])
            ]
            self.walk(
                templated,
                [*path, name, str(column["name"])],
                [*labels, _label(child.get("label")), column_label],
                repeat=repeat,
            )

    def _field(self, child, path, labels, repeat) -> None:
        name = str(child.get("name", ""))
        here = "/".join([*path, name])
        row = self.rows.at(here)
        family, kind = _family(child)
        if family != "analysed":
            # Its column in an export: the path, or the label in Kobo's « Labels » export.
            self.unstored.append(here)
            if _label(child.get("label")):
                self.unstored.append(_label(child.get("label")))
            if family == "private":
                self.private.append(name)
            elif family == "unsupported":
                self.unsupported.append(name)
            return
        if name in RESERVED_NAMES:
            # The form asks for the action, the anonymous code or the moment: its column is
            # read as the response's, not analysed as an answer.
            self.unstored.append(here)
            return
        for column, value, limit in (("name", name, 100), ("name", here, 300)):
            if len(value) > limit:
                self.problems.append(
                    f"survey:{row}:{column}: "
                    + _("« {value}… » dépasse {limit} caractères").format(
                        value=value[:40], limit=limit
                    )
                )
                return
        if here in self.paths:
            self.problems.append(
                f"survey:{row}:name: " + _("« {path} » apparaît deux fois").format(path=here)
            )
            return
        self.paths.add(here)
        typed = str(child.get("categorie", "")).strip()
        category = match_choice(typed, bilingual_pairs(Category)) if typed else ""
        if category is None:
            category = ""
            self.problems.append(
                f"survey:{row}:categorie: "
                + _("« {value} » inconnue pour « {name} » : valeurs possibles {values}").format(
                    value=typed, name=name, values=allowed_labels(pairs(Category))
                )
            )
        list_name = str(child.get("list_name") or child.get("itemset") or "")
        self.questions.append(
            ParsedQuestion(
                name=name,
                path=here,
                group_label=" / ".join(label for label in labels if label)[:300],
                kind=kind,
                label=OR_OTHER_LABELS.get(_label(child.get("label")), _label(child.get("label")))
                or name,
                list_name=list_name,
                required=str(child.get("bind", {}).get("required", "")).lower() in YES | {"true()"},
                category=category,
                choices=self._choices(list_name, child.get("choices", [])),
                repeat=repeat,
            )
        )

    def _choices(self, list_name: str, raw: list[dict]) -> list[ParsedChoice]:
        """One choice per name: a response carries only the name, so duplicates that
        `allow_choice_duplicates` lets through (cascading selects) are one answer."""
        merged: dict[str, ParsedChoice] = {}
        for choice in raw:
            name = str(choice.get("name", ""))
            label = _label(choice.get("label")) or name
            label = OR_OTHER_LABELS.get(label, label)
            rows = self.rows.choices.get((list_name, name), [])
            row = rows[0] if rows else "-"
            favorable = _yes_no(choice.get("favorable"), f"choices:{row}:favorable", self.problems)
            if len(name) > MAX_LENGTHS["choice_name"]:
                self.problems.append(
                    f"choices:{row}:name: "
                    + _("« {value}… » dépasse {limit} caractères").format(
                        value=name[:40], limit=MAX_LENGTHS["choice_name"]
                    )
                )
                continue
            if name not in merged:
                merged[name] = ParsedChoice(name, label[: MAX_LENGTHS["choice_label"]], favorable)
                continue
            first = merged[name]
            if first.favorable != favorable:
                row = rows[-1] if rows else "-"
                self.problems.append(
                    f"choices:{row}:favorable: "
                    + _(
                        "le choix « {name} » de la liste « {list_name} » figure plusieurs fois, "
                        "favorable sur une ligne et pas sur l'autre : une réponse ne porte que "
                        "le code, marquez-les pareil"
                    ).format(name=name, list_name=list_name)
                )
            elif label not in first.label.split(" / "):
                first.label = f"{first.label} / {label}"[: MAX_LENGTHS["choice_label"]]
        return list(merged.values())


XLSFORM_TYPES = {
    QuestionKind.SELECT_ONE: "select_one",
    QuestionKind.SELECT_MULTIPLE: "select_multiple",
    QuestionKind.DATETIME: "dateTime",
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
    closings: list[str] = []
    written_lists: set[str] = set()
    selects = {QuestionKind.SELECT_ONE, QuestionKind.SELECT_MULTIPLE}
    for question in questionnaire.questions.prefetch_related("choices"):
        groups = question.path.split("/")[:-1]
        group_labels = question.group_label.split(" / ") if question.group_label else []
        while open_groups and open_groups != groups[: len(open_groups)]:
            survey.append([closings.pop(), "", "", "", ""])
            open_groups.pop()
        for depth in range(len(open_groups), len(groups)):
            label = group_labels[depth] if depth < len(group_labels) else ""
            repeat = "/".join(groups[: depth + 1]) == question.repeat
            survey.append(["begin_repeat" if repeat else "begin_group", groups[depth], label])
            open_groups.append(groups[depth])
            closings.append("end_repeat" if repeat else "end_group")
        kind = question.kind
        type_name = XLSFORM_TYPES.get(kind, kind)
        type_cell = f"{type_name} {question.list_name}" if kind in selects else type_name
        survey.append(
            [
                type_cell,
                question.name,
                question.label,
                "yes" if question.required else "",
                question.category,
            ]
        )
        if kind in selects and question.list_name not in written_lists:
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
    while closings:
        survey.append([closings.pop(), "", "", "", ""])
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
