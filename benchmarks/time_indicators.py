"""Time the indicator engine on the database of DATABASE_URL; prints one JSON line.

`all`: the workbook contract's figures (deliveries, reach, governance…) for the programme and
every territory; `everything`: with the questionnaires and the evaluation too."""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")

import django

django.setup()

from ancrage.indicators.selectors import (  # noqa: E402
    compute_indicators,
    deployment_figures,
)
from ancrage.programmes.scope import Scope  # noqa: E402
from ancrage.programmes.selectors import programme_by_name  # noqa: E402


def timed(scope: Scope, runs: int, compute=deployment_figures) -> tuple[float, dict]:
    times, figures = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        figures = compute(scope)
        times.append(time.perf_counter() - start)
    return statistics.median(times), figures


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    programme = programme_by_name(None)
    all_territories, figures = timed(Scope(programme), runs)
    first = programme.territories.order_by("code").first()
    one_territory, _ = timed(Scope(programme, territory_ids=(first.pk,)), runs)
    everything, _ = timed(Scope(programme), runs, compute_indicators)
    result = {
        "all": all_territories,
        "one_territory": one_territory,
        "everything": everything,
        "territories": len(figures["by_territory"]),
        "professionals_unique": figures["reach"]["professionals_unique"],
        "children_total": figures["reach"]["children_total"],
        "structures": figures["reach"]["structures"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
