# The project's own SMTP sink (scripts/mailsink.py) in place of Mailpit, for docker-compose.debian.yml: every
# message is kept as a .eml file in /mail (a folder of the host's, mounted by the run).
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-aiosmtpd \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/mailsink.py /usr/local/bin/mailsink.py
ENV DEV_MAILBOX_DIR=/mail
CMD ["sh", "-c", "exec python3 /usr/local/bin/mailsink.py \"$SMTP_PORT\""]
