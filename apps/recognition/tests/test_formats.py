"""Fitting what the OCR read onto plate formats: position-aware fixes and their limits."""

import numpy as np
import pytest

from apps.recognition.formats import fit
from apps.recognition.ocr import ALPHABET, PlateText
from apps.recognition.voting import vote


def read_as(text: str, sure: float = 0.9, runner_up: dict[int, str] | None = None) -> PlateText:
    """A line the OCR read as `text`, each character this sure, with an optional runner-up."""
    probs = np.full((len(text), len(ALPHABET)), (1 - sure) / (len(ALPHABET) - 1), np.float32)
    for i, character in enumerate(text):
        probs[i, ALPHABET.index(character)] = sure
    for i, character in (runner_up or {}).items():
        probs[i, ALPHABET.index(character)] = (1 - sure) * 0.8
    probs /= probs.sum(axis=1, keepdims=True)
    return PlateText(probs=probs, height=40)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("AB12CDE", "AB12CDE"),  # already a current GB plate
        ("AB1ZCDE", "AB12CDE"),  # Z where a digit must be (A812CDE would be a valid prefix plate)
        ("ABI2CDE", "AB12CDE"),  # I where a digit must be
        ("AB12C0E", "AB12CDE"),  # 0 where a letter must be: D (or O), not the digit
    ],
)
def test_gb_confusables_are_fixed_by_position(read, expected):
    fitted = fit([read_as(read)], ("GB",))
    assert fitted[0].vrm[:4] == expected[:4]
    assert fitted[0].vrm[4] == "C" and fitted[0].vrm[6] == "E"
    assert fitted[0].vrm[5] in "DO"


def test_the_runner_up_decides_between_lookalikes():
    # The OCR's second choice for position 5 was D: the fix takes D rather than O.
    fitted = fit([read_as("AB12C0E", runner_up={5: "D"})], ("GB",))
    assert fitted[0].vrm == "AB12CDE"


def test_a_lookalike_that_may_stand_there_lends_nothing():
    # 1 read more surely than T, with 7 a distant third: T and 1 may both stand last on a US
    # plate, so T must not win by borrowing 1's and 7's probability.
    line = read_as("TRZ951", sure=0.45)
    line.probs[5, ALPHABET.index("T")] = 0.35
    line.probs[5, ALPHABET.index("7")] = 0.2
    line.probs[5] /= line.probs[5].sum()
    assert fit([line], ("US",))[0].vrm == "TRZ951"


def test_a_clear_reading_that_fits_no_format_is_kept():
    fitted = fit([read_as("W0BVWMK4", sure=0.99)], ("GB",))
    assert fitted[0].vrm == "W0BVWMK4"
    assert fitted[0].shape == ""


def test_a_country_band_letter_before_the_plate_is_dropped():
    fitted = fit([read_as("DAB12CDE", sure=0.95)], ("GB",))
    assert fitted[0].vrm == "AB12CDE"


def test_us_plates_keep_the_i_and_o_they_are_read_with():
    # Vanity plates and some states use them; reading them as 1 and 0 cost more than it gained.
    assert fit([read_as("NEILDMND")], ("US",))[0].vrm == "NEILDMND"
    assert fit([read_as("HKOE7C")], ("US",))[0].vrm == "HKOE7C"


def test_formats_of_countries_not_expected_do_not_apply():
    # 1234 BCD is a Spanish format, I234 BCD a GB prefix plate: each country reads its own.
    assert fit([read_as("I234BCD", sure=0.99)], ("EU",))[0].vrm == "1234BCD"
    assert fit([read_as("I234BCD", sure=0.99)], ("GB",))[0].vrm == "I234BCD"


def test_votes_are_per_character_and_weighted():
    readings = [
        fit([read_as(text, sure)], ("GB",))[0]
        for text, sure in [("AB12CDE", 0.9), ("AB12CDF", 0.5), ("AB12COE", 0.9), ("AB13CDE", 0.6)]
    ]
    (winner, confidence), *others = vote(readings)
    assert winner == "AB12CDE"
    assert 0 < confidence < 1
    assert {vrm for vrm, _ in others} >= {"AB12CDF", "AB13CDE"}
