"""The metrics move when the real things happen: reads posted to the API, a hotlist hit, a failed
job run, a search, a video job waiting in the broker. Real PostgreSQL and Redis throughout.

Counters kept in Redis outlive each test's database, so each test compares before and after.
"""

import logging
import math
import time
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from anpr_site.celery import app as celery_app
from apps.audit.jobs import recorded_run
from apps.cameras.tests.factories import CameraFactory
from apps.core.redis_urls import redis_py_url
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.observability import metrics
from apps.observability.metrics import READS_INGESTED_KEY, CountingCircuit, celery_queues, count_ingested
from apps.reads.models import Read
from apps.reads.partitions import forget_known_partitions
from apps.reads.signals import reads_ingested
from apps.reads.tests.helpers import PURPOSE, store_reads
from apps.recognition.tasks import recognise_video_job

pytestmark = pytest.mark.django_db
TOKEN = "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"


@pytest.fixture(autouse=True)
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture(autouse=True)
def partitions_rolled_back():
    # Commit callbacks run here (the counters are added to on commit), so ingest remembers the
    # day partitions it made; the test's transaction is rolled back, taking them away.
    yield
    forget_known_partitions()


def scrape() -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, by (name, labels)."""
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    return samples[(name, frozenset(labels.items()))]


@pytest.fixture(autouse=True)
def counting():
    """A circuit of the test's own: one a test leaves paused does not stop the next test's counts."""
    circuit = CountingCircuit()
    original, metrics.COUNTING = metrics.COUNTING, circuit
    yield circuit
    metrics.COUNTING = original


@pytest.fixture
def camera():
    return CameraFactory(code="CAM-M")


@pytest.fixture
def gateway(make_user, api_client_for, camera):
    return api_client_for(make_user("camera", cameras=[camera]))


@pytest.fixture
def post_reads(gateway, django_capture_on_commit_callbacks):
    """post_reads(("AB12CDE", age), ...): through the real ingest API, committed; seen `age`
    before `now` (by default, the moment of posting)."""

    def post(*reads, now=None):
        now = now or timezone.now()
        body = [
            {"camera": "CAM-M", "vrm": vrm, "seen_at": (now - age).isoformat(), "confidence": 0.9}
            for vrm, age in reads
        ]
        with django_capture_on_commit_callbacks(execute=True):
            response = gateway.post("/api/v1/reads/", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return post


def test_reads_posted_to_the_api_are_counted_once_by_source(post_reads):
    before = scrape()
    post_reads(("AB12CDE", timedelta(seconds=3)), ("XY34ZZZ", timedelta(seconds=2)))
    after = scrape()
    counted = value(after, "anpr_reads_ingested_total", source="camera")
    assert counted - value(before, "anpr_reads_ingested_total", source="camera") == 2
    assert value(after, "anpr_reads_ingested_total", source="video") == value(
        before, "anpr_reads_ingested_total", source="video"
    )
    assert value(after, "anpr_broker_up") == 1


def test_a_duplicate_read_is_not_counted(post_reads):
    now = timezone.now()
    post_reads(("DU12PLI", timedelta(seconds=4)), now=now)
    before = scrape()
    # The same camera, plate and moment again: stored once, so counted once.
    answer = post_reads(("DU12PLI", timedelta(seconds=4)), now=now)
    assert answer["duplicates"] == 1
    assert value(scrape(), "anpr_reads_ingested_total", source="camera") == value(
        before, "anpr_reads_ingested_total", source="camera"
    )


def test_reads_stored_by_a_back_load_count_under_upload(camera, django_capture_on_commit_callbacks):
    before = scrape()
    with django_capture_on_commit_callbacks(execute=True):
        store_reads(camera, ("BL12OAD", timedelta(days=30)), source="upload")
    after = scrape()
    assert (
        value(after, "anpr_reads_ingested_total", source="upload")
        - value(before, "anpr_reads_ingested_total", source="upload")
        == 1
    )


def test_a_hotlist_hit_raises_the_alert_counts_and_its_latency_is_measured(make_user, post_reads):
    admin = make_user("administrator")
    hotlist = make_hotlist(admin)
    add_entry(hotlist, "HT12HIT", admin)
    add_entry(hotlist, "OL12DHT", admin)
    before = scrape()
    # Seen 40 s ago: a live alert, raised about 40 s after the camera saw the car.
    assert len(post_reads(("HT12HIT", timedelta(seconds=40)))["alerts"]) == 0  # not an in-vehicle unit
    # Seen three hours ago: older than ALERT_LIVE_MAX_AGE_MINUTES, so a historic hit.
    post_reads(("OL12DHT", timedelta(hours=3)))
    after = scrape()
    for kind in ("live", "historic"):
        raised = value(after, "anpr_alerts_raised_total", kind=kind)
        assert raised - value(before, "anpr_alerts_raised_total", kind=kind) == 1, kind
    # Only the live alert is in the latency: the historic hit's three hours are not.
    slowest = value(after, "anpr_read_to_alert_seconds", quantile="1")
    assert 40 <= slowest < 60
    assert 40 <= value(after, "anpr_read_to_alert_seconds", quantile="0.5") <= slowest


def test_a_covert_lists_hit_moves_no_metric_and_an_overt_lists_does(make_user, post_reads):
    # Whoever watches the metrics could drive a car past a camera and see from the figures
    # whether its plate is on a covert list: its hits are in no figure.
    admin = make_user("administrator")
    covert = make_hotlist(admin, name="Operation", covert=True)
    overt = make_hotlist(admin, name="Stolen")
    add_entry(covert, "CV12ERT", admin)
    add_entry(covert, "CV12OLD", admin)
    add_entry(overt, "OV12ERT", admin)
    before = scrape()
    post_reads(("CV12ERT", timedelta(seconds=40)), ("CV12OLD", timedelta(hours=3)))
    after_covert = scrape()
    for kind in ("live", "historic"):
        assert value(after_covert, "anpr_alerts_raised_total", kind=kind) == value(
            before, "anpr_alerts_raised_total", kind=kind
        ), kind
    assert math.isnan(value(after_covert, "anpr_read_to_alert_seconds", quantile="1"))

    post_reads(("OV12ERT", timedelta(seconds=40)))
    after_overt = scrape()
    raised = value(after_overt, "anpr_alerts_raised_total", kind="live")
    assert raised - value(after_covert, "anpr_alerts_raised_total", kind="live") == 1
    assert 40 <= value(after_overt, "anpr_read_to_alert_seconds", quantile="1") < 60


def test_with_no_recent_live_alert_the_latency_is_not_a_number():
    samples = scrape()
    assert value(samples, "anpr_read_to_alert_seconds", quantile="0.95") != value(
        samples, "anpr_read_to_alert_seconds", quantile="0.95"
    )  # NaN: nothing to measure, not a reassuring zero


def test_a_failed_job_run_is_counted_and_a_success_is_timed():
    before = scrape()
    assert value(before, "anpr_job_runs_failed", job="retention") == 0
    assert ("anpr_job_last_success_timestamp_seconds", frozenset({("job", "retention")})) not in before
    with pytest.raises(RuntimeError), recorded_run("retention"):
        raise RuntimeError("disk full")
    with recorded_run("national-export"):
        pass
    after = scrape()
    assert value(after, "anpr_job_runs_failed", job="retention") == 1
    assert value(after, "anpr_job_runs_failed", job="national-export") == 0
    succeeded = value(after, "anpr_job_last_success_timestamp_seconds", job="national-export")
    assert abs(succeeded - timezone.now().timestamp()) < 60


def test_a_search_is_timed(make_user, api_client_for, sign_in_client, camera):
    store_reads(camera, ("SE12ARC", timedelta(hours=1)))
    officer = make_user("officer")
    before = scrape()
    response = api_client_for(officer).get("/api/v1/reads/", {"vrm": "SE12ARC", **PURPOSE})
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    portal = sign_in_client(officer, Client())
    assert portal.post("/reads/", {"vrm": "SE12ARC", **PURPOSE}).status_code == 200
    after = scrape()
    for via in ("api", "portal"):
        counted = ("anpr_search_seconds_count", frozenset({("kind", "search"), ("via", via)}))
        assert after[counted] - before.get(counted, 0) == 1, via
        total = ("anpr_search_seconds_sum", frozenset({("kind", "search"), ("via", via)}))
        assert after[total] > before.get(total, 0)


def test_a_refused_search_is_not_timed(make_user, api_client_for):
    officer = api_client_for(make_user("officer"))
    before = scrape()
    # Outside the access window without an access request: refused, so not an answered search.
    old = (timezone.now() - timedelta(days=400)).isoformat()
    response = officer.get("/api/v1/reads/", {"vrm": "SE12ARC", "seen_before": old, **PURPOSE})
    assert response.status_code == 403
    counted = ("anpr_search_seconds_count", frozenset({("kind", "search"), ("via", "api")}))
    assert scrape().get(counted, 0) == before.get(counted, 0)


def test_a_video_job_waiting_in_the_broker_is_in_the_video_queue_length():
    assert "video" in celery_queues()
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("video")
    assert value(scrape(), "anpr_celery_queue_length", queue="video") == 0
    try:
        # No worker listens in this test: the messages wait in Redis, as behind a long video.
        recognise_video_job.delay(999_999_998)
        recognise_video_job.delay(999_999_999)
        samples = scrape()
        assert value(samples, "anpr_celery_queue_length", queue="video") == 2
        assert value(samples, "anpr_celery_queue_length", queue="default") >= 0
    finally:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge("video")


@pytest.fixture
def counting_timed():
    """The seconds each call of count_ingested took, as ingest's commit calls it."""
    timings = []

    def timed(**kwargs):
        started = time.monotonic()
        count_ingested(**kwargs)  # send_robust would hide an exception: then nothing is timed
        timings.append(time.monotonic() - started)

    reads_ingested.disconnect(dispatch_uid="observability.count_ingested")
    reads_ingested.connect(timed, dispatch_uid="test.count_ingested_timed")
    yield timings
    reads_ingested.disconnect(dispatch_uid="test.count_ingested_timed")
    reads_ingested.connect(count_ingested, dispatch_uid="observability.count_ingested")


