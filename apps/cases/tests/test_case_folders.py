"""Case folders: opened under a search's rules, filed only as their filers open reads, shared by
name, and opened (audited) only inside the viewer's own access window."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.access_requests import services as access_requests
from apps.audit.models import SearchAudit, SecurityEvent
from apps.cases import services
from apps.cases.access import cases_visible_to
from apps.cases.models import Case
from apps.cases.selectors import case_members, case_opened, case_read
from apps.reads.filters import ReadFilter
from apps.reads.models import Read
from apps.reads.selectors import SearchThrottled, reads_search
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db


def test_a_folder_states_its_purpose_and_reference_as_a_search_does(folders):
    with pytest.raises(ValidationError) as refused:
        folders.case(reference="no spaces allowed", purpose="gossip", title=" ")
    assert set(refused.value.message_dict) == {"reference", "purpose", "title"}
    case = folders.case(purpose="other", purpose_detail="A missing person", reference="MP/2026/7")
    assert (case.purpose, case.purpose_detail, case.reference) == ("other", "A missing person", "MP/2026/7")
    assert list(cases_visible_to(folders.owner)) == [case]


def test_only_those_who_may_search_reads_keep_folders(make_user):
    with pytest.raises(PermissionDenied):
        services.case_create(
            owner=make_user("planner"), title="t", purpose="vehicle-crime", reference="INC-1"
        )


def test_a_read_is_filed_as_its_filer_opens_it_from_their_own_search(folders):
    case = folders.case()
    item = folders.file(case, "CF12AAA", note="At the scene")
    read = folders.read("CF12AAA")
    assert (item.read_id, item.read_seen_at, item.added_by, item.note) == (
        read.id,
        read.seen_at,
        folders.owner,
        "At the scene",
    )
    search = SearchAudit.objects.get(pk=item.search_audit_id)
    assert search.kind == "search" and search.vrm == "CF12AAA"
    # Opening it to file it is recorded as any opened read, naming the search.
    view = SearchAudit.objects.filter(kind="view").latest("id")
    assert view.filters == {"read": read.id, "search": search.pk}
    with pytest.raises(ValidationError, match="already in the folder"):
        folders.file(case, "CF12AAA")


def test_a_read_the_search_did_not_find_or_anothers_search_files_nothing(folders):
    case = folders.case()
    other = folders.read("CF12BBB")
    search = folders.search(folders.owner, "CF12AAA")
    with pytest.raises(Read.DoesNotExist):
        services.case_read_file(
            case=case, actor=folders.owner, search_id=search.pk, day=other.day, read_id=other.id
        )
    theirs = folders.search(folders.colleague, "CF12BBB")
    with pytest.raises(SearchAudit.DoesNotExist):
        services.case_read_file(
            case=case, actor=folders.owner, search_id=theirs.pk, day=other.day, read_id=other.id
        )
    assert not case.items.exists()


def test_nobody_files_in_a_folder_they_may_not_open(folders):
    case = folders.case()
    with pytest.raises(Case.DoesNotExist):
        folders.file(case, "CF12AAA", by=folders.colleague)
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    assert folders.file(case, "CF12AAA", by=folders.colleague).added_by == folders.colleague


def test_opening_a_folder_is_recorded_before_its_reads_leave(folders):
    case = folders.case(reference="OP-KESTREL")
    folders.file(case, "CF12AAA")
    folders.file(case, "CF12BBB")
    opened = case_opened(folders.owner, case)
    assert [filed.read.vrm for filed in opened.filed] == ["CF12AAA", "CF12BBB"]
    audit = opened.audit
    assert (audit.kind, audit.reference, audit.purpose, audit.username) == (
        "case",
        "OP-KESTREL",
        "vehicle-crime",
        "pc-owner",
    )
    reads = sorted(f.item.read_id for f in opened.filed)
    assert audit.filters == {"case": case.pk, "searches": [], "reads": reads}  # none filed yet
    assert audit.result_count == 2


def test_sharing_is_by_name_with_those_who_may_search_reads_and_only_by_the_owner(folders, make_user):
    case = folders.case()
    make_user("planner", username="planner-pat")
    for name in ("planner-pat", "nobody-at-all", "pc-owner"):
        with pytest.raises(ValidationError) as refused:
            services.case_share(case=case, owner=folders.owner, username=name)
        assert refused.value.message_dict == {
            "username": ["No colleague of that name may be named on a case folder."]
        }
    assert list(cases_visible_to(folders.colleague)) == []
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    assert list(cases_visible_to(folders.colleague)) == [case]
    assert case_members(case) == [folders.colleague]
    with pytest.raises(PermissionDenied):
        services.case_share(case=case, owner=folders.colleague, username="pc-colleague")
    services.case_unshare(case=case, owner=folders.owner, username="pc-colleague")
    assert list(cases_visible_to(folders.colleague)) == []
    # Taking a name off a folder it is not on says what an unknown name does: no account leaks.
    for name in ("pc-colleague", "no-such-person", folders.owner.username):
        with pytest.raises(ValidationError) as refused:
            services.case_unshare(case=case, owner=folders.owner, username=name)
        assert refused.value.message_dict == {
            "username": ["No colleague of that name may be named on a case folder."]
        }


def test_no_role_and_no_superuser_opens_a_folder_not_shared_with_them(folders, make_user):
    folders.case()
    assert list(cases_visible_to(make_user("supervisor"))) == []
    assert list(cases_visible_to(make_user("officer", is_superuser=True))) == []


def test_a_colleague_who_may_no_longer_search_reads_opens_nothing(folders):
    case = folders.case()
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    folders.colleague.groups.clear()
    colleague = type(folders.colleague).objects.get(pk=folders.colleague.pk)  # permissions re-read
    assert list(cases_visible_to(colleague)) == []


def test_a_folder_shows_each_read_only_inside_the_viewers_window_now(folders, settings):
    case = folders.case()
    folders.file(case, "CF12AAA")
    folders.file(case, "CF12CCC")  # three days old
    settings.READ_ACCESS_STANDARD_DAYS = 2
    opened = case_opened(folders.owner, case)
    assert [filed.read.vrm if filed.read else None for filed in opened.filed] == ["CF12AAA", None]
    assert opened.audit.result_count == 1  # only what left is counted
    assert [filed.read.vrm for filed in opened.shown] == ["CF12AAA"]


def test_a_read_filed_under_an_access_request_opens_only_to_whoever_may_still_use_it(folders, make_user):
    now = timezone.now()
    reads_ingest(
        items=[ReadInput(camera="CAM-CF", vrm="OL12DDD", seen_at=now - timedelta(days=120), confidence=0.9)],
        source="upload",
    )
    request = access_requests.request_file(
        requester=folders.owner,
        investigation_reference="OP-OLD",
        offence="major_crime",
        justification="A vehicle seen near the scene in the summer.",
        period_start=now - timedelta(days=130),
        period_end=now - timedelta(days=110),
        days_needed=14,
    )
    access_requests.request_approve(access_request=request, approver=make_user("supervisor"), reason="ok")
    old = Read.objects.get(vrm="OL12DDD")
    filters = ReadFilter(
        {
            "vrm": "OL12DDD",
            "seen_after": (now - timedelta(days=125)).isoformat(),
            "seen_before": (now - timedelta(days=115)).isoformat(),
        }
    )
    assert filters.is_valid(), filters.errors
    search = reads_search(
        folders.owner, filters=filters, purpose="vehicle-crime", reference="OP-OLD", access_request=request.pk
    ).audit
    case = folders.case(reference="OP-OLD")
    item = services.case_read_file(
        case=case, actor=folders.owner, search_id=search.pk, day=old.day, read_id=old.id
    )
    assert item.access_request_id == request.pk
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    assert case_opened(folders.owner, case).filed[0].read == old
    assert case_opened(folders.colleague, case).filed[0].read is None  # not the colleague's request
    access_requests.request_revoke(access_request=request, supervisor=make_user("supervisor"), reason="done")
    assert case_opened(folders.owner, case).filed[0].read is None


def test_a_filed_reads_image_opens_under_the_folder_and_is_recorded(folders):
    case = folders.case()
    item = folders.file(case, "CF12AAA")
    read = case_read(folders.owner, case, item_id=item.pk, kind=SearchAudit.Kind.IMAGE)
    assert read.plate_image
    image = SearchAudit.objects.filter(kind="image").latest("id")
    assert (image.reference, image.filters) == (case.reference, {"case": case.pk, "reads": [read.id]})
    with pytest.raises(Read.DoesNotExist):
        case_read(folders.owner, case, item_id=item.pk + 999, kind=SearchAudit.Kind.IMAGE)


def test_opening_folders_counts_against_the_hours_opened_reads(folders, settings):
    case = folders.case()
    folders.file(case, "CF12AAA")  # one read opened
    settings.READ_VIEWS_PER_HOUR = 2
    case_opened(folders.owner, case)
    with pytest.raises(SearchThrottled):
        case_opened(folders.owner, case)


def test_a_folder_holds_a_bounded_number_of_reads(folders, monkeypatch):
    case = folders.case()
    monkeypatch.setattr(services, "CASE_ITEMS_MAX", 1)
    folders.file(case, "CF12AAA")
    with pytest.raises(ValidationError, match="at most 1 reads"):
        folders.file(case, "CF12BBB")


def test_a_folder_may_be_started_with_a_read_under_its_searchs_purpose_and_reference(folders):
    read = folders.read("CF12BBB")
    search = folders.search(folders.owner, "CF12BBB")
    item = services.case_start_with_read(
        owner=folders.owner, title="Seen twice", search_id=search.pk, day=read.day, read_id=read.id
    )
    assert (item.case.title, item.case.purpose, item.case.reference) == (
        "Seen twice",
        search.purpose,
        search.reference,
    )
    assert list(cases_visible_to(folders.owner)) == [item.case]


def test_a_filing_refused_for_the_hours_allowance_is_recorded_and_opens_no_folder(folders, settings):
    folders.file(folders.case(), "CF12AAA")  # the one read the hour allows
    read = folders.read("CF12BBB")
    search = folders.search(folders.owner, "CF12BBB")
    settings.READ_VIEWS_PER_HOUR = 1
    with pytest.raises(SearchThrottled):
        services.case_start_with_read(
            owner=folders.owner, title="Too many", search_id=search.pk, day=read.day, read_id=read.id
        )
    assert Case.objects.count() == 1
    assert SecurityEvent.objects.filter(kind="throttled", username="pc-owner").exists()


def test_ones_own_search_is_filed_and_shown_to_members_with_the_opening_naming_it(folders):
    case = folders.case()
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    search = folders.search(folders.colleague, "CF12BBB")
    filed = services.case_search_file(case=case, actor=folders.colleague, search_id=search.pk, note="Route")
    assert (filed.search_audit_id, filed.added_by, filed.note) == (search.pk, folders.colleague, "Route")
    opened = case_opened(folders.owner, case)
    [shown] = opened.searches
    assert (shown.filed, shown.search) == (filed, search)
    assert shown.search.vrm == "CF12BBB" and shown.search.result_count == 1
    assert opened.audit.filters["searches"] == [search.pk]
    with pytest.raises(ValidationError, match="already in the folder"):
        services.case_search_file(case=case, actor=folders.colleague, search_id=search.pk)


def test_anothers_search_is_refused_exactly_as_a_missing_one(folders):
    case = folders.case()
    theirs = folders.search(folders.colleague, "CF12AAA")
    refusals = []
    for search_id in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(SearchAudit.DoesNotExist) as refused:
            services.case_search_file(case=case, actor=folders.owner, search_id=search_id)
        refusals.append(str(refused.value))
    assert refusals[0] == refusals[1]
    # An opened read is no search to file, though it is one's own audit record.
    folders.file(case, "CF12AAA")
    view = SearchAudit.objects.filter(kind="view").latest("id")
    with pytest.raises(SearchAudit.DoesNotExist):
        services.case_search_file(case=case, actor=folders.owner, search_id=view.pk)
    assert not case.searches.exists()


def test_nobody_files_a_search_in_a_folder_they_may_not_open(folders):
    case = folders.case()
    search = folders.search(folders.colleague, "CF12AAA")
    with pytest.raises(Case.DoesNotExist):
        services.case_search_file(case=case, actor=folders.colleague, search_id=search.pk)
    assert not case.searches.exists()
