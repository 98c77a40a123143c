"""Evidence images (plate patch, overview): checked by content, stored once under their hash.

An image is stored as evidence/<aa>/<bb>/<sha256>.<ext> in the default storage, so the same
picture sent twice is kept once and a stored file can be checked against its name.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image, UnidentifiedImageError

# A read's two images, by the name each goes by in addresses and files, and the field holding it.
IMAGES = {"plate": "plate_image", "overview": "overview_image"}

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # larger claims are decompression bombs, not camera frames


class ImageRejected(ValueError):
    """The bytes are not an acceptable evidence image; the message says why."""


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str

    @property
    def name(self) -> str:
        digest = hashlib.sha256(self.content).hexdigest()
        return f"evidence/{digest[:2]}/{digest[2:4]}/{digest}.{self.extension}"


def check_image(content: bytes, *, max_bytes: int | None = None) -> CheckedImage:
    """Refuse what is too big, not an image, of another format, truncated or a pixel bomb."""
    limit = max_bytes or settings.READ_IMAGE_MAX_BYTES
    if not content:
        raise ImageRejected("The image is empty.")
    if len(content) > limit:
        raise ImageRejected(f"The image is {len(content):,} bytes; the limit is {limit:,}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ImageRejected("The image claims more pixels than any camera produces.")
                image_format = image.format
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # verify() misses truncated pixel data; decoding does not
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRejected("The data is not a JPEG, PNG or WebP image.") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(f"The image is damaged ({error}).") from None
    if image_format not in FORMATS:
        raise ImageRejected(f"{image_format} images are not accepted; send JPEG, PNG or WebP.")
    return CheckedImage(content=content, extension=FORMATS[image_format])


def store_image(image: CheckedImage) -> str:
    """Save the image under its hash (once) and return its storage name."""
    if not default_storage.exists(image.name):
        default_storage.save(image.name, ContentFile(image.content))
    return image.name


def image_digest(name: str) -> str:
    """The SHA-256 of a stored image's bytes, which its name holds ("" for none): what identifies
    the evidence outside this system, where its storage name means nothing."""
    return name.rsplit("/", 1)[-1].split(".", 1)[0] if name else ""


def open_image(name: str):
    return default_storage.open(name, "rb")


def content_type(name: str) -> str:
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[name.rsplit(".", 1)[1]]


def delete_unused_images(names: set[str], *, ignoring_day: date | None = None) -> int:
    """Delete these stored images unless a read (of another day than `ignoring_day`, whose reads
    are going) or an alert still uses them; returns how many were deleted."""
    unused = set(names) - _images_in_use(names, ignoring_day)
    for name in sorted(unused):
        default_storage.delete(name)  # already gone (an interrupted run): nothing to do
    return len(unused)


def _images_in_use(names: set[str], ignoring_day: date | None) -> set[str]:
    if not names:
        return set()
    wanted = sorted(names)
    start = datetime.combine(ignoring_day or date.min, time.min, tzinfo=UTC)
    end = start + timedelta(days=1) if ignoring_day else start
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT plate_image FROM reads_read WHERE plate_image = ANY(%(names)s) "
            "AND NOT (seen_at >= %(start)s AND seen_at < %(end)s) "
            "UNION SELECT overview_image FROM reads_read WHERE overview_image = ANY(%(names)s) "
            "AND NOT (seen_at >= %(start)s AND seen_at < %(end)s) "
            "UNION SELECT plate_image FROM hotlists_alert WHERE plate_image = ANY(%(names)s)",
            {"names": wanted, "start": start, "end": end},
        )
        return {name for (name,) in cursor.fetchall()}
