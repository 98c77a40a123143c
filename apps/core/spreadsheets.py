"""Cells of every CSV file the system writes, made safe to open in a spreadsheet.

A cell that begins with =, +, -, @, a tab or a carriage return is read by spreadsheet programs
as a formula, which can run commands or send data away ("CSV injection"). Such a cell is
written with a leading apostrophe, which spreadsheets show as text and never evaluate. A plain
number (a longitude of -1.1) is a number to a spreadsheet, never a formula, and stays as it is.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """The value as a CSV cell: text that a spreadsheet would run as a formula is defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
