"""The operators' metrics for Prometheus: what each figure means and where it comes from.

Each figure is taken from where it is true whichever process serves the scrape:

- counters kept in the broker's Redis: reads ingested (by source) and alerts raised (live or
  historic), added to after each batch commits, in whichever process stored it (a web worker
  for the camera API and back-loads, the video worker for recognised footage). Ingest never
  waits on them: while Redis does not answer, batches are stored and not counted;
- figures computed from the database and the broker at each scrape: the read-to-alert latency
  of recent live alerts, failed and last successful scheduled job runs, Celery queue lengths;
- one histogram kept in memory by the process that measures it: search latency, measured in the
  web process that answers the search. gunicorn runs several workers, each with its own
  memory: with PROMETHEUS_MULTIPROC_DIR set (anpr_site/gunicorn.conf.py empties it at start)
  every worker writes its share there and a scrape sums them; without it a scrape sees the
  share of whichever worker answered it.

Counts and latencies only: no plate, camera, hotlist or user becomes a label, and every label
takes one of a few fixed values. Covert lists' hits are in no figure: whoever watches the metrics
could otherwise drive a car past a camera and see from a counter whether it is on a covert list,
which the portal tells only the list's owners.
"""

import logging
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F
from django.utils import timezone
from kombu.exceptions import ChannelError
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis.backoff import NoBackoff
from redis.retry import Retry

from anpr_site.celery import app as celery_app
from apps.audit.models import JobRun
from apps.core.redis_urls import redis_py_url
from apps.hotlists.models import Alert
from apps.reads.models import Read
from apps.reads.signals import reads_ingested, search_answered

READS_INGESTED_KEY = "anpr:metrics:reads-ingested"
ALERTS_RAISED_KEY = "anpr:metrics:alerts-raised"
# Live alerts only: a historic hit's "latency" is how late its back-load or footage came.
ALERT_LATENCY_WINDOW = timedelta(minutes=15)
ALERT_LATENCY_QUANTILES = {"0.5": 0.5, "0.95": 0.95, "1": 1.0}
JOB_FAILURE_WINDOW = timedelta(hours=24)
# Counting after a batch commits, inside the request that stored it: a Redis that does not answer
# in this long is given up on, and not asked again for COUNTING_PAUSE_SECONDS.
COUNTING_TIMEOUT_SECONDS = 0.1
COUNTING_PAUSE_SECONDS = 30
COUNTING_WARNING_INTERVAL_SECONDS = 60
log = logging.getLogger(__name__)

