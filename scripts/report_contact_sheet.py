"""The demo deck's pages on one picture (docs/screenshots/rapport-planche.png), as LibreOffice
draws them: the deck is built, converted to PDF, each page rendered by pdftoppm, then tiled.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python scripts/report_contact_sheet.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "rapport-planche.png"
COLUMNS = 6


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ancrage-planche-"))
    call_command("migrate", verbosity=0)
    call_command("demo", if_missing=True, verbosity=0)
    deck = work / "rapport.pptx"
    call_command("report", format="pptx", output=str(deck), verbosity=0)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        sys.exit("LibreOffice introuvable (paquet libreoffice-impress-nogui)")
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{work}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(deck),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "24", str(work / "rapport.pdf"), str(work / "p")], check=True
    )
    pages = [Image.open(p) for p in sorted(work.glob("p-*.png"))]
    width, height = pages[0].size
    rows = -(-len(pages) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (width + 8) + 8, rows * (height + 8) + 8), "#cfd6dd")
    for index, page in enumerate(pages):
        sheet.paste(
            page, (8 + (index % COLUMNS) * (width + 8), 8 + (index // COLUMNS) * (height + 8))
        )
    sheet.save(OUT, optimize=True)
    print(f"{OUT} : {len(pages)} diapositives")


if __name__ == "__main__":
    main()
