"""How a new TOTP secret is handed to its holder: the otpauth URI as a QR code and as text."""

from urllib.parse import quote, urlencode

import segno
from django.conf import settings

from .models import User


def totp_enrolment(user: User, secret: str) -> dict:
    """The secret, its otpauth:// URI, and that URI as an inline SVG QR code."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.username}")
    uri = f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "digits": 6, "period": 30}
    )
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b1f33", light="#ffffff")
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": qr_svg}