SEARCH_SECONDS = Histogram(
    "anpr_search_seconds",
    "Time to answer an audited read search: from the search being asked to its matches counted "
    "and its audit row written (the page then shown is not included).",
    ["kind", "via"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=None,  # put in each scrape's registry by exposition(), unless multiprocess
)


def exposition(accept: str) -> tuple[bytes, str]:
    """Every metric, and its content type: in the format the scraper's Accept header asks for
    (OpenMetrics, or Prometheus' text format)."""
    registry = CollectorRegistry()
    registry.register(FromRecords())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every web worker's histograms, summed
    else:
        registry.register(SEARCH_SECONDS)
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type


class FromRecords(Collector):
    """The figures read at scrape time from the broker and the database."""

    def collect(self) -> Iterator[Metric]:
        yield from broker_figures()
        yield read_to_alert_latency()
        yield from job_runs()


def broker_figures() -> Iterator[Metric]:
    """Counters of reads and alerts, and queue lengths. If the broker does not answer, only
    anpr_broker_up (0) is given: a missing series is not mistaken for a zero."""
    up = GaugeMetricFamily("anpr_broker_up", "1 if the broker (Redis) answered this scrape, else 0.")
    try:
        with _broker() as connection:
            redis = connection.default_channel.client
            ingested, raised = redis.hgetall(READS_INGESTED_KEY), redis.hgetall(ALERTS_RAISED_KEY)
            waiting = {queue: _waiting(connection, queue) for queue in celery_queues()}
    except Exception:  # whatever failed, the broker's figures are unknown
        log.warning("metrics: the broker did not answer", exc_info=True)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    reads = CounterMetricFamily(
        "anpr_reads_ingested",
        "Reads stored, by how they came in (camera feed, back-loaded file, video); duplicates "
        "are not counted. Kept in Redis: lost with Redis's data, which Prometheus reads as a reset.",
        labels=["source"],
    )
    for source, count in _counts(ingested, READS_INGESTED_KEY, Read.Source.values):
        reads.add_metric([source], count)
    yield reads
    alerts = CounterMetricFamily(
        "anpr_alerts_raised",
        "Hotlist alerts raised on overt lists (covert lists' hits are never counted): live (rang "
        "the alert desk) or historic (the read arrived older than ALERT_LIVE_MAX_AGE_MINUTES). "
        "Kept in Redis, like anpr_reads_ingested.",
        labels=["kind"],
    )
    for kind, count in _counts(raised, ALERTS_RAISED_KEY, ("live", "historic")):
        alerts.add_metric([kind], count)
    yield alerts
    queues = GaugeMetricFamily(
        "anpr_celery_queue_length",
        "Tasks waiting in a Celery queue; one a worker has taken (running, or waiting for its "
        "acknowledgement) is not counted. `video` holds video recognition jobs.",
        labels=["queue"],
    )
    for queue, length in waiting.items():
        queues.add_metric([queue], length)
    yield queues


def read_to_alert_latency() -> Metric:
    """Seconds from a read's seen_at (the camera's clock) to its alert being raised, over the
    live alerts on overt lists raised in the last ALERT_LATENCY_WINDOW: the delay a patrol waits,
    camera and network included. NaN when there were none."""
    family = GaugeMetricFamily(
        "anpr_read_to_alert_seconds",
        "Seconds from a read's seen_at to its live alert being raised, over live alerts on overt "
        f"lists raised in the last {ALERT_LATENCY_WINDOW.total_seconds() / 60:g} minutes: median (0.5), "
        "95th percentile (0.95) and slowest (1). NaN when there were none.",
        labels=["quantile"],
    )
    latency = ExpressionWrapper(F("created_at") - F("read_seen_at"), output_field=DurationField())
    # The list's flag as it is now: a list made covert hides its earlier hits here too.
    recent = Alert.objects.filter(
        historic=False, hotlist__covert=False, created_at__gte=timezone.now() - ALERT_LATENCY_WINDOW
    )
    figures = recent.aggregate(
        **{
            f"q{index}": PercentileCont(latency, fraction=fraction, output_field=DurationField())
            for index, fraction in enumerate(ALERT_LATENCY_QUANTILES.values())
        }
    )
    for index, quantile in enumerate(ALERT_LATENCY_QUANTILES):
        value = figures[f"q{index}"]
        family.add_metric([quantile], value.total_seconds() if value is not None else math.nan)
    return family


def job_runs() -> Iterator[Metric]:
    """Failed runs of each scheduled job lately, and when each last succeeded (the JobRun rows
    every run writes, apps/audit/jobs.py)."""
    now = timezone.now()
    failed = (
        JobRun.objects.filter(outcome=JobRun.Outcome.FAILED, at__gte=now - JOB_FAILURE_WINDOW)
        .order_by()
        .values_list("job")
        .annotate(runs=Count("id"))
    )
    failures = dict(failed)
    jobs = sorted(set(settings.CELERY_BEAT_SCHEDULE) | set(failures))
    recent = GaugeMetricFamily(
        "anpr_job_runs_failed",
        f"Failed runs of each scheduled job in the last {JOB_FAILURE_WINDOW.total_seconds() / 3600:g} hours.",
        labels=["job"],
    )
    for job in jobs:
        recent.add_metric([job], failures.get(job, 0))
    yield recent
    last_success = GaugeMetricFamily(
        "anpr_job_last_success_timestamp_seconds",
        "When each scheduled job last succeeded, as Unix time; absent for a job that never has.",
        labels=["job"],
    )
    for job in jobs:
        succeeded = JobRun.objects.filter(job=job, outcome=JobRun.Outcome.OK).values_list("at", flat=True)
        if at := succeeded.first():
            last_success.add_metric([job], at.timestamp())
    yield last_success


def celery_queues() -> list[str]:
    """The queues tasks are sent to: the default one and every routed one."""
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *routed})


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value below which `fraction` of the rows lie."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"


