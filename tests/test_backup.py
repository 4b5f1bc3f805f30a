"""Backup then restore gives back the same figures and the same uploaded files, on SQLite and
on PostgreSQL (the CI runs this file on both)."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.core.backup import MANIFEST, BackupError, backup_create, backup_restore
from ancrage.demo.answers import load_demo_answers
from ancrage.demo.evaluation import load_demo_evaluation
from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.programmes.models import Programme
from ancrage.workbook.importer import import_workbook

# The restore replaces the whole database: the rows must be committed, as in production; the
# reference rows of data migrations are put back before each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "rapports").mkdir()
    (settings.MEDIA_ROOT / "rapports" / "bilan.pdf").write_bytes(b"%PDF-1.7 bilan")
    return settings.MEDIA_ROOT


def indicators_json(name: str) -> dict:
    out = io.StringIO()
    call_command("indicators", programme=name, json=True, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo_committed(db):
    programme = import_workbook(DEMO_WORKBOOK).programme
    load_demo_answers(programme)
    load_demo_evaluation(programme)
    return programme


def test_backup_then_restore_into_an_empty_database_gives_the_same_figures(
    demo_committed, media, tmp_path
):
    before = indicators_json(demo_committed.name)
    call_command("backup", str(tmp_path / "nuit.tar.gz"), stdout=io.StringIO())
    call_command("flush", interactive=False)  # an empty database, as on a new server
    (media / "rapports" / "bilan.pdf").unlink()
    (media / "perdu.txt").write_text("ajouté après la sauvegarde")
    assert not Programme.objects.exists()

    call_command("restore", str(tmp_path / "nuit.tar.gz"), yes=True, stdout=io.StringIO())

    assert indicators_json(demo_committed.name) == before  # every key
    assert (media / "rapports" / "bilan.pdf").read_bytes() == b"%PDF-1.7 bilan"
    assert not (media / "perdu.txt").exists()


def test_the_archive_says_what_it_holds(demo_committed, media, tmp_path):
    manifest = backup_create(tmp_path / "b.tar.gz")
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        names = archive.getnames()
        assert json.load(archive.extractfile(MANIFEST)) == manifest
    assert "media/rapports/bilan.pdf" in names
    assert manifest["migrations"]  # the schema it was taken from


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(demo_committed, tmp_path):
    bad = tmp_path / "classeur.tar.gz"
    bad.write_bytes(b"pas une archive")
    with pytest.raises(CommandError, match="restauration impossible, rien n'a été modifié"):
        call_command("restore", str(bad), yes=True)
    assert Programme.objects.filter(pk=demo_committed.pk).exists()


def test_a_backup_from_a_newer_version_is_refused(demo_committed, media, tmp_path):
    backup_create(tmp_path / "b.tar.gz")
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        manifest = json.load(archive.extractfile(MANIFEST))
    manifest["migrations"].append("activities.9999_future")
    payload = json.dumps(manifest).encode()
    with tarfile.open(tmp_path / "future.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    with pytest.raises(BackupError, match="version plus récente"):
        backup_restore(tmp_path / "future.tar.gz")
    assert Programme.objects.filter(pk=demo_committed.pk).exists()
