"""Vehicle colour: the one list of colours a read may carry, searched by, and sent by a camera.

A colour is a description of the vehicle, estimated from its picture (apps/recognition/colour.py)
or sent by the camera; it is never part of what a read matches (hotlists match plates only).
The list is short on purpose: names a witness would use and pixels can tell apart. Silver and
grey are one colour, as are brown and beige: a camera cannot tell them apart reliably in changing
light, and a search for one would miss vehicles taken for the other. Purple, pink and gold
vehicles have no colour of their own here; they are read as the nearest colour or as unknown.
"""

from django.db import models

COLOUR_MAX_LENGTH = 10  # the stored column's width (reads_read.colour varchar(10))


class VehicleColour(models.TextChoices):
    """A vehicle's body colour, as a read records it; a read of unknown colour has none."""

    WHITE = "white", "White"
    SILVER = "silver", "Silver or grey"
    BLACK = "black", "Black"
    RED = "red", "Red"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    ORANGE = "orange", "Orange"
    BROWN = "brown", "Brown or beige"


COLOURS = frozenset(VehicleColour.values)


def colour_label(code: str) -> str:
    """How pages name a colour: its label; a code no longer listed (in an older search) as it is."""
    return dict(VehicleColour.choices).get(code, code)
