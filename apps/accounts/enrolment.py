"""How a new TOTP secret is handed to its holder: the otpauth URI as a QR code and as text."""

from urllib.parse import quote, urlencode

import segno
from django.conf import settings

from .models import User


def totp_enrolment(user: User, secret: str) -> dict:
    """The secret, its otpauth:// URI, and that URI as an inline SVG QR code."""
    uri = totp_uri(user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b1f33", light="#ffffff")
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": qr_svg}


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads the secret from (as a QR code or pasted)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.username}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "digits": 6, "period": 30}
    )
