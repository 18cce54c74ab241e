"""CSV cells that a spreadsheet will not run as formulas (CSV/formula injection)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as text; one starting with = + - @ tab or CR gets a leading quote so Excel,
    LibreOffice and Sheets show it as text instead of evaluating it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
