"""Hostile input, measured: runs schemathesis against the API's schema and hypothesis against
the workbook, XLSForm and response importers, on a throw-away test database, then prints the
inputs tried and the crashes found (a Markdown table, as in the README). Exit code 1 on a crash.

    .venv/bin/python scripts/fuzz_report.py [--examples 50] [--seed]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ancrage .venv/bin/python scripts/fuzz_report.py

The test database (test_<name> on PostgreSQL, in memory on SQLite) is created and dropped;
the database of DATABASE_URL itself is never written.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")
os.environ.setdefault("ANCRAGE_CACHE_DIR", tempfile.mkdtemp(prefix="ancrage-cache-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Entrées hostiles : API et imports.")
    parser.add_argument("--examples", type=int, default=50, help="exemples par cible et mode")
    parser.add_argument("--seed", action="store_true", help="tirage fixe (celui de la CI)")
    args = parser.parse_args()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args.examples, args.seed)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(examples: int, seed: bool) -> int:
    from rest_framework.authtoken.models import Token

    from ancrage.surveys.library import template_path
    from tests.api_world import api_world
    from tests.fuzzing import fuzz_api, fuzz_responses, fuzz_workbook, fuzz_xlsform, report
    from tests.surveys_data import programme_with_actions, questionnaire
    from tests.test_fuzz import KOBO
    from tests.workbooks import minimal_sheets

    folder = Path(tempfile.mkdtemp(prefix="ancrage-fuzz-"))
    world = api_world(folder)
    tokens = {"anonyme": ""}
    for role in ("coordination", "cheffe_t1", "financeur"):
        tokens[role] = Token.objects.create(user=world["cast"][role]).key
    ids = {
        "action": world["action"].pk,
        "participation": world["participation"].pk,
        "questionnaire": world["questionnaire"].pk,
    }
    tallies = [fuzz_api(world["programme"], tokens, ids, examples=examples, seed=seed)]
    world["programme"].delete()
    tallies.append(fuzz_workbook(minimal_sheets(), folder, examples=examples * 4, seed=seed))
    programme = programme_with_actions(folder)
    template = template_path("coi_enfants").read_bytes()
    tallies.append(fuzz_xlsform(programme, template, folder, examples=examples * 4, seed=seed))
    form = questionnaire(programme, "coi_enfants")
    tallies.append(fuzz_responses(form, KOBO, folder, examples=examples * 4, seed=seed))
    engine = connection.vendor
    print(f"Entrées hostiles ({engine}, {examples} exemples par opération et mode) :\n")
    print(report(tallies))
    return 1 if any(t.crashes for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
