"""Caps on uploads: a file too large is refused before it is stored, and a workbook that would
inflate beyond the cap (a zip bomb) is refused before openpyxl opens it, in French."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.programmes.models import Programme

pytestmark = pytest.mark.django_db


def zip_bomb(uncompressed_mb: int) -> bytes:
    """An .xlsx-shaped archive whose one sheet inflates to `uncompressed_mb` of XML made of
    the same row over and over (about a thousand times smaller compressed)."""
    buffer = io.BytesIO()
    row = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 1000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            written = 0
            while written < uncompressed_mb * 1024 * 1024:
                sheet.write(row)
                written += len(row)
    return buffer.getvalue()


@pytest.fixture
def coordinator(client):
    client.force_login(get_user_model().objects.create_superuser("coord", password="x"))


def _stored(settings):
    folder = settings.MEDIA_ROOT / "imports"
    return list(folder.glob("*.xlsx")) if folder.exists() else []


def test_a_zip_bomb_is_refused_before_it_is_opened(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bomb = zip_bomb(40)
    assert len(bomb) < 200 * 1024  # a few hundred kilobytes, like the attack pass's 645 KB
    response = client.post("/import/", {"classeur": SimpleUploadedFile("b.xlsx", bomb)})
    (problem,) = response.context["problems"]
    assert "décompresse" in problem.message and problem.sheet == "b.xlsx"
    assert not Programme.objects.exists() and not _stored(settings)


def test_a_workbook_larger_than_the_cap_once_decompressed_is_refused(
    client, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.ANCRAGE_WORKBOOK_MAX_MB = 0.1  # the demo workbook inflates to 266 kB
    response = client.post(
        "/import/",
        {"classeur": SimpleUploadedFile("demo.xlsx", DEMO_WORKBOOK.read_bytes())},
    )
    (problem,) = response.context["problems"]
    assert "une fois décompressé" in problem.message
    assert not Programme.objects.exists()


def test_an_upload_beyond_the_size_cap_is_refused_and_not_kept(
    client, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.ANCRAGE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("gros.xlsx", b"0" * (3 * 1024 * 1024))
    response = client.post("/import/", {"classeur": big})
    assert response.status_code == 200
    assert "trop volumineux" in response.context["error"]
    assert not _stored(settings)


def test_the_command_line_import_refuses_a_zip_bomb_too(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bombe.xlsx"
    path.write_bytes(zip_bomb(40))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=out, stderr=err)
    assert "décompresse" in out.getvalue() + err.getvalue()


def test_an_xlsform_bomb_is_refused(tmp_path):
    from ancrage.surveys.xlsform import XLSFormInvalid, parse_xlsform

    with pytest.raises(XLSFormInvalid) as refused:
        parse_xlsform(zip_bomb(40))
    assert "décompresse" in str(refused.value.problems)


@pytest.mark.parametrize("name", ["reponses.xlsx", "odk-central.zip"])
def test_a_responses_bomb_is_refused(tmp_path, name):
    """A Kobo XLSX export or an ODK Central zip export: refused before anything is inflated."""
    from ancrage.surveys.responses import ResponsesInvalid, _read

    path = tmp_path / name
    path.write_bytes(zip_bomb(40))
    with pytest.raises(ResponsesInvalid) as refused:
        _read(path, name)
    assert "décompresse" in refused.value.problems[0].message


def test_a_responses_export_beyond_the_size_cap_is_refused_in_the_browser(
    client, settings, tmp_path
):
    from django.urls import reverse

    from ancrage.tasks.models import Job

    from .cast import make_cast
    from .surveys_data import programme_with_actions, questionnaire

    settings.ANCRAGE_UPLOAD_MAX_MB = 1
    programme = programme_with_actions(tmp_path)
    client.force_login(make_cast(programme)["coordination"])
    form = questionnaire(programme, "coi_enfants")
    big = SimpleUploadedFile("export.csv", b"a;b\n" * (600 * 1024))
    response = client.post(reverse("tasks:responses", args=[form.pk]), {"fichier": big})
    assert response.status_code == 200 and "trop volumineux" in response.context["error"]
    assert not Job.objects.exists()
