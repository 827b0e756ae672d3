# Production image: gunicorn serves Django; the same image runs the Celery worker and beat (docker-compose.yml).
# Static files (including the NL Design System CSS from npm) are collected at build time and served by WhiteNoise.
#
# Both stages start from one Debian bookworm image and take everything else from Debian's packages and PyPI/npm.
# DEBIAN_IMAGE is the registry's debian:bookworm-slim by default; where no image can be pulled, a base made with
# debootstrap from the machine's own Debian mirror takes its place (scripts/container_check.py, docs/adr/0006).
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS frontend
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM ${DEBIAN_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=verwijsindex.settings.production

# Debian's Python 3.11 in a virtual environment of its own (Debian's system Python refuses pip installs);
# WeasyPrint (PDF) needs Pango and fonts; gettext is not needed (compiled .mo files are in the repository)
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/venv

RUN useradd --create-home --uid 10001 verwijsindex
WORKDIR /app

# dependencies first, so that a code change does not reinstall them
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .

COPY --chown=verwijsindex:verwijsindex . .
COPY --from=frontend --chown=verwijsindex:verwijsindex /build/node_modules ./node_modules

# collectstatic imports the production settings, which refuse to load without their secrets; these
# build-only values exist during this one command and are not part of the image's environment.
# The media and logbook checkpoint folders exist owned by the application's user, so that the volumes mounted
# on them are writable.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret \
    BSN_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
    BSN_PSEUDONYM_KEY=build-only-not-a-secret-build-only \
    LOGBOOK_HMAC_KEYS=1:build-only-not-a-secret-build-only \
    LOGBOOK_CHECKPOINT_KEYS=1:YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
    ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://build@build.invalid/build REDIS_URL=redis://build.invalid/0 \
    DEFAULT_FROM_EMAIL=build@build.invalid EMAIL_URL=smtp://build.invalid:25 BRP_CLIENT=embedded \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/checkpoints \
    && chown -R verwijsindex:verwijsindex /app/staticfiles /app/media /app/checkpoints

USER verwijsindex
# gunicorn listens on GUNICORN_BIND: all addresses of the container's own network by default; with host
# networking (docker-compose.debian.yml) 127.0.0.1 and a port of the run's choosing
ENV GUNICORN_BIND=0.0.0.0:8000 \
    HEALTH_URL=http://127.0.0.1:8000/health/
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os,urllib.request,sys; sys.exit(urllib.request.urlopen(os.environ['HEALTH_URL'], timeout=4).status != 200)"
CMD ["sh", "-c", "exec gunicorn verwijsindex.wsgi --bind \"$GUNICORN_BIND\" --workers 3 --access-logfile -"]
