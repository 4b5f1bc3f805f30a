"""CSV, the second representation of every list of the API (`?format=csv` or
`Accept: text/csv`): one row per item, nested values flattened to dotted columns, lists
joined with « | », and no cell that a spreadsheet could run as a formula."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from ancrage.core.textfiles import neutralise


def _flatten(value, prefix: str, row: dict) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row)
    elif isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            row[prefix] = " | ".join("" if item is None else str(item) for item in value)
        else:
            for i, item in enumerate(value):
                _flatten(item, f"{prefix}.{i}", row)
    else:
        row[prefix or "valeur"] = value


def rows_of(data) -> list[dict]:
    """The rows of a response: a page's results, a list, or one object's keys and values."""
    if isinstance(data, dict) and "results" in data and isinstance(data["results"], list):
        data = data["results"]
    if isinstance(data, list):
        rows = []
        for item in data:
            row: dict = {}
            _flatten(item, "", row)
            rows.append(row)
        return rows
    flat: dict = {}
    _flatten(data, "", flat)
    return [{"cle": key, "valeur": value} for key, value in flat.items()]


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = rows_of(data if data is not None else [])
        columns = list(dict.fromkeys(key for row in rows for key in row))
        out = io.StringIO()
        # The BOM makes Excel read UTF-8 accents; R and Power BI ignore it.
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(column))) for column in columns])
        return out.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value
