"""Default settings; instance/config.py, the environment and test config override them."""

SECRET_KEY = "dev-only-not-secret"
SQLALCHEMY_DATABASE_URI = "sqlite:///wizard.sqlite"  # relative to the instance folder
REDIS_URL = None
# Where the public finds the site, e.g. https://pishkhan.example.ir: printed verification links and QR codes
# point here. Required in production; also the one Host name requests may carry unless TRUSTED_HOSTS says more.
PUBLIC_BASE_URL = None
TRUSTED_HOSTS = None  # Flask's: host names requests may name (a list, or comma-separated in the environment)

BABEL_DEFAULT_LOCALE = "fa"
BABEL_DEFAULT_TIMEZONE = "Asia/Tehran"
LANGUAGES = ("fa", "en")

DECLARATION_WINDOW_DAYS = 20
SERVICE_PERCENTS = (100, 70, 30)

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session (nothing typed is lost)
MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # a 20,000-office CSV upload is about 2 MB; form fields stay capped lower
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Accounts (SPEC §2)
PRODUCTION = False
INITIAL_CREDENTIAL = "national_code"  # or "activation_code": random, single-use, expiring
ACTIVATION_CODE_DAYS = 30
PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's scrypt (n=2**15, r=8, p=1); tests choose a cheaper cost
LOGIN_LOCK_AFTER = 5  # consecutive failures on one username
LOGIN_LOCK_MINUTES = 15
LOGIN_ADDRESS_LIMIT = "30 per 15 minutes"  # failed logins per client address
# Password recovery by the registered mobile (rules.recovery): codes asked for and typed per client address,
# codes sent per account and per mobile number.
RECOVERY_ADDRESS_LIMIT = "20 per hour"
RECOVERY_ACCOUNT_LIMIT = "3 per hour"
RECOVERY_MOBILE_LIMIT = "3 per hour"
IDLE_TIMEOUT_MINUTES = 30
ABSOLUTE_TIMEOUT_HOURS = 12
MIGRATIONS = True  # Flask-Migrate's commands (init-db, flask db ...); wsgi.py turns them off
PROXY_HOPS = 0  # reverse proxies in front of the app whose X-Forwarded-For is trusted

# Objections (SPEC §5): one attachment each, PDF, JPEG or PNG of at most this many bytes (MAX_CONTENT_LENGTH caps
# the whole request), kept outside the web root by wizard/storage.py.
ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
UPLOAD_STORAGE = "local"  # or "s3": an S3-compatible store that several app servers share
UPLOAD_FOLDER = None  # "local": instance/uploads unless set
S3_ENDPOINT_URL = None  # "s3": these four may also come from the environment, and the keys only should:
S3_BUCKET = None  # S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or boto3's AWS_* variables)
S3_REGION = None
S3_PREFIX = "objections/"
# Violations (SPEC §5): the committee decides after the holder's defence, or once this many whole Tehran days
# after the day of recording have passed without one.
VIOLATION_DEFENCE_DAYS = 7

# Messages (SPEC §5b, wizard/notify): an outbox of SMS sent by background jobs.
MESSAGES_QUEUE = None  # "rq" (the default with REDIS_URL), "thread" (the default without) or "eager" (tests)
SMS_PROVIDER = "file"  # file (instance/outbox.jsonl, or SMS_FILE_PATH), console or http
SMS_FILE_PATH = None
SMS_API_URL = None  # http: the gateway's send endpoint
SMS_API_KEY = None  # http: sent in the SMS_API_KEY_HEADER header; set it in the environment only
SMS_API_KEY_HEADER = "apikey"
SMS_SENDER = None  # http: the sender line, e.g. 3000xxxx
SMS_TIMEOUT = 10  # seconds
SMS_MAX_ATTEMPTS = 5
SMS_RETRY_DELAYS = (30, 120, 600, 1800)  # seconds before the 2nd, 3rd, 4th and 5th attempt

# The agencies' JSON API (/api/v1/): requests per token (Flask-Limiter's notation), and the largest page of ranks.
API_RATE_LIMIT = "120 per minute"
API_MAX_PER_PAGE = 500
