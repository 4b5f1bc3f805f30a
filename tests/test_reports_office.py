"""The deck and the Word document open in LibreOffice: converted to PDF, their first pages
rendered to pictures by pdftoppm. Locally this skips where LibreOffice is absent; in CI
(CI=true, .ci/run installs Debian's libreoffice and poppler-utils) it must run."""

import shutil
import subprocess

from pypdf import PdfReader

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report

from .browser import require


def office_tools() -> tuple[str, str]:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    pdftoppm = shutil.which("pdftoppm")
    require(
        office and pdftoppm,
        "LibreOffice ou pdftoppm introuvable : installez les paquets Debian "
        "« libreoffice-impress-nogui libreoffice-writer-nogui poppler-utils »",
        "les tests de rapport bureautique",
    )
    return office, pdftoppm


def test_libreoffice_opens_the_deck_and_the_word_document(demo_programme, tmp_path):
    office, pdftoppm = office_tools()
    report = build_report(Scope(demo_programme))
    for fmt in ("pptx", "docx"):
        source = tmp_path / f"rapport.{fmt}"
        write_report(report, fmt, source)
        subprocess.run(
            [
                office,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path / fmt),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = tmp_path / fmt / "rapport.pdf"
        pages = PdfReader(pdf).pages
        assert len(pages) > 10
        text = " ".join(page.extract_text() for page in pages).replace("\u202f", " ")
        text = " ".join(text.split())  # lines joined: a title may wrap in the PDF
        # The opening part and the results part, with a figure computed from the data.
        for expected in (
            "Historique de la démarche CPS",
            "Objectifs opérationnels",
            "Nombre de prestations",
            "4 130",
        ):
            assert expected in text, (fmt, expected)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "3",
                str(pdf),
                str(tmp_path / fmt / "p"),
            ],
            check=True,
            timeout=120,
        )
        pictures = sorted((tmp_path / fmt).glob("p-*.png"))
        assert len(pictures) == 3 and all(p.stat().st_size > 2_000 for p in pictures)
