"""Demo accounts: one per role, with known passwords, for `make run` only.

Re-running keeps existing accounts and their secrets, so the printed credentials stay valid.
"""

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import User
from .roles import CAMERA, PORTAL_ROLES

GATEWAY = "camera-gateway"
DEMO_PASSWORD_SUFFIX = "-demo-2026!"  # noqa: S105  (demo only; seed_demo is refused in production)


def seed(*, out) -> None:
    out.write("\nDemo accounts (sign in at /accounts/sign-in/; code: `make totp USER=<username>`)")
    out.write(f"  {'username':<14} {'password':<24} TOTP secret (base32)")
    for role in PORTAL_ROLES:
        user = _demo_user(role, [role])
        device = TOTPDevice.objects.get(user=user)
        out.write(f"  {role:<14} {role + DEMO_PASSWORD_SUFFIX:<24} {b32encode(device.bin_key).decode()}")
    _demo_user(GATEWAY, [CAMERA])  # bound to the demo cameras, and given its token, in cameras/demo.py


def _demo_user(username: str, roles: list[str]) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    user, _ = services.user_create(
        username=username,
        password=username + DEMO_PASSWORD_SUFFIX,
        roles=roles,
        first_name=f"Demo {username.replace('-', ' ')}",
        actor=None,
        password_change_required=False,  # printed for the demo, to sign in with as it is
    )
    return user
