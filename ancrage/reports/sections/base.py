"""What every part of the report reads: the computed figures and a few labels, gathered once.

A part is a function `build(figures: ReportFigures) -> list[Section]`; it words and arranges
numbers, it never counts rows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.core.numbers import fr_int
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES, Modality

PUBLIC_MODALITIES = [m for m in Modality if m.value not in GOVERNANCE_MODALITIES]
SOURCES_ACTIVITY = gettext_lazy("Tableau de répartition de l'activité (classeur Ancrage)")


@dataclass
class ReportFigures:
    """The computed figures of a scope, plus what the words need (framework labels, maps)."""

    scope: Scope
    figures: dict
    hide_small: bool = False
    items: dict = field(default_factory=dict)  # framework item code → label
    _maps: dict | None = None
    _story: dict | None = None

    @property
    def maps(self) -> dict:
        """Territories with their communes and outlines (read when a part draws a map)."""
        if self._maps is None:
            from ancrage.activities.selectors import action_map

            self._maps = action_map(self.scope)
        return self._maps

    @property
    def story(self) -> dict:
        """What the coordination writes around the figures: history milestones, objectives,
        evaluative questions, lessons for transfer, thanks and closing words."""
        if self._story is None:
            from ancrage.evaluation.selectors import programme_story

            self._story = programme_story(self.scope.programme)
        return self._story

    def __getitem__(self, key: str):
        return self.figures[key]


def gather(scope: Scope, *, hide_small: bool = False, figures: dict | None = None):
    """The report's figures: the cached indicators of the scope unless given."""
    from ancrage.evaluation.models import FrameworkItem
    from ancrage.indicators.cache import cached_indicators

    if figures is None:
        figures = cached_indicators(scope, hide_small=hide_small)
    items = dict(
        FrameworkItem.objects.filter(framework__code__in=["OTTAWA", "EFFICACITE"]).values_list(
            "code", "label"
        )
    )
    return ReportFigures(scope, figures, hide_small, items)


def yes_no(value) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int | float):
        return fr_int(value)
    return "—" if value is None else str(value)
