"""What a hotlist entry's plate may be: a British registration, or, marked as one, a foreign or
diplomatic plate; letters and digits only either way."""

import pytest

from apps.core.plate_formats import NotAPlate, checked_plate, fits, shape_of


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("ab12 cde", "AB12CDE"),  # current
        ("A123 BCD", "A123BCD"),  # prefix
        ("ABC 123D", "ABC123D"),  # suffix
        ("A 1", "A1"),  # dateless
        ("ABZ 1234", "ABZ1234"),  # Northern Ireland
        ("1234-AB", "1234AB"),  # older Northern Ireland and dateless, hyphen ignored
    ],
)
def test_british_registrations_are_taken_as_typed_and_normalised(text, plate):
    assert checked_plate(text) == plate


@pytest.mark.parametrize(
    ("text", "foreign", "says"),
    [
        ("not a plate!!", False, "not “!”"),
        ("not a plate!!", True, "not “!”"),  # the mark does not let punctuation in
        ("AB12.CDE", False, "not “.”"),
        ("ÄB12 CDE", True, "letters A to Z"),
        ("  - ", False, "Give the plate"),
        ("NOT A PLATE", False, "NOTAPLATE is not a British registration"),
        ("AB-123-CD", False, "mark it as one"),  # French: not a British format
        ("X", True, "2 to 10 letters and digits; X has 1"),
        ("ABCDEFGHIJK", True, "ABCDEFGHIJK has 11"),
    ],
)
def test_what_is_not_a_plate_is_refused_in_words(text, foreign, says):
    with pytest.raises(NotAPlate) as refused:
        checked_plate(text, foreign=foreign)
    assert says in str(refused.value)


@pytest.mark.parametrize("text", ["AB-123-CD", "CD 123 456", "B MW 1234"])
def test_a_plate_marked_foreign_or_diplomatic_is_any_letters_and_digits(text):
    assert checked_plate(text, foreign=True) == text.replace("-", "").replace(" ", "")


def test_shapes_and_groups():
    assert shape_of("AB12CDE") == "LLDDLLL"
    assert fits("AB12CDE", "GB") and not fits("AB123CD", "GB") and fits("AB123CD", "EU")
