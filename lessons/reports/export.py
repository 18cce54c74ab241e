"""Report rows as CSV text whose cells a spreadsheet will not run as formulas."""

import io

from home.core.spreadsheet import safe_cell, safe_writer


def to_csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = safe_writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
