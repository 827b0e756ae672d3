# Production image: gunicorn serves Django; the same image runs the Celery worker and beat (docker-compose.yml).
# Static files (including the NL Design System CSS from npm) are collected at build time and served by WhiteNoise.

FROM node:22-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=verwijsindex.settings.production

# WeasyPrint (PDF) needs Pango and fonts; gettext is not needed (compiled .mo files are in the repository)
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 verwijsindex
WORKDIR /app

# dependencies first, so that a code change does not reinstall them
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .

COPY --chown=verwijsindex:verwijsindex . .
COPY --from=frontend --chown=verwijsindex:verwijsindex /build/node_modules ./node_modules

# collectstatic imports the production settings, which refuse to load without their secrets; these
# build-only values exist during this one command and are not part of the image's environment.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret \
    BSN_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
    BSN_PSEUDONYM_KEY=build-only-not-a-secret-build-only \
    ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://build@build.invalid/build REDIS_URL=redis://build.invalid/0 \
    DEFAULT_FROM_EMAIL=build@build.invalid EMAIL_URL=smtp://build.invalid:25 BRP_CLIENT=embedded \
    python manage.py collectstatic --noinput \
    && chown -R verwijsindex:verwijsindex /app/staticfiles

USER verwijsindex
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4).status != 200)"
CMD ["gunicorn", "verwijsindex.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
