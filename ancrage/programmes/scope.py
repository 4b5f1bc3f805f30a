from dataclasses import dataclass

from ancrage.programmes.models import Programme


@dataclass(frozen=True)
class Scope:
    """What a set of figures covers: a programme, optionally some territories and school years."""

    programme: Programme
    territory_ids: tuple[int, ...] | None = None
    school_years: tuple[int, ...] | None = None

    def filters(self, territory_field: str = "territory_id", year_field: str = "school_year"):
        conditions = {"programme_id": self.programme.pk}
        if self.territory_ids is not None:
            conditions[f"{territory_field}__in"] = self.territory_ids
        if self.school_years is not None:
            conditions[f"{year_field}__in"] = self.school_years
        return conditions

    @property
    def years(self) -> list[int]:
        return list(self.school_years) if self.school_years else self.programme.school_years
