"""Accounts for tests: a user per role, with a TOTP device whose codes tests can compute."""

from datetime import datetime, timedelta

import factory
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)


def current_code(user: User) -> str:
    """Six digits the user's authenticator app would accept now.

    A code is good once (replay protection); when this time step's code was already used,
    the next step's code is given, which the device's tolerance of one step still accepts.
    """
    device = TOTPDevice.objects.get(user=user)
    now = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
    drift = max(0, device.last_t - now + 1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


class ResetTokensOf(PasswordResetTokenGenerator):
    """Django's password reset tokens as made some hours ago: the token of a link mailed then."""

    def __init__(self, *, hours_ago: int) -> None:
        super().__init__()
        self.hours_ago = hours_ago

    def _now(self) -> datetime:
        return super()._now() - timedelta(hours=self.hours_ago)
