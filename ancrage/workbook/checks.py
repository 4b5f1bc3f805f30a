"""A database check of our own: on PostgreSQL, whether imports may check their keys in one pass
(keys.py). Run by `ancrage migrate` (so at each start of ancrage-web) and `ancrage check
--database default`."""

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database)
def keys_checked_in_one_pass(app_configs, databases=None, **kwargs):
    from . import keys

    warnings = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            if keys.may_set_replica(cursor, connection):
                continue
        warnings.append(
            Warning(
                "Le rôle PostgreSQL d'Ancrage ne peut pas régler session_replication_role : "
                "les imports vérifieront leurs clés ligne par ligne (un import national prend "
                "alors une minute de plus).",
                hint="Une fois, en superutilisateur : GRANT SET ON PARAMETER "
                "session_replication_role TO <rôle d'Ancrage>; (deploy/postgresql.sql, "
                "PostgreSQL 15 ou plus).",
                id="ancrage.W001",
            )
        )
    return warnings
