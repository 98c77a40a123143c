"""The evidential export: what the package holds, that it is recorded first, and that
`manage.py verify_export` passes a package as made and names every file changed, removed or added."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from apps.audit.models import SearchAudit
from apps.cases import services
from apps.cases.evidential_export import case_export
from apps.cases.package_seal import MANIFEST, SEAL, PackageTooLarge, package_checked, seal_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(folders, tmp_path):
    """A folder of two reads (one with both images) and a search, shared and exported by the
    colleague."""
    case = folders.case(reference="OP-HERON", title="Heron")
    folders.file(case, "CF12AAA", note="Left the scene")
    folders.file(case, "CF12BBB")
    search = folders.search(folders.owner, "CF12CCC")
    services.case_search_file(case=case, actor=folders.owner, search_id=search.pk, note="Third car")
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    exported = case_export(folders.colleague, case)
    path = tmp_path / exported.name
    path.write_bytes(exported.file.read())
    exported.file.close()
    return path


def verify(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_export", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_export", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def rewritten(path, *, change=None, drop=(), add=None, reseal=False):
    """The package rewritten as a forger would: a file changed, dropped or added (its manifest
    brought into line and sealed again with a key not this system's when `reseal`)."""
    with zipfile.ZipFile(path) as original:
        files = {name: original.read(name) for name in original.namelist() if name not in drop}
    for name, content in (change or {}).items():
        files[name] = content
    files |= add or {}
    if reseal:
        manifest = json.loads(files[MANIFEST])
        for entry in manifest["files"]:
            entry["sha256"] = hashlib.sha256(files[entry["name"]]).hexdigest()
            entry["size"] = len(files[entry["name"]])
        files[MANIFEST] = json.dumps(manifest).encode()
        files[SEAL] = seal_of(files[MANIFEST], secret="not this system's key").encode()
    forged = path.with_name("forged.zip")
    with zipfile.ZipFile(forged, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    return forged


def test_the_package_holds_the_reads_their_images_and_trail_and_a_manifest_of_every_file(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read(MANIFEST))
        reads = json.loads(archive.read("reads.json"))
        trail = json.loads(archive.read("audit.json"))
        searches = json.loads(archive.read("searches.json"))
        rows = archive.read("reads.csv").decode().splitlines()
        files = {name: archive.read(name) for name in names}
    aaa = reads[0]["read"]
    assert names == {
        "reads.csv",
        "reads.json",
        "audit.json",
        "searches.json",
        f"images/{aaa}-plate.jpg",
        f"images/{aaa}-overview.jpg",
        MANIFEST,
        SEAL,
    }
    assert {entry["name"] for entry in manifest["files"]} == names - {MANIFEST, SEAL}
    for entry in manifest["files"]:
        assert entry["sha256"] == hashlib.sha256(files[entry["name"]]).hexdigest()
        assert entry["size"] == len(files[entry["name"]])
    assert manifest["case"]["reference"] == "OP-HERON" and manifest["case"]["owner"] == "pc-owner"
    assert (manifest["exported_by"], manifest["purpose"], manifest["reads"]) == (
        "pc-colleague",
        "vehicle-crime",
        2,
    )
    # The export was recorded before it was made: the manifest names the record.
    export = SearchAudit.objects.get(kind="evidence")
    assert (manifest["audit_record"], manifest["exported_at"]) == (export.pk, export.at.isoformat())
    assert (export.username, export.reference, export.result_count) == ("pc-colleague", "OP-HERON", 2)
    # Each image is the one the camera sent: its hash is the one it was stored under.
    plate = reads[0]["images"]["plate"]
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    assert listed[plate["file"]] == plate["sha256_as_received"]
    assert [read["vrm"] for read in reads] == ["CF12AAA", "CF12BBB"]
    assert reads[0]["filed"]["by"] == "pc-owner" and reads[0]["filed"]["note"] == "Left the scene"
    # where each read was taken goes with it (its camera's position); the registry entry does not
    assert reads[0]["latitude"] is not None and "latitude" not in reads[0]["camera"]
    # The trail of each read: the owner's search that found it and the opening that filed it.
    first = trail["reads"][0]["trail"]
    assert [row["kind"] for row in first] == ["search", "view"]
    assert first[0]["id"] == reads[0]["filed"]["search"] and first[1]["filters"]["read"] == aaa
    assert trail["export"]["id"] == export.pk
    assert rows[0].startswith("Read,Seen at,Plate") and len(rows) == 3
    # The filed search: what it asked and found, who filed it; not its purpose's free text.
    [search] = searches
    assert (search["criteria"]["vrm"], search["criteria"]["result_count"]) == ("CF12CCC", 1)
    assert (search["filed"]["by"], search["filed"]["note"]) == ("pc-owner", "Third car")
    assert "purpose_detail" not in search["criteria"]
    assert export.filters["searches"] == [search["search"]]


def test_a_package_as_made_verifies(package):
    out, err = verify(package)
    assert "verifies" in out and "OP-HERON" in out and "pc-colleague" in out and err == ""


def test_a_changed_byte_is_named(package):
    with zipfile.ZipFile(package) as archive:
        csv = archive.read("reads.csv")
    forged = rewritten(package, change={"reads.csv": csv.replace(b"CF12BBB", b"CF12BBX")})
    assert "reads.csv: altered" in refused(forged)


def test_a_removed_file_is_named(package):
    with zipfile.ZipFile(package) as archive:
        image = next(name for name in archive.namelist() if name.endswith("-overview.jpg"))
    assert f"{image}: missing" in refused(rewritten(package, drop=[image]))


def test_an_added_file_is_named(package):
    assert "planted.jpg: added" in refused(rewritten(package, add={"images/planted.jpg": b"\xff\xd8"}))


def test_a_manifest_brought_into_line_fails_the_seal(package):
    forged = rewritten(package, change={"reads.csv": b"Read\n"}, reseal=True)
    faults = refused(forged)
    assert "manifest.hmac: the seal does not match" in faults and "reads.csv" not in faults


def test_a_byte_changed_in_place_inside_the_zip_is_named(package):
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith("-plate.jpg"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # stored, as is
    raw[start + 40] ^= 0xFF
    package.write_bytes(bytes(raw))
    assert f"{info.filename}: altered" in refused(package)


def test_what_is_not_a_package_is_refused_plainly(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert "Not a readable ZIP file" in refused(junk)
    assert package_checked(junk).faults


def test_reads_outside_the_exporters_window_are_left_out_and_counted(folders, settings):
    case = folders.case()
    folders.file(case, "CF12AAA")
    folders.file(case, "CF12CCC")
    settings.READ_ACCESS_STANDARD_DAYS = 2
    exported = case_export(folders.owner, case)
    with zipfile.ZipFile(exported.file) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert (manifest["reads"], manifest["reads_withheld"]) == (1, 1)


def test_a_package_too_large_is_refused_whole(folders, settings):
    case = folders.case()
    folders.file(case, "CF12AAA")
    settings.CASE_EXPORT_MAX_BYTES = 100
    with pytest.raises(PackageTooLarge):
        case_export(folders.owner, case)


def test_a_package_that_inflates_beyond_any_manifest_is_refused_unread():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, b" " * (17 * 1024 * 1024))  # 17 MiB of spaces, a few KB packed
        archive.writestr(SEAL, b"0" * 5000)
    assert len(bomb.getvalue()) < 100_000
    faults = package_checked(io.BytesIO(bomb.getvalue())).faults
    assert faults == [f"{MANIFEST}: larger than any manifest this system writes"]
