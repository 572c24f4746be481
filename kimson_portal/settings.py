"""Settings for the Kim Sơn portal, read from environment variables.

Every variable has a safe local default, so `make run` works on a bare machine:
SQLite, local-memory cache, e-mail printed to the console. Production sets
DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY)

# Every unit's host names must be allowed; a host no unit claims gets a 404 (portal.units).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", ".localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin, served per unit (portal.sites).
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "reversion",
    "django_ratelimit",
    "django_ckeditor_5",
    "portal",
    "news",
    "ratings",
    "feedback",
    "stats",
    "documents",
    "services",
    "pages",
    "polls",
    "search",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
]

MIDDLEWARE = [
    # First: everything after it reads the client's address from REMOTE_ADDR (README "Security").
    "portal.clientaddr.ClientAddressMiddleware",
    "portal.security.HeadWithoutBodyMiddleware",
    # /healthz answers load balancers by IP, before the host check (portal/health.py).
    "portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The host names the unit (province, commune) whose portal answers (docs/units.md).
    "portal.units.UnitMiddleware",
    "portal.pagecache.PageCacheMiddleware",
    "portal.fragments.CurrentRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.visitors.VisitorMiddleware",
    "portal.live.LiveNumbersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kimson_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.frame",
            ],
        },
    },
]

WSGI_APPLICATION = "kimson_portal.wsgi.application"

# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the timeout makes
    # concurrent writers wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # A file, not memory, so tests can share the test database with real server processes.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
else:
    # Survive a database restart without restarting the app; the check of a kept connection looks
    # at its socket rather than sending a query (portal/postgresql/base.py).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "portal.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # TCP keepalives on kept connections: a server that vanished without closing them (a crashed
    # host, a lost NAT entry) is noticed by the kernel within about 35 s of quiet, so the socket
    # check sees it before a page's query would fail on it. DATABASE_URL's query string overrides.
    for _name, _value in {
        "keepalives": 1,
        "keepalives_idle": 20,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_name, _value)

# One Redis for everything (REDIS_URL), or one for the page cache and Django's cache (may evict:
# maxmemory-policy allkeys-lru) and one for the counters (never evicts: noeviction, appendonly yes,
# appendfsync everysec). See docs/engagement.md.
REDIS_URL = env("REDIS_URL", default="")
PAGE_CACHE_REDIS_URL = env("PAGE_CACHE_REDIS_URL", default=REDIS_URL)
COUNTERS_REDIS_URL = env("COUNTERS_REDIS_URL", default=REDIS_URL)
if PAGE_CACHE_REDIS_URL:
    CACHES = {
        "default": {
            # django-redis that answers at once while that Redis is known to be down (portal/cache.py).
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="kimson"),
            "KEY_FUNCTION": "portal.units.cache_key",
            "OPTIONS": {
                # Redis down means slower, never broken: cache misses instead of errors.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kimson",
            "KEY_FUNCTION": "portal.units.cache_key",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    # Uploads go to a folder per unit (portal.storage).
    "default": {"BACKEND": "portal.storage.UnitFileSystemStorage"},
    # Hashed and compressed for production, each address worked out once (portal.storage).
    "staticfiles": {
        "BACKEND": ("django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "portal.storage.StaticFiles")
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if env("EMAIL_HOST", default="")
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng thông tin Kim Sơn <noreply@kimson.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Uploaded files: images for articles, checked by Pillow in portal.images.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_SIDE = 8000
IMAGE_RENDITION_WIDTHS = (300, 600, 1200)

# Rich-text editor for article bodies; uploads go through portal.images checks.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "portal:editor_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "authenticated"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "vi",
        "toolbar": [
            "heading",
            "|",
            "bold",
            "italic",
            "link",
            "bulletedList",
            "numberedList",
            "blockQuote",
            "|",
            "imageUpload",
            "insertTable",
            "|",
            "undo",
            "redo",
        ],
        "image": {
            "toolbar": [
                "imageTextAlternative",
                "toggleImageCaption",
                "|",
                "imageStyle:alignLeft",
                "imageStyle:full",
                "imageStyle:alignRight",
            ],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Đoạn văn", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Tiêu đề 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Tiêu đề 3", "class": "ck-heading_heading3"},
            ]
        },
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The admin lives at a configurable path, e.g. ADMIN_URL=quan-tri-7f3a/
ADMIN_URL = env("ADMIN_URL", default="admin/")

# Rate limits (django-ratelimit) count in the default cache, shared by all processes when
# REDIS_URL is set. They, the login lock and the Redis limiter key on REMOTE_ADDR, which
# portal.clientaddr sets from X-Forwarded-For when the request comes from one of these proxies
# (addresses or networks; gunicorn.conf.py trusts the same ones for X-Forwarded-Proto).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None
RATELIMIT_USE_CACHE = "default"
if not PAGE_CACHE_REDIS_URL:
    # One process on one machine: its local-memory cache is the shared cache.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
else:
    # portal.cache.PortalRedisCache is django-redis's cache (atomic INCR), which django-ratelimit
    # supports; its check only knows the backend by name. Keeps `check --deploy` clean.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes' INCLUDE columns are PostgreSQL's index-only scans; SQLite builds the
    # same indexes without them, which its check reports on every start.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- Security (see docs/architecture.md "Security in production") ---
# Production refuses to start with a missing, development or weak key.
if not DEBUG and (
    SECRET_KEY == _DEV_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure-")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG=0, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto itself and
# strips it from clients: TRUST_X_FORWARDED_PROTO=1. Never set it when clients reach gunicorn directly.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# The CSRF cookie stays readable by scripts: the editor's image upload and the JSON buttons send it back.
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Content-Security-Policy (django-csp 4): no inline scripts anywhere. Extra sources, e.g. the EMC
# monitoring script's host, come from CSP_EXTRA_SCRIPT_SRC / CSP_EXTRA_IMG_SRC (comma-separated).
# The admin additionally allows inline styles, which CKEditor 5 injects (portal.security).
INSTALLED_APPS += ["csp"]
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_after_security:_after_security] = [
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *env.list("CSP_EXTRA_SCRIPT_SRC", default=[])],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *env.list("CSP_EXTRA_FRAME_SRC", default=[])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({} if DEBUG else {"upgrade-insecure-requests": True}),
    }
}

# Admin login throttling (django-axes): 5 failures for one user name from one address lock that
# pair out for 30 minutes, and 20 failures from one address within 30 minutes, whatever the user
# names, lock the address (portal.security.LoginAttemptHandler). Attempts are kept in the
# database, so every app machine sees them.
INSTALLED_APPS += ["axes"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "portal.security.LoginThrottleBackend",
    # Django's passwords and permissions, with rights per unit (portal.staff).
    "portal.staff.UnitPermissionBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "portal.security.LoginAttemptHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
# Two-factor sign-in (django-otp, TOTP apps): required for superusers and these groups when on;
# off by default with DEBUG=1 so the demo accounts log in with their passwords (README "Security").
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=not DEBUG)
ADMIN_2FA_GROUPS = env.list("ADMIN_2FA_GROUPS", default=["Duyệt bài", "Quản trị tỉnh"])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Quản trị cổng thông tin")
# A signed-in session ends after a working day without a request (each request starts the day again).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_COOLOFF_MESSAGE = "Tài khoản tạm bị khóa do đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 30 phút."
# The client address is read like the rate limits read it: REMOTE_ADDR, set by portal.clientaddr.
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"

# With Redis down the rate-limit counts are gone: let requests through rather than refuse citizens.
RATELIMIT_FAIL_OPEN = True

# Uploaded media on S3-compatible object storage (django-storages), shared by every app machine,
# when MEDIA_BUCKET is set; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
MEDIA_BUCKET = env("MEDIA_BUCKET", default="")
if MEDIA_BUCKET:
    MEDIA_DOMAIN = env("MEDIA_DOMAIN", default="")  # e.g. media.kimson.gov.vn, served by a CDN or the bucket
    STORAGES["default"] = {
        "BACKEND": "portal.storage.UnitS3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env("MEDIA_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_REGION", default=None),
            "custom_domain": MEDIA_DOMAIN or None,
            "location": env("MEDIA_PREFIX", default="media"),
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    media_origin = f"https://{MEDIA_DOMAIN}" if MEDIA_DOMAIN else env("MEDIA_ENDPOINT_URL", default="https:")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(media_origin)

# Citizen services: feedback, documents, one-stop shop.
# Staff told about new feedback; empty means the e-mail in the site settings.
FEEDBACK_NOTIFY_EMAILS = env.list("FEEDBACK_NOTIFY_EMAILS", default=[])
FEEDBACK_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Citizens' attachments: outside MEDIA_ROOT, never served by the web server.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
FEEDBACK_MIN_FILL_SECONDS = env.int("FEEDBACK_MIN_FILL_SECONDS", default=3)
# Bursts, not hours: one commune office or mobile carrier address is shared by many citizens.
FEEDBACK_RATE = env("FEEDBACK_RATE", default="5/10m")
FEEDBACK_LOOKUP_RATE = env("FEEDBACK_LOOKUP_RATE", default="10/10m")
DOSSIER_LOOKUP_RATE = env("DOSSIER_LOOKUP_RATE", default="20/10m")
DOCUMENT_FILE_MAX_BYTES = env.int("DOCUMENT_FILE_MAX_BYTES", default=20 * 1024 * 1024)
# Dates typed as dd/mm/yyyy, as Vietnamese write them (portal/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
# Votes and ratings from one address (portal.limits): a flood guard on requests, high enough for a
# school or carrier address, and caps on accepted votes per poll / ratings per article over a short
# and a long window. Beyond them the answer is 429 and nothing is counted; reading is never limited.
POLL_VOTE_RATE = env("POLL_VOTE_RATE", default="120/m")
POLL_VOTE_CAPS = env("POLL_VOTE_CAPS", default="30/10m,300/d")
RATING_RATE = env("RATING_RATE", default="120/m")
RATING_CAPS = env("RATING_CAPS", default="30/10m,300/d")
# Engagement counters and the page cache with live numbers (docs/engagement.md).
LIVE_KEY_PREFIX = env("LIVE_KEY_PREFIX", default=env("CACHE_KEY_PREFIX", default="kimson") + ":live")
ENGAGEMENT_COUNT_RATE = env("ENGAGEMENT_COUNT_RATE", default="120/m")
# Content saves make every cached page stale at once; this only bounds what no signal reports (rows
# changed outside the app). Each expiry re-renders the page, so with Redis pages live minutes.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if PAGE_CACHE_REDIS_URL else 5)
PAGE_CACHE_IGNORED_MODELS = env.list("PAGE_CACHE_IGNORED_MODELS", default=[])
# Third-party apps whose rows no public page shows (the project's own apps say so themselves).
PAGE_CACHE_IGNORED_APPS = env.list(
    "PAGE_CACHE_IGNORED_APPS",
    default=["admin", "auth", "contenttypes", "sessions", "reversion", "axes", "otp_totp", "otp_static", "django_otp"],
)
LIVE_DIRTY_MS = env.int("LIVE_DIRTY_MS", default=2000)
# With Redis, counted visits and views reach the database in one write per this many milliseconds,
# from a background thread of each server process (stats.flusher).
LIVE_FLUSH_MS = env.int("LIVE_FLUSH_MS", default=1000)
# With an append-only file, a flush waits this long (longer on a slow disk) for Redis to have its
# taking on disk before the database gets it (a crash of Redis can never make counts pending again).
LIVE_FLUSH_DURABLE_MS = env.int("LIVE_FLUSH_DURABLE_MS", default=1100)
# Counting calls Redis could not take wait for it this long, then the database counts them.
LIVE_OUTAGE_SECONDS = env.int("LIVE_OUTAGE_SECONDS", default=300)

# A Vietnamese page when a form arrives without a valid CSRF token (expired session, blocked cookies).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Vietnamese for the admin strings Django and the third-party apps leave in English (locale/vi).
LOCALE_PATHS = [BASE_DIR / "locale"]
