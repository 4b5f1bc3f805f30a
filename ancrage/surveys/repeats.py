"""Answers to a repeat group, which the tools export as one table per repeat: a sheet of the
Kobo XLSX export named after the repeat (`_parent_index` → the main sheet's `_index`), or a
file of the ODK Central zip export, `<form>-<repeat>.csv` (`PARENT_KEY` → the main `KEY`).

Each repetition is one answer of its response: N counts the respondents, the distribution
counts every repetition."""

from django.utils.translation import gettext as _

from ancrage.core.problems import Problem

from .services import TICKED, UNTICKED, answers_from_cells, folded

# (column of the repeat's table, column of the main table it points to)
LINKS = (("_parent_index", "_index"), ("parent_key", "key"))
# The repeat tables' own bookkeeping columns.
REPEAT_COLUMNS = {"_index", "_parent_index", "_parent_table_name", "parent_key", "key"}


def _repeat_named(table: str, repeats: set[str]) -> str | None:
    wanted = table.strip().lower()
    for repeat in repeats:
        name = repeat.rsplit("/", 1)[-1].lower()
        # Excel sheet names stop at 31 characters.
        if wanted in {repeat.lower(), name, name[:31], repeat.replace("/", "-").lower()}:
            return repeat
    return None


def add_repeat_answers(
    *, questionnaire, tables, header, main, spellings, ignored, choices, problems, name
) -> None:
    """Add each repeat table's answers to the responses of `main` ([(row, response)])."""
    repeats = {q.repeat for q in questionnaire.questions.exclude(repeat="")}
    main_columns = [folded(h) for h in header]
    for table, rows in tables.items():
        where = f"{name}[{table}]"
        repeat = _repeat_named(table, repeats)
        if repeat is None:
            problems.append(
                Problem(
                    where,
                    1,
                    "-",
                    _(
                        "aucune répétition « {repeat} » dans le questionnaire "
                        "« {form} » : retirez cette feuille ou ce fichier"
                    ).format(repeat=table, form=questionnaire.form_id),
                )
            )
            continue
        if not rows or len(rows) < 2:
            continue
        table_header = [h.strip() for h in rows[0]]
        columns = [folded(h) for h in table_header]
        link = next(((c, p) for c, p in LINKS if c in columns and p in main_columns), None)
        if link is None:
            problems.append(
                Problem(
                    where,
                    1,
                    "_parent_index",
                    _(
                        "colonne de rattachement absente : _parent_index (Kobo, avec _index dans "
                        "la feuille principale) ou PARENT_KEY (ODK Central, avec KEY)"
                    ),
                )
            )
            continue
        parents = {}
        parent_at = main_columns.index(link[1])
        for row, response in main:
            if len(row) > parent_at:
                parents[row[parent_at].strip()] = response
        reader = _TableReader(where, repeat, table_header, spellings, ignored, choices, problems)
        if reader.targets is None:
            continue
        link_at = columns.index(link[0])
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            parent = row[link_at].strip() if len(row) > link_at else ""
            response = parents.get(parent)
            if response is None:
                problems.append(
                    Problem(
                        where,
                        number,
                        table_header[link_at],
                        _(
                            "« {parent} » : aucune réponse de ce numéro dans la feuille principale"
                        ).format(parent=parent),
                    )
                )
                continue
            response.answers += reader.answers(number, row)


class _TableReader:
    def __init__(self, where, repeat, header, spellings, ignored, choices, problems):
        self.where, self.header, self.choices, self.problems = where, header, choices, problems
        self.targets: list | None = []
        for column in header:
            key = folded(column)
            target = spellings.get(key)
            if target is not None and target[0].repeat == repeat:
                self.targets.append(target)
            elif target is None and (key in ignored or key in REPEAT_COLUMNS or not key):
                self.targets.append(None)
            else:
                problems.append(
                    Problem(
                        where,
                        1,
                        column,
                        _(
                            "colonne inconnue : aucune question « {column} » dans la répétition "
                            "« {repeat} »"
                        ).format(column=column, repeat=repeat),
                    )
                )
                self.targets = None
                return

    def answers(self, number: int, row: list[str]) -> list[dict]:
        values: dict = {}
        ticked: dict[int, set] = {}
        for target, column, cell in zip(self.targets, self.header, row, strict=False):
            if target is None:
                continue
            question, choice = target
            cell = cell.strip()
            if choice is None:
                values[question.pk] = (question, cell, column)
                continue
            flag = cell.lower()
            if flag not in TICKED | UNTICKED:
                self.problems.append(
                    Problem(
                        self.where,
                        number,
                        column,
                        _("« {value} » : 1 ou 0 attendu").format(value=cell),
                    )
                )
                continue
            if flag in TICKED:
                ticked.setdefault(question.pk, set()).add(choice)
            values.setdefault(question.pk, (question, None, column))
        return answers_from_cells(
            values,
            ticked,
            self.choices,
            on_error=lambda column, message: self.problems.append(
                Problem(self.where, number, column, message)
            ),
        )
