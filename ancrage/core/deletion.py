"""Deleting a row and everything that goes with it, one statement per table.

Django's deletion collector loads every row it deletes and sends a signal for each, which the
journal (django-simple-history) answers with a version row and the figures' cache with a
version bump: for the staging programme of a workbook update, 4 million rows at national scale
(2 minutes already for 88,000, and more memory than an import may take). The rows removed here
were never seen by anyone, so nothing needs to hear of their deletion.
"""

from django.db import models, transaction


def _owned(model) -> list:
    """The relations whose rows go with a row of `model` (hidden ones too: the journal's and
    many-to-many tables'), as (related model, its field, how it goes)."""
    relations = []
    for relation in model._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and not relation.many_to_many:
            relations.append((relation.related_model, relation.field, relation.on_delete))
    return relations


def _delete(model, rows: models.QuerySet, direct: set, path: tuple) -> None:
    """Delete `rows` after what they own, and their own versions in the journal. A table
    holding a column for the root is emptied by that column alone (reached once, never through
    a longer path). The journal's versions of other rows that cited these (DO_NOTHING) are
    left to the journal, as Django leaves them."""
    at_root = len(path) == 1
    for child, field, on_delete in _owned(model):
        if (child in direct and not at_root) or child in path:
            continue
        keys = rows.values(field.target_field.name)
        children = child._base_manager.filter(**{f"{field.name}__in": keys})
        if on_delete is models.SET_NULL:
            children.update(**{field.name: None})
        elif on_delete is not models.DO_NOTHING:
            _delete(child, children, direct, (*path, child))
    journal = getattr(model._meta, "simple_history_manager_attribute", None)
    if journal:
        versions = getattr(model, journal).model._base_manager
        versions.filter(**{f"{model._meta.pk.attname}__in": rows.values("pk")})._raw_delete(rows.db)
    rows._raw_delete(rows.db)


@transaction.atomic
def delete_with_everything_owned(instance: models.Model) -> None:
    """Delete `instance` and every row that depends on it, set-based: no signal, no journal
    version, nothing loaded. Only for rows that nobody has seen (a staging programme)."""
    model = type(instance)
    direct = {child for child, _field, _on_delete in _owned(model)}
    _delete(model, model._base_manager.filter(pk=instance.pk), direct, (model,))
