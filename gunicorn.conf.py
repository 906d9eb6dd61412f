"""gunicorn's settings file, read from the directory gunicorn starts in (README: Production)."""

# The access log keeps the path but not the query string or the referrer: staff look offices and audit
# events up by national code (/admin/offices?q=…), and such searches must not land in every log line.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
