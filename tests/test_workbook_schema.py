"""Every sheet, column and `programme` key is declared once in workbook/schema.py; the reference
document, the import page and the checks read that one declaration."""

from pathlib import Path

import pytest

from ancrage.workbook.schema import COLUMNS, PROGRAMME_KEYS, SHEETS, SHEETS_BY_NAME

DOC = (Path(__file__).parent.parent / "docs" / "workbook.md").read_text(encoding="utf-8")


def test_every_declared_sheet_column_and_key_is_documented():
    missing = [
        f"{sheet.name}.{column}"
        for sheet in SHEETS
        for column in (sheet.name, *sheet.columns)
        if f"`{column}`" not in DOC
    ] + [f"programme.{key.name}" for key in PROGRAMME_KEYS if f"`{key.name}`" not in DOC]
    assert not missing


def test_programme_and_actions_are_declared_column_by_column():
    assert SHEETS_BY_NAME["programme"].required == ("cle", "valeur")
    actions = {column.name: column for column in COLUMNS["actions"]}
    assert SHEETS_BY_NAME["actions"].columns == tuple(actions)
    assert actions["structures"].parser == "refs:structures"
    assert [k.name for k in PROGRAMME_KEYS if k.required] == ["nom", "debut", "fin"]


@pytest.mark.django_db
def test_the_import_page_lists_the_declared_sheets_and_keys(admin_client):
    page = admin_client.get("/import/").content.decode()
    assert "cle, valeur (clés : nom, debut, fin, taux_replication" in page
    assert ", ".join(SHEETS_BY_NAME["actions"].columns) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("taux_replication", "1,5", "programme:5:valeur: le nombre doit être au plus 1"),
        ("jours_par_etp", "beaucoup", "programme:5:valeur:"),
        ("couleur", "bleu", "programme:5:cle: clé « couleur » inconnue : clés possibles nom,"),
    ],
)
def test_programme_keys_are_read_as_declared(tmp_path, key, value, message):
    from ancrage.workbook.importer import WorkbookInvalid, import_workbook

    from .workbooks import minimal_sheets, write_xlsx

    sheets = minimal_sheets()
    rows = [r for r in sheets["programme"] if r["cle"] != key]
    sheets["programme"] = [*rows, {"cle": key, "valeur": value}]
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx"))
    assert str(refused.value.problems[0]).startswith(message)
