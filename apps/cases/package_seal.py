"""An evidential package's manifest and seal: how a package is written and how it is checked, in one
place (the export writes with PackageWriter, `manage.py verify_export` checks with package_checked).

A package is a ZIP file. manifest.json lists every other file in it with its SHA-256 and size, and
says which case folder it came from, who exported it, when and under what purpose. manifest.hmac
holds an HMAC-SHA256 of manifest.json's exact bytes, keyed from SECRET_KEY (Django's salted_hmac,
under this module's own salt, so the key signs nothing else).

What each proves. The hashes show that no file was changed, added or taken away since the
manifest was written, but only against accident: whoever changes a file can write a new manifest
to match. The seal can be made only with this system's key, so a package whose seal verifies here
was written by this system and has not changed since. Anyone without the key can check the
hashes (sha256sum), not the seal; for that they ask the force to run verify_export. Neither says
the reads are right, only that they are what this system held and exported. A key rotated away
still verifies while it is listed in SECRET_KEY_FALLBACKS; once dropped, older packages' seals can
no longer be checked, though their hashes can.
"""

import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT = "anpr-evidential-export/1"
MANIFEST = "manifest.json"
# A manifest lists a folder's files (at most 500 reads, three files each): far under this.
MANIFEST_MAX_BYTES = 16 * 1024 * 1024
SEAL = "manifest.hmac"
SEAL_SALT = "apps.cases.package_seal"
CHUNK = 1024 * 1024


class PackageTooLarge(Exception):
    """The package would hold more than it may (CASE_EXPORT_MAX_BYTES); nothing is sent."""


class PackageWriter:
    """A package being written to `target`: each file is hashed as it goes in, and `seal` closes it
    with the manifest and its seal. Refuses (PackageTooLarge) files beyond `max_bytes` in all. Used
    as a context manager, it closes the ZIP whatever happens (unsealed, if it was not sealed)."""

    def __init__(self, target: IO[bytes], *, max_bytes: int, moment: datetime) -> None:
        self._zip = zipfile.ZipFile(target, "w")
        self._files: list[dict[str, Any]] = []
        self._room = max_bytes
        self._stamp = moment.astimezone(UTC).timetuple()[:6]  # every file dated the export's moment

    def __enter__(self) -> "PackageWriter":
        return self

    def __exit__(self, *exception: object) -> None:
        self._zip.close()  # a second close (after seal) does nothing

    def add(self, name: str, content: bytes) -> str:
        """Add a file of text (compressed); returns its SHA-256."""
        return self.add_from(name, io.BytesIO(content), compress=True)

    def add_from(self, name: str, source: IO[bytes], *, compress: bool) -> str:
        """Add a file read from `source` in chunks (images are stored as they are: already
        compressed); returns its SHA-256."""
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        digest, size = hashlib.sha256(), 0
        with self._zip.open(info, "w", force_zip64=True) as member:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > self._room:
                    raise PackageTooLarge(
                        f"The package would be larger than {settings.CASE_EXPORT_MAX_BYTES:,} bytes "
                        "(CASE_EXPORT_MAX_BYTES): export fewer reads at a time."
                    )
                digest.update(chunk)
                member.write(chunk)
        self._room -= size
        self._files.append({"name": name, "sha256": digest.hexdigest(), "size": size})
        return digest.hexdigest()

    def seal(self, facts: Mapping[str, object]) -> None:
        """Write the manifest (the facts given, and every file added) and its seal; close the ZIP."""
        manifest = json.dumps(
            {"format": FORMAT, **facts, "files": self._files}, indent=2, ensure_ascii=False
        ).encode()
        for name, content in ((MANIFEST, manifest), (SEAL, f"{seal_of(manifest)}\n".encode())):
            info = zipfile.ZipInfo(name, date_time=self._stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            self._zip.writestr(info, content)
        self._zip.close()


def seal_of(manifest: bytes, *, secret: str | bytes | None = None) -> str:
    """The seal of a manifest's exact bytes, under SECRET_KEY (or `secret`)."""
    return salted_hmac(SEAL_SALT, manifest, secret=secret, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Verdict:
    """What checking a package found: each fault in words (none: it verifies), its manifest as
    read (empty when unreadable), and how many files were checked against it."""

    faults: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    checked: int = 0


def package_checked(source: str | Path | IO[bytes]) -> Verdict:
    """Check a package: the seal against the manifest, then every file against the manifest.
    Names each file missing, added or altered; nothing is extracted to disk."""
    try:
        with zipfile.ZipFile(source) as archive:
            return _checked(archive)
    except (zipfile.BadZipFile, OSError) as unreadable:
        return Verdict(faults=[f"Not a readable ZIP file ({unreadable})."])


def _checked(archive: zipfile.ZipFile) -> Verdict:
    names = archive.namelist()
    faults = [f"{name}: more than one file of this name" for name, n in Counter(names).items() if n > 1]
    if MANIFEST not in names:
        return Verdict(faults=[*faults, f"{MANIFEST}: missing, so nothing can be checked"])
    if archive.getinfo(MANIFEST).file_size > MANIFEST_MAX_BYTES:  # what the header says: checked again
        return Verdict(faults=[*faults, f"{MANIFEST}: larger than any manifest this system writes"])
    raw = _read_at_most(archive, MANIFEST, MANIFEST_MAX_BYTES)
    if raw is None:
        return Verdict(faults=[*faults, f"{MANIFEST}: larger than any manifest this system writes"])
    faults += _seal_faults(archive, names, raw)
    manifest = _manifest(raw)
    if manifest is None:
        return Verdict(faults=[*faults, f"{MANIFEST}: not the manifest of a package this system writes"])
    listed = {entry["name"]: entry for entry in manifest["files"]}
    for name, entry in listed.items():
        if name not in names:
            faults.append(f"{name}: missing (listed in the manifest)")
        else:
            faults += _file_faults(archive, name, entry)
    faults += [
        f"{name}: added (not in the manifest)" for name in names if name not in {*listed, MANIFEST, SEAL}
    ]
    return Verdict(faults=faults, manifest=manifest, checked=len(listed))


def _seal_faults(archive: zipfile.ZipFile, names: list[str], manifest: bytes) -> list[str]:
    if SEAL not in names:
        return [f"{SEAL}: missing, so the package cannot be shown to come from this system"]
    sealed = _read_at_most(archive, SEAL, 1024)
    if sealed is None:
        return [f"{SEAL}: larger than any seal this system writes"]
    given = sealed.decode(errors="replace").strip()
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if any(constant_time_compare(seal_of(manifest, secret=key), given) for key in keys):
        return []
    return [
        f"{SEAL}: the seal does not match {MANIFEST}: the manifest was altered, "
        "or the package was not made by this system"
    ]


def _read_at_most(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """The member's bytes, or None past `limit`: a package from outside is read as it is
    inflated, never trusted for its size (a small ZIP can inflate to gigabytes)."""
    with archive.open(name) as member:
        content = member.read(limit + 1)
    return None if len(content) > limit else content


def _manifest(raw: bytes) -> dict[str, Any] | None:
    try:
        manifest = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    files = manifest.get("files")
    shaped = isinstance(files, list) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
        for entry in files
    )
    return manifest if shaped else None


def _file_faults(archive: zipfile.ZipFile, name: str, entry: Mapping[str, Any]) -> list[str]:
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as damaged:  # a bad CRC: changed in place
        return [f"{name}: altered (damaged inside the ZIP: {damaged})"]
    if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
        return [f"{name}: altered (its SHA-256 or size is not the one in the manifest)"]
    return []
