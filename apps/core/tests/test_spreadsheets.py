"""Safe spreadsheet cells."""

import pytest

from apps.core.spreadsheets import safe_row


@pytest.mark.parametrize(
    "text", ["=1+1", "+44 1234", "-2+3", "-1e3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_text_a_spreadsheet_would_run_is_defused(text):
    assert safe_row([text]) == ["'" + text]


def test_everything_else_is_left_as_it_is():
    assert safe_row(["AB12CDE", "north bound", "", 0.93, -1.5, None, 3]) == [
        "AB12CDE",
        "north bound",
        "",
        0.93,
        -1.5,
        None,
        3,
    ]
