"""Background tasks: reports and imports leave the request, run in `ancrage worker`, show their
progress and result to their owner only, can be cancelled, and fail with a French message."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.programmes.models import Programme
from ancrage.surveys.models import Response
from ancrage.tasks.jobs import RUNNERS
from ancrage.tasks.models import Job, Kind, Status
from ancrage.tasks.services import JobCancelled, job_cancel, job_run, job_start

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire
from .test_surveys_import import KOBO
from .worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = programme_with_actions(tmp_path)
    return programme, make_cast(programme)


def ask_report(client, programme, **fields):
    data = {"format": "html", "debut": "", "fin": "", "territoire": "", **fields}
    url = reverse("reports:download") + f"?programme={programme.pk}"
    return client.post(url, data)


def test_a_report_request_leaves_the_request_and_the_worker_produces_the_file(client, world):
    programme, cast = world
    client.force_login(cast["coordination"])
    response = ask_report(client, programme)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == Status.WAITING and job.kind == Kind.REPORT
    page = client.get(job.get_absolute_url()).content.decode()
    assert "En attente" in page and 'hx-trigger="load delay:1s"' in page

    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == Status.DONE and job.percent == 100
    status = client.get(reverse("tasks:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in status  # polling stops once the task has ended
    assert reverse("tasks:file", args=[job.pk]) in status
    download = client.get(reverse("tasks:file", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="rapport-')
    html = b"".join(download.streaming_content).decode()
    assert "Évaluation du programme" in html and programme.name in html


def test_a_read_only_role_gets_the_public_version(client, world):
    programme, cast = world
    client.force_login(cast["financeur"])
    ask_report(client, programme)
    assert Job.objects.get().params["hide_small"] is True
    client.force_login(cast["coordination"])
    ask_report(client, programme)
    assert Job.objects.filter(user=cast["coordination"]).get().params["hide_small"] is False


def test_another_territory_is_refused_when_asked_not_later(client, world):
    programme, cast = world
    client.force_login(cast["cheffe_t2"])
    assert ask_report(client, programme, territoire="T1").status_code == 404
    assert not Job.objects.exists()


def test_a_user_sees_and_opens_only_their_own_tasks(client, world):
    programme, cast = world
    client.force_login(cast["coordination"])
    ask_report(client, programme)
    job = Job.objects.get()
    run_queued_tasks()
    assert job.label in client.get(reverse("tasks:list")).content.decode()
    client.force_login(cast["cheffe_t1"])
    assert job.label not in client.get(reverse("tasks:list")).content.decode()
    for name in ("tasks:detail", "tasks:status", "tasks:file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("tasks:cancel", args=[job.pk])).status_code == 404


def test_a_waiting_task_cancelled_never_runs(client, world):
    programme, cast = world
    client.force_login(cast["coordination"])
    ask_report(client, programme)
    job = Job.objects.get()
    response = client.post(reverse("tasks:cancel", args=[job.pk]), {"next": "list"})
    assert response.status_code == 302
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and not job.result_file


def test_a_running_task_stops_at_its_next_step_when_cancelled(world):
    _programme, cast = world
    job = job_start(user=cast["coordination"], kind=Kind.REPORT, label="rapport", params={})
    steps = []

    def runner(job, progress):
        progress("première partie", 10)
        steps.append(1)
        job_cancel(job=job)  # the owner clicks « Annuler » meanwhile
        progress("deuxième partie", 20)
        steps.append(2)
        return {}

    job_run(str(job.pk), {Kind.REPORT: runner})
    job.refresh_from_db()
    assert steps == [1] and job.status == Status.CANCELLED


def test_progress_is_written_where_the_browser_reads_it(world):
    _programme, cast = world
    job = job_start(user=cast["coordination"], kind=Kind.REPORT, label="rapport", params={})
    seen = []

    def runner(job, progress):
        progress("Rédaction : Territoires", 40)
        seen.append(Job.objects.values_list("stage", "percent", "status").get(pk=job.pk))
        return {}

    job_run(str(job.pk), {Kind.REPORT: runner})
    assert seen == [("Rédaction : Territoires", 40, Status.RUNNING)]


def test_an_unexpected_error_is_a_french_message_not_a_traceback(client, world, monkeypatch):
    programme, cast = world

    def broken(*args, **kwargs):
        raise RuntimeError("division by zero in layout")

    monkeypatch.setattr("ancrage.reports.services.generate_report", broken)
    client.force_login(cast["coordination"])
    ask_report(client, programme)
    run_queued_tasks()
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.status == Status.FAILED
    assert "erreur inattendue" in page and "rien n'a été modifié" in page.replace("&#x27;", "'")
    assert "Traceback" not in page and "division by zero" not in page


def test_a_confirmed_import_runs_as_a_task_and_opens_the_new_programme(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)
    with open(DEMO_WORKBOOK, "rb") as workbook:
        page = client.post(reverse("workbook:import"), {"classeur": workbook})
    token = page.context["token"]
    response = client.post(reverse("workbook:confirm"), {"token": token, "nom": "demo.xlsx"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.kind == Kind.IMPORT
    assert not Programme.objects.exists()  # nothing written inside the request

    run_queued_tasks()

    job.refresh_from_db()
    programme = Programme.objects.get()
    assert job.status == Status.DONE and "importé" in job.message
    assert job.result_url == reverse("dashboard") + f"?programme={programme.pk}"
    assert programme.actions.count() == 86


def test_a_refused_import_lists_its_problems_by_sheet_row_and_column(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    tokens = []
    for _ in range(2):  # the same workbook previewed twice, then confirmed twice
        with open(DEMO_WORKBOOK, "rb") as workbook:
            tokens.append(client.post(reverse("workbook:import"), {"classeur": workbook}))
    for page in tokens:
        client.post(reverse("workbook:confirm"), {"token": page.context["token"], "nom": "d.xlsx"})
    run_queued_tasks()
    first, second = Job.objects.order_by("created_at")
    assert first.status == Status.DONE and second.status == Status.FAILED
    assert "rien n'a été enregistré" in second.message
    assert second.problems and {"sheet", "row", "column", "message"} <= second.problems[0].keys()
    assert "existe déjà" in client.get(second.get_absolute_url()).content.decode()
    assert Programme.objects.count() == 1


def test_responses_uploaded_in_the_browser_are_imported_by_the_worker(client, world):
    programme, cast = world
    form = questionnaire(programme, "coi_enfants")
    url = reverse("tasks:responses", args=[form.pk])
    client.force_login(cast["cheffe_t1"])
    assert client.get(url).status_code == 403  # the coordination imports responses
    client.force_login(cast["coordination"])
    results = client.get(reverse("surveys:results", args=[form.pk])).content.decode()
    assert url in results  # offered from the questionnaire's results
    upload = _upload("export-kobo.csv", KOBO.encode())
    response = client.post(url, {"fichier": upload, "source": ""})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.kind == Kind.RESPONSES
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Status.DONE and job.message.startswith("3 ")
    assert Response.objects.filter(collection__questionnaire=form).count() == 3


def test_a_refused_responses_file_is_named_by_the_users_file_name(client, world):
    programme, cast = world
    form = questionnaire(programme, "coi_enfants")
    client.force_login(cast["coordination"])
    bad = KOBO.replace(";A2;1;u-1;", ";ZZ9;1;u-1;")
    client.post(
        reverse("tasks:responses", args=[form.pk]),
        {"fichier": _upload("mes-reponses.csv", bad.encode()), "source": ""},
    )
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == Status.FAILED
    assert {p["sheet"] for p in job.problems} == {"mes-reponses.csv"}
    assert not Response.objects.exists()


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_every_kind_of_task_has_a_runner():
    assert set(RUNNERS) >= {Kind.REPORT, Kind.IMPORT, Kind.RESPONSES}


def test_the_worker_command_speaks_french(capsys):
    with pytest.raises(SystemExit):
        call_command("worker", "--help")
    out = capsys.readouterr().out
    assert "tâches en arrière-plan" in out and "--une-fois" in out


def test_a_cancelled_progress_raises(world):
    _programme, cast = world
    job = job_start(user=cast["coordination"], kind=Kind.REPORT, label="r", params={})
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    from ancrage.tasks.services import Progress

    with pytest.raises(JobCancelled):
        Progress(job)("étape", 5)


def test_an_update_from_a_workbook_runs_as_a_task(client, tmp_path, settings):
    from django.contrib.auth import get_user_model

    from ancrage.tasks.services import update_start
    from ancrage.workbook.services import upload_keep

    settings.MEDIA_ROOT = tmp_path
    admin = get_user_model().objects.create_superuser("admin", password="x")
    with open(DEMO_WORKBOOK, "rb") as workbook:
        client.force_login(admin)
        token = client.post(reverse("workbook:import"), {"classeur": workbook}).context["token"]
    client.post(reverse("workbook:confirm"), {"token": token, "nom": "demo.xlsx"})
    run_queued_tasks()
    programme = Programme.objects.get()

    class Upload:  # the same workbook again: nothing to change
        def chunks(self):
            yield DEMO_WORKBOOK.read_bytes()

    job = update_start(
        user=admin,
        token=upload_keep(Upload()),
        file_name="demo.xlsx",
        programme=programme,
        delete_missing=False,
    )
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Status.DONE and "rien à modifier" in job.message


def test_a_task_whose_worker_died_is_said_failed_not_running_for_ever(client, world):
    import datetime

    from django.utils import timezone

    _programme, cast = world
    job = job_start(user=cast["coordination"], kind=Kind.REPORT, label="rapport", params={})
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, heartbeat=long_ago)
    client.force_login(cast["coordination"])
    page = client.get(reverse("tasks:list")).content.decode()
    job.refresh_from_db()
    assert job.status == Status.FAILED and "Le processus de travail" in page
