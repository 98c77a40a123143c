"""Moments as people read them: the force's zone with its name, one format, in summer and winter."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from apps.core.times import iso_local, shown, shown_day, shown_if_moment

SUMMER = datetime(2026, 7, 14, 9, 5, 3, 123456, tzinfo=UTC)
WINTER = datetime(2026, 12, 4, 10, 5, 3, tzinfo=UTC)


def test_a_moment_is_shown_in_london_time_with_its_zones_name():
    assert shown(SUMMER) == "14 Jul 2026, 10:05:03 BST"
    assert shown(WINTER) == "4 Dec 2026, 10:05:03 GMT"
    assert shown(None) == ""


def test_a_day_is_the_londoners_day():
    assert shown_day(date(2026, 12, 4)) == "4 Dec 2026"
    assert shown_day(datetime(2026, 7, 14, 23, 30, tzinfo=UTC)) == "15 Jul 2026"  # 00:30 BST
    assert shown_day(None) == ""


def test_a_spreadsheet_gets_iso_8601_with_the_offset_and_whole_seconds():
    assert iso_local(SUMMER) == "2026-07-14T10:05:03+01:00"
    assert iso_local(WINTER) == "2026-12-04T10:05:03+00:00"
    assert iso_local(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (SUMMER, "14 Jul 2026, 10:05:03 BST"),
        ("2026-07-14T09:05:03.123456+00:00", "14 Jul 2026, 10:05:03 BST"),  # as the audit keeps criteria
        ("2026-07-14 09:05:03+00:00", "14 Jul 2026, 10:05:03 BST"),  # as the change log keeps values
        ("2026-07-14T10:05", "2026-07-14T10:05"),  # no offset: not a moment it can place
        ("AB12CDE", "AB12CDE"),
        (["officer"], ["officer"]),
        (3, 3),
    ],
)
def test_a_value_that_holds_a_moment_is_shown_as_one_and_anything_else_as_it_is(value, expected):
    assert shown_if_moment(value) == expected


def test_pages_show_every_moment_through_one_filter_and_the_same_format_without_it():
    rendered = Template("{{ m|when }}|{{ text|when }}|{{ none|when|default:'never' }}|{{ m }}").render(
        Context({"m": SUMMER, "text": "2026-12-04T10:05:03+00:00", "none": None})
    )
    assert rendered == ("14 Jul 2026, 10:05:03 BST|4 Dec 2026, 10:05:03 GMT|never|14 Jul 2026, 10:05:03 BST")


def test_text_naming_a_moment_the_zone_cannot_hold_is_shown_as_typed():
    # Year 1 in London is year 0 (its old offset), which Python's dates cannot hold: a token
    # label or a criterion holding it must not take down the audit pages that show it.
    for typed in ("0001-01-01T00:00:00+00:00", datetime(1, 1, 1, tzinfo=UTC)):
        assert shown_if_moment(typed) == typed
