"""Caps on what users send: the size of an upload, and the size a workbook (a zip archive)
would take once decompressed, checked from the archive's own directory before openpyxl opens
it (a 645 KB zip bomb otherwise takes a worker to 1.3 GB)."""

import zipfile

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Members this much larger than their compressed size are not spreadsheets but bombs: real
# sheets compress 5 to 30 times; beyond a few megabytes 200 times is never seen.
MAX_RATIO = 200
RATIO_FROM = 8 * 1024 * 1024


class UploadTooLarge(Exception):
    """The French message says what the limit is."""


def upload_limit() -> int:
    return int(settings.ANCRAGE_UPLOAD_MAX_MB * 1024 * 1024)


def too_large_message() -> str:
    return _("Fichier trop volumineux : {limit} au plus.").format(
        limit=filesizeformat(upload_limit())
    )


def archive_check(source) -> None:
    """Refuse a zip archive (a workbook, a zip export) that declares more than
    ANCRAGE_WORKBOOK_MAX_MB once decompressed, or a member compressed beyond any spreadsheet's
    ratio. `source` is a path or
    a binary file object. Python's zipfile never inflates a member beyond its declared size, so
    the declared sizes bound what openpyxl can read. A file that is not a zip is left to the
    reader (it says so in its own words)."""
    limit = int(settings.ANCRAGE_WORKBOOK_MAX_MB * 1024 * 1024)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    total = sum(m.file_size for m in members)
    if total > limit:
        raise UploadTooLarge(
            _(
                "Fichier refusé : il occuperait {size} une fois décompressé ({limit} au plus). "
                "Enregistrez-le sans les feuilles ou colonnes inutiles, ou découpez-le."
            ).format(size=filesizeformat(total), limit=filesizeformat(limit))
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise UploadTooLarge(
                _(
                    "Fichier refusé : « {name} » se décompresse {ratio} fois plus gros que dans "
                    "l'archive, ce qu'aucun tableur ni aucun export n'écrit (archive piégée ?)."
                ).format(name=member.filename, ratio=ratio)
            )


class UploadSizeHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the cap, instead of writing gigabytes to
    a temporary file before the view can refuse it. The view then finds no file and
    `request.upload_too_large` set."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > upload_limit():
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
