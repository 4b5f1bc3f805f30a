"""Back up and restore the whole application: the database and the uploaded files (docs: backup.md).

A backup is one .tar.gz archive holding `sauvegarde.json` (what it holds, from which version),
the database and `media/`. The database snapshot is consistent while the application runs:
SQLite's online backup API copies pages under a read lock, `pg_dump` reads in one transaction.
A restore is all or nothing: files are checked and unpacked aside first, the database is replaced
in one transaction (SQLite's backup API, `pg_restore --single-transaction`), then the media folder
is swapped in.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader

MANIFEST = "sauvegarde.json"
FORMAT = 1
DATABASE_FILES = {"sqlite": "base.sqlite3", "postgresql": "base.pgdump"}
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or a restore that cannot be done, said in French; nothing was changed."""


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"base de données « {connection.vendor} » non prise en charge")
    return connection.vendor


def _applied_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _pg_environment() -> tuple[list[str], dict]:
    """Connection options for the PostgreSQL tools, from Django's own settings."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"l'outil « {tool} » est introuvable : installez le client PostgreSQL "
            "(paquet Debian postgresql-client) de la même version que le serveur"
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"« {tool} » a échoué : {done.stderr.strip()}")


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        args, env = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
            ],
            env,
        )


def backup_create(path: Path | str) -> dict:
    """Write a backup archive at `path`; returns its manifest."""
    path = Path(path)
    vendor = _vendor()
    manifest = {
        "format": FORMAT,
        "application": "ancrage",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "base": vendor,
        "migrations": _applied_migrations(),
    }
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="ancrage-sauvegarde-") as work:
        database = Path(work) / DATABASE_FILES[vendor]
        _dump_database(vendor, database)
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partiel")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(path)  # never a half-written archive under the final name
    return manifest


def _read_manifest(archive: tarfile.TarFile, name: str) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{name} : ce n'est pas une sauvegarde Ancrage") from None
    if manifest.get("application") != "ancrage" or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} : ce n'est pas une sauvegarde Ancrage (format inconnu)")
    return manifest


def _check_compatible(manifest: dict, name: str) -> None:
    vendor = _vendor()
    if manifest["base"] != vendor:
        raise BackupError(
            f"{name} : sauvegarde d'une base {VENDOR_LABELS[manifest['base']]}, à restaurer dans "
            f"une base {VENDOR_LABELS[manifest['base']]} (la base configurée est "
            f"{VENDOR_LABELS[vendor]})"
        )
    known = {
        f"{app}.{migration}"
        for app, migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    newer = sorted(set(manifest["migrations"]) - known)
    if newer:
        raise BackupError(
            f"{name} : sauvegarde faite par une version plus récente d'Ancrage "
            f"({len(newer)} migration(s) inconnue(s), dont {newer[0]}) : mettez Ancrage à jour"
        )


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)  # replaces every page, in one step
        source.close()
    else:
        args, env = _pg_environment()
        connection.close()  # pg_restore drops the tables: no session of ours may hold them
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env,
        )


def _swap_media(unpacked: Path | None) -> None:
    media = Path(settings.MEDIA_ROOT)
    old = media.with_name(media.name + ".avant-restauration")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        media.rename(old)
    if unpacked is not None and unpacked.is_dir():
        shutil.move(unpacked, media)
    else:
        media.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(path: Path | str) -> dict:
    """Replace the database and the uploaded files by those of the archive; returns its
    manifest. Migrations added since the backup are then applied."""
    from django.core.management import call_command

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path.name} : fichier introuvable")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the media folder, so that swapping it in is a rename.
    with tempfile.TemporaryDirectory(prefix=".restauration-", dir=media.parent) as work:
        try:
            with tarfile.open(path, "r:gz") as archive:
                manifest = _read_manifest(archive, path.name)
                _check_compatible(manifest, path.name)
                archive.extractall(work, filter="data")  # no path outside `work`
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path.name} : archive illisible ({exc})") from None
        dump = Path(work) / DATABASE_FILES[manifest["base"]]
        if not dump.is_file():
            raise BackupError(f"{path.name} : la base de données manque dans l'archive")
        _restore_database(manifest["base"], dump)
        _swap_media(Path(work) / "media")
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()  # figures computed from the replaced rows
    return manifest
