"""The vehicle colour estimate on pictures drawn here: a body of one colour around a white plate,
and the pictures it must say nothing about (noise, darkness, no colour, a plate at the edge)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from apps.core.colours import VehicleColour
from apps.recognition.colour import frame_colour, vehicle_colour
from apps.recognition.detector import Box
from apps.recognition.formats import Fitted
from apps.recognition.tracking import Track

PLATE = (560, 420, 160, 36)  # x, y, width, height: a European plate's shape
ROAD, SKY = (90, 90, 90), (170, 200, 235)


def car(body, *, plate=(240, 240, 240), size=(1280, 720), plate_box=PLATE) -> Image.Image:
    """Sky, road, and a car's rear: a body of one colour, a dark rear window, a plate."""
    width, height = size
    picture = Image.new("RGB", size, SKY)
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, height // 2, width, height], fill=ROAD)
    x, y, w, h = plate_box
    draw.rectangle([x - 260, y - 200, x + w + 260, y + h + 60], fill=body)
    draw.rectangle([x - 200, y - 330, x + w + 200, y - 200], fill=(30, 35, 40))  # rear window
    draw.rectangle([x, y, x + w - 1, y + h - 1], fill=plate)
    draw.text((x + 20, y + 8), "AB12 CDE", fill=(0, 0, 0))
    return picture


@pytest.mark.parametrize(
    ("body", "colour"),
    [
        ((170, 25, 30), VehicleColour.RED),
        ((150, 150, 155), VehicleColour.SILVER),
        ((245, 245, 242), VehicleColour.WHITE),
        ((18, 18, 20), VehicleColour.BLACK),
        ((25, 55, 160), VehicleColour.BLUE),
        ((30, 110, 45), VehicleColour.GREEN),
        ((235, 200, 20), VehicleColour.YELLOW),
        ((230, 110, 20), VehicleColour.ORANGE),
        ((95, 60, 35), VehicleColour.BROWN),
    ],
)
def test_a_body_of_one_colour_around_the_plate_is_that_colour(body, colour):
    estimate = vehicle_colour(car(body), PLATE)
    assert estimate is not None and estimate.colour == colour
    assert estimate.confidence > 0.9


def test_the_plate_itself_and_the_road_below_it_do_not_count():
    # A red car whose plate and the road below are large, bright and grey: still red.
    picture = car((170, 25, 30), plate=(250, 250, 250))
    estimate = vehicle_colour(picture, PLATE)
    assert estimate is not None and estimate.colour == VehicleColour.RED


def test_a_white_body_in_shade_is_white_beside_a_plate_in_the_same_shade():
    # Brightness is judged against the plate: both at 60% of full white.
    estimate = vehicle_colour(car((150, 150, 150), plate=(152, 152, 152)), PLATE)
    assert estimate is not None and estimate.colour == VehicleColour.WHITE
    # The same grey beside a plate in full light is silver.
    estimate = vehicle_colour(car((150, 150, 150), plate=(250, 250, 250)), PLATE)
    assert estimate is not None and estimate.colour == VehicleColour.SILVER


def test_a_numpy_picture_and_a_pil_picture_give_the_same_answer():
    picture = car((25, 55, 160))
    assert vehicle_colour(picture, PLATE) == vehicle_colour(np.asarray(picture), PLATE)


def test_noise_gives_no_colour():
    noise = np.random.default_rng(7).integers(0, 256, (720, 1280, 3), dtype=np.uint8)
    assert vehicle_colour(noise, PLATE) is None


def test_a_body_of_many_colours_gives_none():
    # Red to the left, blue to the right, green and yellow above: no colour wins enough of the vote.
    picture = car((170, 25, 30))
    x, y, w, h = PLATE
    draw = ImageDraw.Draw(picture)
    draw.rectangle([x + w, y - 200, x + w + 260, y + h + 60], fill=(25, 55, 160))
    draw.rectangle([x, y - 200, x + w // 2, y - 1], fill=(30, 110, 45))
    draw.rectangle([x + w // 2, y - 200, x + w - 1, y - 1], fill=(235, 200, 20))
    assert vehicle_colour(picture, PLATE) is None


def test_too_dark_to_tell_gives_none():
    # Night without light: the plate itself is dark, so there is no white to judge by.
    assert vehicle_colour(car((30, 8, 8), plate=(40, 40, 40)), PLATE) is None


def test_a_picture_without_colour_gives_none():
    # An infrared camera's picture: the grey body is not known to be grey.
    grey = car((150, 150, 150)).convert("L").convert("RGB")
    assert vehicle_colour(grey, PLATE) is None


def test_a_plate_at_the_edge_of_the_picture_gives_none():
    # In the top left corner: the body beside it on the left and above it is off the picture.
    corner = (0, 0, 160, 36)
    assert vehicle_colour(car((170, 25, 30), plate_box=corner), corner) is None
    picture = car((170, 25, 30))
    assert vehicle_colour(picture, (-500, -500, 100, 20)) is None  # a box off the picture entirely
    assert vehicle_colour(picture, (600, 400, 0, 0)) is None  # no box at all


def test_the_same_picture_always_gives_the_same_answer():
    picture = np.asarray(car((150, 150, 155)))
    answers = {vehicle_colour(picture, PLATE) for _ in range(5)}
    assert len(answers) == 1


def test_a_bgr_frame_as_opencv_gives_it_is_read_the_right_way_round():
    bgr = np.asarray(car((170, 25, 30)))[:, :, ::-1]  # red, as OpenCV holds it
    assert frame_colour(bgr, Box(*PLATE, score=0.9)) == "red"


def test_a_track_keeps_the_colour_of_its_best_sighting():
    bgr = np.ascontiguousarray(np.asarray(car((25, 55, 160)))[:, :, ::-1])
    box = Box(*PLATE, score=0.9)
    track = Track(1, 0, 0, box)
    track.add_reading(box, [Fitted("AB12CDE", 0.0, 0.9, "GB")], bgr, 0, 0.0)
    assert track.best is not None and track.best.colour == "blue"
    # A later, less sure sighting does not replace the best one, nor its colour.
    red = np.ascontiguousarray(np.asarray(car((170, 25, 30)))[:, :, ::-1])
    track.add_reading(box, [Fitted("AB12CDE", 0.0, 0.5, "GB")], red, 3, 0.12)
    assert track.best.colour == "blue"
