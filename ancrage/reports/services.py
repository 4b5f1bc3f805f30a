"""Generate a report file: the content once, then the chosen format."""

from collections.abc import Callable
from pathlib import Path

from ancrage.programmes.scope import Scope

from .sections import build_report

FORMATS = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def write_report(report, fmt: str, path: Path) -> None:
    if fmt == "pptx":
        from .pptx import write_pptx

        write_pptx(report, path)
    elif fmt == "pdf":
        from .html import write_pdf

        write_pdf(report, path)
    elif fmt == "docx":
        from .docx import write_docx

        write_docx(report, path)
    elif fmt == "html":
        from .html import write_html

        write_html(report, path)
    else:
        raise ValueError(fmt)


def generate_report(
    scope: Scope,
    fmt: str,
    path: Path,
    *,
    hide_small: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """Read the figures (cached), build the parts and write the file in the chosen format;
    `progress(step, total)` is called after each part and after writing (background tasks
    and the command line's progress bar both use it)."""
    report = build_report(scope, hide_small=hide_small, progress=progress)
    write_report(report, fmt, path)
    if progress:
        progress(fmt.upper(), 0)
