"""The `ancrage` console script as tests and users run it (docs: workbook.md)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .workbooks import minimal_sheets, write_xlsx

# Every command the apps of Ancrage define: a new one without French help fails below.
COMMANDS = sorted(
    path.stem
    for path in (Path(__file__).parent.parent / "ancrage").glob("*/management/commands/*.py")
    if not path.stem.startswith("_")
)


def ancrage(*args: str, database: Path) -> subprocess.CompletedProcess:
    executable = shutil.which("ancrage", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "ancrage.manage"]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "migrated.sqlite3"
    result = ancrage("migrate", "-v0", database=path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def database(migrated, tmp_path) -> Path:
    """A migrated database of the test's own: a copy of the file's one, migrated once (a
    migration takes seconds, a copy milliseconds)."""
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(migrated, path)
    return path


def test_import_then_indicators_json_gives_the_seed_figures(database, tmp_path):
    from ancrage.demo.workbook import DEMO_WORKBOOK

    imported = ancrage("import", str(DEMO_WORKBOOK), database=database)
    assert imported.returncode == 0, imported.stderr
    assert "importé" in imported.stdout
    result = ancrage("indicators", "--json", database=database)
    figures = json.loads(result.stdout)
    assert figures["deliveries"]["formation"] == 14
    assert figures["reach"]["children_total"] == 4130
    assert figures["reach"]["professionals_unique"] == 430

    exported = ancrage("export", str(tmp_path / "out.xlsx"), database=database)
    assert exported.returncode == 0, exported.stderr
    fresh = tmp_path / "fresh.sqlite3"
    ancrage("migrate", "-v0", database=fresh)
    assert ancrage("import", str(tmp_path / "out.xlsx"), database=fresh).returncode == 0
    again = json.loads(ancrage("indicators", "--json", database=fresh).stdout)
    assert again == figures


def test_a_bad_workbook_exits_non_zero_and_leaves_the_database_as_it_was(database, tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["debut"] = "demain"
    result = ancrage("import", str(write_xlsx(sheets, tmp_path / "bad.xlsx")), database=database)
    assert result.returncode != 0
    assert "actions:2:debut: « demain » n'est pas une date valide" in result.stderr
    assert "rien n'a été enregistré" in result.stderr
    empty = ancrage("indicators", database=database)
    assert empty.returncode != 0
    assert "aucun programme" in empty.stderr


def test_demo_loads_the_shipped_programme(database):
    result = ancrage("demo", database=database)
    assert result.returncode == 0, result.stderr
    figures = json.loads(
        ancrage(
            "indicators",
            "--json",
            "--programme",
            "CPS Loire-Atlantique 2022-2025",
            database=database,
        ).stdout
    )
    assert figures["governance"]["elected_officials"] == 16


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_in_french(command, database):
    result = ancrage(command, "--help", database=database)
    assert result.returncode == 0
    assert "utilisation : ancrage " + command in result.stdout
    assert "affiche cette aide et quitte" in result.stdout


def test_the_command_list_is_in_french(database):
    result = ancrage("--help", database=database)
    assert result.returncode == 0
    assert "Commandes d'Ancrage" in result.stdout
    assert "report" in COMMANDS
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, command


def _said_in_french(result: subprocess.CompletedProcess, command: str, error: str) -> None:
    """Argparse's refusal as a user reads it: the usage then the error, in French, status 2
    (`error` a regular expression)."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"utilisation : ancrage {command} ")
    last = result.stderr.rstrip().splitlines()[-1]
    assert re.fullmatch(f"ancrage {command} : erreur : {error}", last), last
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr
    assert "error:" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", [*COMMANDS, "migrate"])
def test_an_unknown_option_is_refused_in_french(command, tmp_path):
    """A command's required arguments are said missing first (as argparse checks them)."""
    result = ancrage(command, "--option-inconnue", database=tmp_path / "vide.sqlite3")
    said = "arguments (inconnus : --option-inconnue|obligatoires manquants : .+)"
    _said_in_french(result, command, said)


def test_a_missing_argument_or_a_bad_value_is_refused_in_french(tmp_path):
    database = tmp_path / "vide.sqlite3"
    missing = ancrage("export", database=database)
    _said_in_french(missing, "export", "arguments obligatoires manquants : SORTIE")
    unknown = ancrage("export", "sortie.xlsx", "--option-inconnue", database=database)
    _said_in_french(unknown, "export", "arguments inconnus : --option-inconnue")
    choice = ancrage("report", "--format", "zip", "-o", "r.zip", database=database)
    said = re.escape("argument --format : choix invalide : 'zip' (au choix : 'docx', 'html', ")
    said += re.escape("'pdf', 'pptx')")
    _said_in_french(choice, "report", said)
    number = ancrage("purge_journal", "--jours", "dix", database=database)
    _said_in_french(number, "purge_journal", "argument --jours : valeur invalide : 'dix'")
    assert not database.exists()  # refused before anything was opened


def test_an_argument_error_from_code_is_a_french_command_error():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("purge_journal", "--option-inconnue")
    assert str(refused.value) == "Erreur : arguments inconnus : --option-inconnue"
