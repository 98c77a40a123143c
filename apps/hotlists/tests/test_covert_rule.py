"""The covert rule for one list and one person (`may_be_told`), and the entry filter's plate."""

import pytest

from apps.hotlists.selectors import entries_of, may_be_told
from apps.hotlists.tests.factories import add_entry, make_hotlist


def test_an_overt_list_tells_everyone_a_covert_one_only_its_owners():
    assert may_be_told(None, 7)
    assert may_be_told(None, None)  # a patrol car's crew hears of overt lists' hits
    assert may_be_told(frozenset({7}), 7)
    assert may_be_told([7, 9], 9)  # as a live event carries the audience
    assert not may_be_told(frozenset({7}), 8)
    assert not may_be_told(frozenset({7}), None)  # and never of a covert list's
    assert not may_be_told(frozenset(), 7)


@pytest.mark.django_db
def test_entries_are_filtered_by_the_plate_as_normalised(make_user):
    admin = make_user("administrator")
    hotlist = make_hotlist(admin)
    add_entry(hotlist, "AB12CDE", admin)
    add_entry(hotlist, "XY99ZZZ", admin)
    assert [entry.vrm for entry in entries_of(hotlist, vrm="ab-12 c")] == ["AB12CDE"]
    assert entries_of(hotlist, vrm="").count() == 2