def test_with_redis_down_ingest_does_not_wait_on_the_counters(settings, post_reads, counting_timed, caplog):
    up = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="apps.observability.metrics"):
        post_reads(("DN12RED", timedelta(seconds=3)))
        post_reads(("DN34RED", timedelta(seconds=3)))
    assert len(counting_timed) == 2 and max(counting_timed) < 1, counting_timed
    assert Read.objects.filter(vrm__in=["DN12RED", "DN34RED"]).count() == 2
    assert sum("Redis did not answer" in record.message for record in caplog.records) == 1

    # Redis is back, but counting rests for its pause: this batch is stored and not counted.
    settings.CELERY_BROKER_URL = up
    before = scrape()
    post_reads(("DN56RED", timedelta(seconds=3)))
    assert value(scrape(), "anpr_reads_ingested_total", source="camera") == value(
        before, "anpr_reads_ingested_total", source="camera"
    )


def test_counting_resumes_after_its_pause(post_reads, counting):
    counting.paused_until = time.monotonic() + metrics.COUNTING_PAUSE_SECONDS
    before = scrape()
    post_reads(("PA12USE", timedelta(seconds=3)))
    paused = scrape()
    assert value(paused, "anpr_reads_ingested_total", source="camera") == value(
        before, "anpr_reads_ingested_total", source="camera"
    )
    counting.paused_until = time.monotonic()  # the pause is over
    post_reads(("PA34USE", timedelta(seconds=3)))
    counted = value(scrape(), "anpr_reads_ingested_total", source="camera")
    assert counted - value(paused, "anpr_reads_ingested_total", source="camera") == 1


@pytest.mark.parametrize("stored", [b"lots", b"1.5", b"-5"])
def test_a_counter_that_is_not_a_count_is_left_out_and_the_rest_are_given(settings, stored):
    # Anyone who can write to Redis can put anything in the counters' hash.
    client = redis.Redis.from_url(redis_py_url(settings.CELERY_BROKER_URL))
    kept = client.hget(READS_INGESTED_KEY, "video")
    client.hset(READS_INGESTED_KEY, "video", stored)
    try:
        samples = scrape()
    finally:
        if kept is None:
            client.hdel(READS_INGESTED_KEY, "video")
        else:
            client.hset(READS_INGESTED_KEY, "video", kept)
    assert ("anpr_reads_ingested_total", frozenset({("source", "video")})) not in samples
    assert value(samples, "anpr_reads_ingested_total", source="camera") >= 0
    assert value(samples, "anpr_alerts_raised_total", kind="live") >= 0
    assert value(samples, "anpr_broker_up") == 1  # the broker answered; one field was bad
