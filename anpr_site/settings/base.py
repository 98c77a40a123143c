"""Settings shared by every environment. Secrets and servers come from the environment."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "guardian",
    "auditlog",
    "apps.accounts",
    "apps.audit",
    "apps.cameras",
    "apps.assessments",
    "apps.reads",
    "apps.hotlists",
    "apps.access_requests",
    "apps.cases",
    "apps.recognition",
    "apps.transparency",
    "apps.misuse",
    "apps.observability",
    "apps.portal",
]

MIDDLEWARE = [
    "anpr_site.caching.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "apps.accounts.access.AccessPolicyMiddleware",
    # Axes must come last: it turns a lockout raised anywhere above into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anpr_site.urls"
WSGI_APPLICATION = "anpr_site.wsgi.application"
ASGI_APPLICATION = "anpr_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.portal.navigation.navigation",
            ],
            # `|when`, the one way pages show a moment (apps/core/times.py), in every template.
            "builtins": ["apps.core.time_filters"],
        },
    },
]

# DATABASE_URL: the role this process connects as. The application's processes connect as
# DATABASE_APP_ROLE; `migrate` connects as the owner of the schema, and grants that role its
# rights (apps/audit/database.py).
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="anpr_app")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The web server takes its connections from a pool, at most DATABASE_POOL_SIZE in each process
# (gunicorn.conf.py and `make run` set it). Under ASGI each request runs in a thread of its own,
# and a connection kept with its thread (CONN_MAX_AGE) is a new one for every request: 20
# officers searching while cameras posted used up PostgreSQL's 100 connections (make
# bench-load). Celery workers and commands, one thread each, keep their one connection.
if pool_size := env.int("DATABASE_POOL_SIZE", default=0):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": pool_size,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),  # then 503, as the database down
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # each request hands its connection back
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sign-in and sessions -----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Passwords as the NCSC advises: length over complexity. At least 12 characters (room for three
# random words), no maximum, no rules on symbols or digits, no expiry; refused when common or
# found in a breach (checked offline: apps/accounts/password_rules.py). docs/security.md says why.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.password_rules.BreachedPasswordValidator"},
]
# A mailed reset link works once, for this long. Each address may ask for a link this many times
# an hour, and each account is sent at most this many links an hour (apps/accounts/passwords.py).
PASSWORD_RESET_TIMEOUT = 60 * env.int("PASSWORD_RESET_MINUTES", default=60)
PASSWORD_RESET_REQUESTS_PER_HOUR = env.int("PASSWORD_RESET_REQUESTS_PER_HOUR", default=10)
PASSWORD_RESET_MAILS_PER_HOUR = env.int("PASSWORD_RESET_MAILS_PER_HOUR", default=3)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session lives this long after the user's last request.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form is the portal's own page in words, not Django's (anpr_site/error_pages.py).
CSRF_FAILURE_VIEW = "anpr_site.error_pages.csrf_failure"

# Failed sign-ins lock one account from one address after LOGIN_FAILURE_LIMIT failures, and one
# address for every account after LOGIN_ADDRESS_FAILURE_LIMIT (apps/accounts/lockout.py), for
# LOGIN_LOCKOUT_MINUTES after the failure that set the lock. A username alone is not locked:
# anyone could lock a named supervisor out by typing wrong passwords for them.
AXES_HANDLER = "apps.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = "apps.accounts.lockout.lockout_parameters"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Tries refused by a lock are not counted, and a success clears that account's own failures, so
# an address reaches 30 only by failures, not followed by a sign-in, on at least six accounts
# within the cool-off: more than a station behind one NAT address makes by mistyping, while a
# sprayer there gets 30 guesses per cool-off instead of five for every username it can name.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Off: a locked-out officer who keeps trying neither extends the lock nor, through the address
# count, locks the station (and the lockout page can say when the lock ends).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "apps.audit.services.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="ANPR back office")

# API tokens (django-rest-knox): only a hash is stored; every token expires. Staff tokens are
# issued to a signed-in, second-factor-verified holder and last a working day; machine
# accounts' tokens (cameras, gateways) are issued by an administrator and last longer.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {"TOKEN_PREFIX": "anpr_", "AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": None}
STAFF_TOKEN_LIFETIME = timedelta(hours=env.int("STAFF_TOKEN_HOURS", default=8))
MACHINE_TOKEN_LIFETIME = timedelta(days=env.int("MACHINE_TOKEN_DAYS", default=365))
# knox's own token table is never used (tokens are accounts.ApiToken), so it is never created.
MIGRATION_MODULES = {"knox": None}

# No guardian "AnonymousUser" account: anonymous callers hold no permissions at all.
ANONYMOUS_USER_NAME = None

# --- Access to reads (the access window) and retention ----------------------------------

READ_ACCESS_STANDARD_DAYS = env.int("READ_ACCESS_STANDARD_DAYS", default=90)
READ_ACCESS_EXTENDED_DAYS = env.int("READ_ACCESS_EXTENDED_DAYS", default=730)
READ_RETENTION_DAYS = env.int("READ_RETENTION_DAYS", default=730)
# Other records keep their own periods; the audit trail outlives the reads it is about. An alert
# goes by its read's seen_at after the shorter of its own period and the reads' (never outliving
# its read).
ALERT_RETENTION_DAYS = env.int("ALERT_RETENTION_DAYS", default=730)
ACCESS_REQUEST_RETENTION_DAYS = env.int("ACCESS_REQUEST_RETENTION_DAYS", default=7 * 365)
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=7 * 365)
# The audit chains' daily checkpoints (apps/audit/chain.py): somewhere the database's own users
# cannot write, ideally write-once storage; one directory per database.
AUDIT_CHECKPOINT_DIR = env.path("AUDIT_CHECKPOINT_DIR", default=BASE_DIR / "var" / "audit-checkpoints")

# --- Why a search is made --------------------------------------------------------------

# Every search names one of these purposes (code, label); `other` asks for a description too.
# A force sets its own as SEARCH_PURPOSES="code=Label;code=Label" (`other` is always kept).
SEARCH_PURPOSES = [
    tuple(item.split("=", 1))
    for item in env.str(
        "SEARCH_PURPOSES",
        default=";".join(
            (
                "violence=Violence against the person",
                "sexual-offence=Sexual offence",
                "robbery-burglary=Robbery or burglary",
                "vehicle-crime=Vehicle crime",
                "drugs=Drugs offence",
                "fraud=Fraud or economic crime",
                "organised-crime=Serious and organised crime",
                "terrorism=Counter-terrorism",
                "road-traffic=Road traffic offence or collision",
                "missing-person=Missing or vulnerable person",
                "intelligence=Intelligence development",
                "hotlist-alert=Responding to a hotlist alert",
            )
        ),
    ).split(";")
    if "=" in item
]
SEARCH_PURPOSES += [("other", "Other (described)")] if "other" not in dict(SEARCH_PURPOSES) else []
# A search's reference (crime, incident or case number) must match this force's pattern.
SEARCH_REFERENCE_PATTERN = env.str("SEARCH_REFERENCE_PATTERN", default=r"^[A-Za-z0-9/-]{3,40}$")
SEARCH_REFERENCE_RULE = env.str(
    "SEARCH_REFERENCE_RULE", default="3 to 40 letters, digits, hyphens and slashes"
)

# --- Misuse flags (apps/misuse, docs/misuse-flags.md) -------------------------------------

# The daily job looks at the last MISUSE_LOOKBACK_DAYS complete UTC days.
MISUSE_LOOKBACK_DAYS = env.int("MISUSE_LOOKBACK_DAYS", default=2)
# One plate searched by one user under at least this many different references in a day.
MISUSE_REFERENCES_PER_PLATE = env.int("MISUSE_REFERENCES_PER_PLATE", default=3)
# At least this many distinct plates searched by one user within this many minutes.
MISUSE_PLATES_IN_BURST = env.int("MISUSE_PLATES_IN_BURST", default=20)
MISUSE_BURST_MINUTES = env.int("MISUSE_BURST_MINUTES", default=10)
# At least this many searches refused or throttled for one user in a day.
MISUSE_REFUSALS_PER_DAY = env.int("MISUSE_REFUSALS_PER_DAY", default=5)
# Unusual hours: over the past MISUSE_HOURS_HISTORY_DAYS, a user with at least
# MISUSE_HOURS_MIN_HISTORY searches is flagged for searches in an hour of day that, with the hours
# either side, held less than MISUSE_HOURS_RARE_PERCENT of their searches.
MISUSE_HOURS_HISTORY_DAYS = env.int("MISUSE_HOURS_HISTORY_DAYS", default=28)
MISUSE_HOURS_MIN_HISTORY = env.int("MISUSE_HOURS_MIN_HISTORY", default=50)
MISUSE_HOURS_RARE_PERCENT = env.int("MISUSE_HOURS_RARE_PERCENT", default=2)

# --- API ---------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first, so an anonymous call is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.tokens.ApiTokenAuthentication",
        "apps.accounts.access.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.accounts.access.DeclaredPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "anpr_site.api_schema.ApiSchema",
    "EXCEPTION_HANDLER": "anpr_site.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ANPR back office API",
    "DESCRIPTION": "Reads, hotlists, alerts, cameras and access requests. "
    "Machine clients send `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name for the low/medium/high scale shared by an assessment's and its risks' residual risk.
    "ENUM_NAME_OVERRIDES": {"RiskLevelEnum": "apps.assessments.models.Assessment.Level"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "anpr_site.api_errors.document_error_responses",
    ],
}

# --- Celery ------------------------------------------------------------------------------

# No task is lost and none does its work twice. The one place these rules are set:
# - a task's message is acknowledged only after it has run (ACKS_LATE), and a worker killed
#   mid-task (SIGKILL, out of memory, a lost machine) gives it back to the queue
#   (REJECT_ON_WORKER_LOST), so another worker runs it again;
# - a worker takes one message at a time (PREFETCH 1): nothing waits behind a long video;
# - Redis hands an unacknowledged message out again after the visibility timeout, which must
#   be longer than the longest task (a long video: RECOGNITION_MAX_TASK_SECONDS), or a task
#   still running would be started twice;
# - every task is idempotent: video jobs derive read ids from the job, retention and the
#   export can be re-run, expiry and reminders only act on what is still due;
# - a Redis restarted without its data (no persistence, or a crash) has lost every message:
#   a mark kept in Redis shows it, and requeue-lost-video-jobs then queues unfinished video
#   jobs again (other tasks are scheduled, and simply run at their next time).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_DEFAULT_QUEUE = "default"
# Video recognition runs long and uses every core: its own queue and worker (`-Q video`).
CELERY_TASK_ROUTES = {"apps.recognition.tasks.recognise_video_job": {"queue": "video"}}
WORKER_FRESH_CONTENT_TYPES = False  # the test settings turn it on (anpr_site/celery.py says why)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
RECOGNITION_MAX_TASK_SECONDS = env.int("RECOGNITION_MAX_TASK_SECONDS", default=3 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=RECOGNITION_MAX_TASK_SECONDS + 3600)
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Where beat keeps when each job last ran (`beat --schedule` overrides it; the image sets it).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "apps.accounts.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=1),
    },
    "expire-access-requests": {
        "task": "apps.access_requests.tasks.expire_access_requests",
        "schedule": timedelta(hours=1),
    },
    "create-read-partitions-ahead": {
        "task": "apps.reads.tasks.create_partitions_ahead",
        "schedule": timedelta(hours=6),
    },
    # Times are UTC. The export runs once yesterday (UTC) is complete; retention after it.
    "national-export": {
        "task": "apps.reads.tasks.national_export",
        "schedule": crontab(hour=env.int("NATIONAL_EXPORT_HOUR", default=1), minute=15),
    },
    "retention": {
        "task": "apps.portal.tasks.apply_retention",
        "schedule": crontab(hour=env.int("RETENTION_HOUR", default=2), minute=30),
    },
    "requeue-lost-video-jobs": {
        "task": "apps.recognition.tasks.requeue_lost_video_jobs",
        "schedule": timedelta(seconds=env.int("VIDEO_REQUEUE_CHECK_SECONDS", default=300)),
    },
    "audit-verify": {
        "task": "apps.audit.tasks.verify_audit_chains",
        "schedule": crontab(hour=env.int("AUDIT_VERIFY_HOUR", default=3), minute=45),
    },
    "misuse-flags": {
        "task": "apps.misuse.tasks.raise_misuse_flags",
        "schedule": crontab(hour=env.int("MISUSE_FLAGS_HOUR", default=3), minute=0),
    },
    "assessment-review-reminders": {
        "task": "apps.assessments.tasks.remind_reviews_due",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Internationalisation, static and media ---------------------------------------------

LANGUAGE_CODE = "en-gb"
# The force's zone: every moment a person reads is shown in it, with its name (GMT, BST), by
# apps/core/times.py; stored moments, the API and the national export stay in UTC.
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
# Moments rendered without the `when` filter (the admin site) in the same format as pages.
FORMAT_MODULE_PATH = ["anpr_site.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security headers --------------------------------------------------------------------

from django.utils.csp import CSP  # noqa: E402  (kept beside the policy it builds)

# Map tiles, e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png; empty on a closed network,
# where maps draw positions on a plain grid.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
_tile_origin = (
    "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL)).replace("{s}", "*") if MAP_TILE_URL else None
)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"no_query_strings": {"()": "anpr_site.access_log.DropQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The servers' access logs: paths only, never query strings (anpr_site/access_log.py).
    "loggers": {
        name: {"handlers": ["console"], "filters": ["no_query_strings"], "propagate": False}
        for name in ("uvicorn.access", "gunicorn.access")
    },
}

# --- Change history (django-auditlog) ----------------------------------------------------

# Every model is tracked unless listed here; the sign-in trail and sessions have their own.
AUDITLOG_INCLUDE_ALL_MODELS = True
# Reads are immutable and written in bulk; their audit is the search trail, not a change log.
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "axes",
    "audit",
    "auditlog",
    "admin",
    "contenttypes",
    "reads",
    "misuse",  # flags and closures are their own append-only, chained trail
    "transparency",  # published months are their own append-only, chained record
    # Alerts are read data, kept only with their read; who acknowledged one and its outcome are
    # on the alert itself (a change log entry would keep the plate and time for seven years).
    "hotlists.alert",
    "cameras.camerastatuschange",  # the database writes it from the camera's own changes
    # A filed read is its own record of who filed it and when, never changed; an entry here would
    # keep its read's moment and note for as long as the change log, past the folder.
    "cases.caseitem",
    "observability",  # no rows: it only carries the permission to read the metrics
)
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    # A cloned-plate suspicion's review (who, when, the outcome and why) is logged; the pair of
    # reads it names is read data, kept only with its alert, so none of it is logged.
    {
        "model": "hotlists.clonedplatesuspicion",
        "include_fields": ["reviewed_by", "reviewed_at", "outcome", "notes"],
    },
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = (
    "last_login",
    "last_t",
    "last_used_at",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "drift",
)
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "key")

# --- Reads -------------------------------------------------------------------------------

READ_IMAGE_MAX_BYTES = env.int("READ_IMAGE_MAX_BYTES", default=2 * 1024 * 1024)
READ_BATCH_MAX = env.int("READ_BATCH_MAX", default=1000)
# How far in the future a camera's clock may run before its reads are refused.
READ_CLOCK_SKEW = timedelta(seconds=env.int("READ_CLOCK_SKEW_SECONDS", default=300))
# How old a read a camera's own feed may send (its backlog after an outage); older ones are
# back-loaded by an administrator.
READ_FEED_MAX_AGE_DAYS = env.int("READ_FEED_MAX_AGE_DAYS", default=14)
READ_EXPORT_MAX_ROWS = env.int("READ_EXPORT_MAX_ROWS", default=10_000)
# Each person's allowance an hour, portal and API together; a refusal is audited.
READ_SEARCHES_PER_HOUR = env.int("READ_SEARCHES_PER_HOUR", default=120)
READ_EXPORTS_PER_HOUR = env.int("READ_EXPORTS_PER_HOUR", default=10)
READ_VIEWS_PER_HOUR = env.int("READ_VIEWS_PER_HOUR", default=3000)
READ_BACK_LOAD_MAX_BYTES = env.int("READ_BACK_LOAD_MAX_BYTES", default=20 * 1024 * 1024)
READ_BACK_LOAD_MAX_ROWS = env.int("READ_BACK_LOAD_MAX_ROWS", default=50_000)
# A vehicle's journey (apps/reads/journey.py): a leg between two reads of one plate needing more
# than this speed is flagged as a possible cloned plate. No car keeps up 250 km/h from camera to
# camera on public roads (the motorway limit is 113 km/h, and pursuits rarely average even 160),
# and the straight-line distance is shorter than the road, so a real journey however fast is not
# flagged, while one plate in two towns at once needs thousands.
JOURNEY_IMPLAUSIBLE_KMH = env.int("JOURNEY_IMPLAUSIBLE_KMH", default=250)
# Legs shorter than this are never flagged: two cameras on one site, or a vehicle-mounted
# camera's GPS wandering, put reads moments apart a few hundred metres apart. Where camera clocks
# drift by more than seconds, raise it: a minute's error puts 5 km at 300 km/h.
JOURNEY_MIN_KM = env.float("JOURNEY_MIN_KM", default=1.0)
# On ingest a hotlisted plate's read is compared with the plate's previous read no older than
# this (apps/hotlists/cloned_plates.py): a day is the longest gap a clone's speed can show over
# the length of the country, and it keeps the look-up to the day partitions next to the read.
CLONED_PLATE_LOOKBACK_HOURS = env.int("CLONED_PLATE_LOOKBACK_HOURS", default=24)
# A batch with images is larger than Django's 2.5 MB default; beyond this it is refused whole.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_MAX_BYTES", default=32 * 1024 * 1024)

# --- Case folders ------------------------------------------------------------------------

# The most an evidential export may hold, its images included (built whole before it is sent).
CASE_EXPORT_MAX_BYTES = env.int("CASE_EXPORT_MAX_BYTES", default=512 * 1024 * 1024)

# --- Mail (review reminders, password reset links) ----------------------------------------

SMTP_MAIL = "django.core.mail.backends.smtp.EmailBackend"


def mailers(default_backend: str) -> dict:
    """MAIL_BACKEND, or this environment's default; for SMTP the server, its port, the account
    the application signs in to it with, and STARTTLS or TLS from the start."""
    backend = env("MAIL_BACKEND", default=default_backend)
    options = {}
    if backend == SMTP_MAIL:
        options = {
            "host": env("MAIL_HOST", default="localhost"),
            "port": env.int("MAIL_PORT", default=None),  # None: 25, 587 with STARTTLS, 465 with TLS
            "username": env("MAIL_USER", default=""),
            "password": env("MAIL_PASSWORD", default=""),
            "use_tls": env.bool("MAIL_STARTTLS", default=False),
            "use_ssl": env.bool("MAIL_TLS", default=False),
            "timeout": env.int("MAIL_TIMEOUT_SECONDS", default=10),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


# Mail printed to the console, except in production (SMTP).
MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="anpr@localhost")
# The portal's address as users reach it, for links in mail.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- The national daily export ----------------------------------------------------------

# The force's code in file names; files go to the directory, and to the URL when one is set.
FORCE_CODE = env("FORCE_CODE", default="XX")
NATIONAL_EXPORT_DIR = env.path("NATIONAL_EXPORT_DIR", default=BASE_DIR / "var" / "exports")
NATIONAL_EXPORT_URL = env("NATIONAL_EXPORT_URL", default="")
NATIONAL_EXPORT_TOKEN = env("NATIONAL_EXPORT_TOKEN", default="")
# Days the job missed are written when it next runs, this far back; a file is removed once
# delivered, or after this many days, and never kept past READ_RETENTION_DAYS.
NATIONAL_EXPORT_CATCH_UP_DAYS = env.int("NATIONAL_EXPORT_CATCH_UP_DAYS", default=30)
NATIONAL_EXPORT_KEEP_DAYS = env.int("NATIONAL_EXPORT_KEEP_DAYS", default=30)

# --- Hotlists and live alerts ------------------------------------------------------------

# Redis for the live alert stream; by default the Celery broker's.
ALERTS_REDIS_URL = env("ALERTS_REDIS_URL", default="")
# A reconnecting alert page is sent what it missed, up to this many alerts.
ALERTS_CATCH_UP_MAX = 50
# An open alert page checks this often that its holder may still see alerts (signed in, active,
# allowed); each person may keep this many open at once.
ALERT_STREAM_CHECK_SECONDS = env.int("ALERT_STREAM_CHECK_SECONDS", default=15)
ALERT_STREAMS_PER_USER = env.int("ALERT_STREAMS_PER_USER", default=5)
# A read already older than this when it arrives (a back-load, last month's video) rings no
# live desk: its alerts are historic hits, shown to the list's owners on Historic hits.
ALERT_LIVE_MAX_AGE_MINUTES = env.int("ALERT_LIVE_MAX_AGE_MINUTES", default=60)
# An import is checked whole before anything changes, and replace needs the whole list in one
# file: the national list (about 500,000 entries, some 45 MB with markers and a line of
# information) must fit, with room to grow. Each checked row holds about 630 bytes in the web
# worker, so the row cap also bounds its memory (about 0.5 GB at 750,000).
HOTLIST_IMPORT_MAX_BYTES = env.int("HOTLIST_IMPORT_MAX_BYTES", default=48 * 1024 * 1024)
HOTLIST_IMPORT_MAX_ROWS = env.int("HOTLIST_IMPORT_MAX_ROWS", default=750_000)

# --- Camera assessments -------------------------------------------------------------------

# Every live fixed camera is reviewed this often (its review falls due this long after approval).
CAMERA_REVIEW_INTERVAL_DAYS = env.int("CAMERA_REVIEW_INTERVAL_DAYS", default=365)

# --- Recognition (uploaded video) --------------------------------------------------------

# ONNX models made by `make models`; the execution providers pick the device (CPU here).
RECOGNITION_MODEL_DIR = env.path("RECOGNITION_MODEL_DIR", default=BASE_DIR / "models")
RECOGNITION_PROVIDERS = env.list("RECOGNITION_PROVIDERS", default=["CPUExecutionProvider"])
RECOGNITION_THREADS = env.int("RECOGNITION_THREADS", default=2)
# Country groups whose plate formats are expected, most common first (GB, EU, US).
RECOGNITION_COUNTRIES = tuple(env.list("RECOGNITION_COUNTRIES", default=["GB", "EU"]))
# Video: frames examined per second of footage (all are decoded), and the detector's input size.
RECOGNITION_SAMPLE_FPS = env.float("RECOGNITION_SAMPLE_FPS", default=8.0)
RECOGNITION_VIDEO_SIZE = env.int("RECOGNITION_VIDEO_SIZE", default=640)
# Stills are looked at in each of these sizes: a distant plate is found at 960 and missed at
# 640; a large, near one is sometimes found only at 480.
RECOGNITION_PICTURE_SIZES = env.list("RECOGNITION_PICTURE_SIZES", cast=int, default=[480, 640, 960])
# Uploaded footage holds every plate in view: kept this long after its job ends, then deleted.
RECOGNITION_VIDEO_RETENTION_DAYS = env.int("RECOGNITION_VIDEO_RETENTION_DAYS", default=31)
RECOGNITION_VIDEO_MAX_BYTES = env.int("RECOGNITION_VIDEO_MAX_BYTES", default=4 * 1024**3)

# --- Metrics (apps/observability, GET /metrics) -------------------------------------------

# The bearer token a monitoring server sends to scrape /metrics; empty: no machine may scrape,
# and only administrators signed in to the portal can read them.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Transparency report ---------------------------------------------------------------------

# The force's name as the public report gives it; empty: the report names no force.
FORCE_NAME = env.str("FORCE_NAME", default="")
# The report is computed at most this often; anonymous callers get the cached copy.
TRANSPARENCY_CACHE_SECONDS = env.int("TRANSPARENCY_CACHE_SECONDS", default=3600)
# Counts of people's actions above zero and below this are shown as "fewer than N".
TRANSPARENCY_SMALL_COUNT = env.int("TRANSPARENCY_SMALL_COUNT", default=3)
# A month's figures are published, and fixed for good, this many days after it ends: time for
# the outcomes of its last alerts to be recorded. Until then its counts of people's actions are
# withheld, as the current month's are.
TRANSPARENCY_SETTLE_DAYS = env.int("TRANSPARENCY_SETTLE_DAYS", default=7)
