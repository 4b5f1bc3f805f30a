"""What a set of figures covers (a programme, some of its territories, some school years), the
one way to build it, and the one way to filter rows by it."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Programme


class ScopeError(ValueError):
    """A scope that cannot be built: an unknown territory, reversed years. Said in French; the
    command line turns it into a CommandError, the web into a 404."""


@dataclass(frozen=True)
class Scope:
    """What a set of figures covers: a programme, optionally some territories and school years.

    `None` means "all": all the programme's territories (its programme-wide rows included),
    all its school years."""

    programme: Programme
    territory_ids: tuple[int, ...] | None = None
    school_years: tuple[int, ...] | None = None

    def filters(
        self,
        *,
        action: str | None,
        programme_field: str = "programme_id",
        territory_field: str = "territory_id",
        year_field: str | None = "school_year",
    ) -> Q:
        """The condition on rows that carry the programme, territory and school year (or reach
        them through a relation: `territory_field="action__territory_id"`); rows with no school
        year pass `year_field=None`. `action` names the rows' action (`"id"` for actions
        themselves, `"action_id"`, `"collection__action_id"`…), None for rows that hang off
        no action (coordination days, objectives)."""
        conditions = {programme_field: self.programme.pk}
        if self.territory_ids is not None:
            conditions[f"{territory_field}__in"] = self.territory_ids
        if year_field is not None:
            conditions[f"{year_field}__in"] = tuple(self.years)
        condition = Q(**conditions)
        # The programme's figures cover its dates: an action dated (by its start) outside them
        # is left out even in a school year the programme covers, and listed apart
        # (`excluded_actions`, the quality page). Usually none: then no join at all.
        if action is not None and self.excluded_action_ids:
            condition &= ~Q(**{f"{action}__in": self.excluded_action_ids})
        return condition

    def excluded_actions(self):
        """The scope's actions dated outside the programme's dates, in a school year it
        covers (the others are outside its school years anyway)."""
        programme = self.programme
        return (
            programme.actions.filter(self.territory_filter(), school_year__in=self.years)
            .exclude(start__range=(programme.start, programme.end))
            .order_by("start", "code")
        )

    @cached_property
    def excluded_action_rows(self) -> tuple[tuple, ...]:
        """The excluded actions' (pk, code, start, modality, territory's code), read once:
        the figures filter by them and list them (a scan of the programme's actions)."""
        rows = self.excluded_actions().values_list(
            "pk", "code", "start", "modality", "territory__code"
        )
        return tuple(rows)

    @cached_property
    def excluded_action_ids(self) -> tuple[int, ...]:
        return tuple(row[0] for row in self.excluded_action_rows)

    def within(self, territory_ids: tuple[int, ...] | None) -> "Scope":
        """This scope narrowed to some of its territories (None: the same ones), knowing
        already which actions are excluded (a filter on this scope's excluded actions keeps
        the same rows of fewer territories): the scan of the actions is not done twice."""
        narrower = Scope(
            self.programme,
            territory_ids=self.territory_ids if territory_ids is None else territory_ids,
            school_years=self.school_years,
        )
        narrower.__dict__["excluded_action_ids"] = self.excluded_action_ids
        return narrower

    def territory_filter(self, field: str = "territory_id", *, or_unassigned: bool = False) -> Q:
        """The « within the scope's territories » condition on `field`; an empty condition when
        the scope covers them all. `or_unassigned` keeps rows that name no territory (notes
        about the whole programme)."""
        if self.territory_ids is None:
            return Q()
        condition = Q(**{f"{field}__in": self.territory_ids})
        if or_unassigned:
            condition |= Q(**{f"{field.removesuffix('_id')}__isnull": True})
        return condition

    @property
    def years(self) -> list[int]:
        return list(self.school_years) if self.school_years else self.programme.school_years


def build_scope(
    programme: Programme,
    *,
    territory_code: str = "",
    visible: Sequence | None = None,
    years: tuple[int, int] | None = None,
) -> Scope:
    """The one scope builder, for the command line and the web alike.

    `visible`: the territories the user may see when restricted to some (None: the whole
    programme); `territory_code` narrows to one of them; `years` (first, last start years)
    narrows to those school years. Raises ScopeError in French for an unknown territory or
    reversed years."""
    if territory_code:
        pool = visible if visible is not None else programme.territories.filter(code=territory_code)
        territory_ids = tuple(t.pk for t in pool if t.code == territory_code)
        if not territory_ids:
            raise ScopeError(
                _("aucun territoire « {code} » dans « {programme} »").format(
                    code=territory_code, programme=programme
                )
            )
    else:
        territory_ids = None if visible is None else tuple(t.pk for t in visible)
    school_years = None
    if years is not None:
        first, last = years
        if last < first:
            raise ScopeError(_("la dernière année scolaire précède la première"))
        school_years = tuple(range(first, last + 1))
    return Scope(programme, territory_ids=territory_ids, school_years=school_years)
