"""gunicorn settings for production: `gunicorn kimson_portal.wsgi` reads this file from the project folder.

Every value can be overridden by an environment variable (below) or on the command line.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 x cores + 1 processes with a few threads each: a request waiting on PostgreSQL or Redis
# (a view counted, a vote written) leaves the CPU to another. Each thread holds its own database
# connection: workers x threads per machine must stay below PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is killed and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Off by default: a recycled worker reloads the whole app and drops its kept-alive connections.
# Set GUNICORN_MAX_REQUESTS (e.g. 50000) if a worker's memory is ever seen to grow.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Logs go to stdout/stderr, for systemd's journal or the container's log collector.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The proxies (the local nginx) whose X-Forwarded-Proto gunicorn trusts; the app reads the same
# variable to take the client's address from X-Forwarded-For (portal/clientaddr.py). gunicorn
# takes single addresses only, so networks (10.0.0.0/8) are left to the app.
forwarded_allow_ips = ",".join(
    proxy.strip() for proxy in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if "/" not in proxy
)
