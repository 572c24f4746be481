"""Settings for the Kim Sơn portal, read from environment variables.

Every variable has a safe local default, so `make run` works on a bare machine:
SQLite, local-memory cache, e-mail printed to the console. Production sets
DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.visitors.VisitorMiddleware",
    "stats.live.LiveNumbersMiddleware",
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
    # Survive a database restart without restarting the app.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="kimson"),
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
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
# REDIS_URL is set. Behind a proxy, set RATELIMIT_IP_META_KEY=HTTP_X_FORWARDED_FOR.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
RATELIMIT_USE_CACHE = "default"
if not REDIS_URL:
    # One process on one machine: its local-memory cache is the shared cache.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Citizen services: feedback, documents, one-stop shop.
# Staff told about new feedback; empty means the e-mail in the site settings.
FEEDBACK_NOTIFY_EMAILS = env.list("FEEDBACK_NOTIFY_EMAILS", default=[])
FEEDBACK_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Citizens' attachments: outside MEDIA_ROOT, never served by the web server.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
FEEDBACK_MIN_FILL_SECONDS = env.int("FEEDBACK_MIN_FILL_SECONDS", default=5)
FEEDBACK_RATE = env("FEEDBACK_RATE", default="5/h")
FEEDBACK_LOOKUP_RATE = env("FEEDBACK_LOOKUP_RATE", default="10/10m")
DOSSIER_LOOKUP_RATE = env("DOSSIER_LOOKUP_RATE", default="20/10m")
DOCUMENT_FILE_MAX_BYTES = env.int("DOCUMENT_FILE_MAX_BYTES", default=20 * 1024 * 1024)
# Dates typed as dd/mm/yyyy, as Vietnamese write them (portal/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
# Poll votes from one address: bursts beyond this rate get 429 and count nothing; the window
# passes, so a shared address (school, office) is slowed, never banned.
POLL_VOTE_RATE = env("POLL_VOTE_RATE", default="20/m")
# Engagement counters (PORTAL.md section 4) and the page cache with live numbers (README).
LIVE_KEY_PREFIX = env("LIVE_KEY_PREFIX", default=env("CACHE_KEY_PREFIX", default="kimson") + ":live")
ENGAGEMENT_COUNT_RATE = env("ENGAGEMENT_COUNT_RATE", default="120/m")
RATING_RATE = env("RATING_RATE", default="20/m")
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 5)
PAGE_CACHE_IGNORED_MODELS = env.list("PAGE_CACHE_IGNORED_MODELS", default=[])
LIVE_DIRTY_MS = env.int("LIVE_DIRTY_MS", default=2000)