def count_ingested(*, source: str, stored: int, alerts: list[Alert], **kwargs) -> None:
    """A committed batch, added to the counters in Redis (any process: all share them), leaving
    out covert lists' hits. Skipped while Redis does not answer (COUNTING)."""
    overt = [alert for alert in alerts if not alert.hotlist.covert]
    live = sum(1 for alert in overt if not alert.historic)
    COUNTING.add(
        [
            (READS_INGESTED_KEY, source, stored),
            (ALERTS_RAISED_KEY, "live", live),
            (ALERTS_RAISED_KEY, "historic", len(overt) - live),
        ]
    )


def observe_search(*, kind: str, via: str, seconds: float, **kwargs) -> None:
    SEARCH_SECONDS.labels(kind=str(kind), via=via).observe(seconds)


class CountingCircuit:
    """Adds to the counters in Redis without making ingest wait: a plain redis-py client with
    short timeouts and no retries (Celery's pool retries its connection for seconds), and after
    a failure no try for COUNTING_PAUSE_SECONDS, so a Redis that is down costs each batch nothing.
    A failure is logged at most once every COUNTING_WARNING_INTERVAL_SECONDS."""

    def __init__(self) -> None:
        self.paused_until = 0.0
        self.warned_at = -math.inf

    def add(self, increments: list[tuple[str, str, int]]) -> None:
        """Add each (hash, field, amount), all at once, or none while Redis does not answer."""
        now = time.monotonic()
        if now < self.paused_until:
            return
        try:
            pipe = _counting_client(redis_py_url(settings.CELERY_BROKER_URL)).pipeline()
            for key, field, amount in increments:
                pipe.hincrby(key, field, amount)
            pipe.execute()
        except redis.RedisError:
            self.paused_until = now + COUNTING_PAUSE_SECONDS
            if now - self.warned_at >= COUNTING_WARNING_INTERVAL_SECONDS:
                self.warned_at = now
                log.warning(
                    "metrics: Redis did not answer; reads are stored but not counted until it does "
                    "(next try in %d s)",
                    COUNTING_PAUSE_SECONDS,
                    exc_info=True,
                )


COUNTING = CountingCircuit()

reads_ingested.connect(count_ingested, dispatch_uid="observability.count_ingested")
search_answered.connect(observe_search, dispatch_uid="observability.observe_search")


@cache
def _counting_client(url: str) -> redis.Redis:
    # One per process and URL (redis-py's pool makes new connections after a fork).
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=COUNTING_TIMEOUT_SECONDS,
        socket_timeout=COUNTING_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


@contextmanager
def _broker():
    # Celery's own pool of broker connections, as it uses to send tasks.
    with celery_app.pool.acquire(block=True, timeout=5) as connection:
        yield connection


def _counts(stored: dict[bytes, bytes], key: str, fields) -> Iterator[tuple[str, int]]:
    """Each field's count from a counters hash (0 if absent). A value that is not a count (anyone
    who can write to Redis can put one there) is left out, not allowed to fail the scrape."""
    for field in fields:
        raw = stored.get(field.encode(), b"0")
        try:
            count = int(raw)
        except ValueError:
            count = -1
        if count < 0:
            log.warning("metrics: %s %s holds %r, not a count; left out", key, field, raw[:40])
            continue
        yield field, count


def _waiting(connection, queue: str) -> int:
    try:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError:  # Redis keeps no empty queue: nothing waits in it
        return 0
