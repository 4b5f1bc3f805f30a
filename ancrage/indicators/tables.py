"""The readable French table printed by `ancrage indicators`."""

from ancrage.core.numbers import fr_decimal, fr_int
from ancrage.programmes.objectives import expected_text, territory_label

from .registry import FIGURES, STATUS_LABELS, figure_value

METHOD_LABELS = {"exact": "exact", "estimated": "estimé"}


def _fmt(value) -> str:
    if isinstance(value, float):
        return fr_decimal(value, 2)
    if isinstance(value, int):
        return fr_int(value)
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))])

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def indicator_table(figures: dict) -> str:
    territories = list(figures["by_territory"])
    header = ["Indicateur", "Programme", *territories]
    rows = []
    for figure in FIGURES:
        values = [figure_value(figures, figure.key)]
        values += [
            figure_value(figures["by_territory"][t], figure.key) if figure.per_territory else "—"
            for t in territories
        ]
        label = str(figure.label)
        if figure.key == "reach.professionals_unique":
            label += f" ({METHOD_LABELS[figures['reach']['professionals_method']]})"
        rows.append([label, *(_fmt(v) for v in values)])
    programme = figures["programme"]
    out = [
        f"Programme « {programme['name']} » ({programme['start']} – {programme['end']}, "
        f"années scolaires {', '.join(programme['school_years'])})",
        "",
        *_table(header, rows),
    ]
    if figures["objectives"]:
        out += ["", "Attendu / réalisé"]
        objective_rows = [
            [
                territory_label(o["territoire"]),
                o["cible"],
                expected_text(o),
                _fmt(o["achieved"]),
                str(STATUS_LABELS[o["status"]]),
            ]
            for o in figures["objectives"]
        ]
        out += _table(["Territoire", "Cible", "Attendu", "Réalisé", "Statut"], objective_rows)
    return "\n".join(out) + "\n"
