"""CSV cells that a spreadsheet will not run as formulas (CSV/formula injection)."""

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as text; one starting with = + - @ tab or CR gets a leading quote so Excel,
    LibreOffice and Sheets show it as text instead of evaluating it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SafeWriter:
    """`csv.writer` whose every text cell goes through `safe_cell`; numbers, dates and None are
    written as the csv module writes them. The one writer every CSV of the project uses."""

    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def safe_writer(fileobj, **kwargs) -> SafeWriter:
    return SafeWriter(fileobj, **kwargs)


class SafeSpreadsheetExportMixin:
    """For Wagtail index views with `list_export` (its SpreadsheetExportMixin writes CSV cells as
    they are): every CSV cell, headings included, goes through `safe_cell`. XLSX is already safe
    (Wagtail turns formula cells back into text)."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))
