"""Cameras for tests."""

import factory

from apps.cameras.models import Camera


class CameraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Camera

    code = factory.Sequence(lambda n: f"CAM-{n:04d}")
    name = factory.Sequence(lambda n: f"Test road junction {n}")
    kind = Camera.Kind.FIXED
    status = Camera.Status.LIVE
    latitude = factory.Sequence(lambda n: 51.5 + n / 1000)
    longitude = factory.Sequence(lambda n: -0.12 - n / 1000)
    road = "A1"
    direction = "northbound"
    area = "North district"
