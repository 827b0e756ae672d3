# PostgreSQL from Debian's packages, for docker-compose.debian.yml (where no postgres image can be pulled).
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data
COPY docker/debian/postgres-start.sh /usr/local/bin/postgres-start
USER postgres
ENV PATH=/usr/lib/postgresql/15/bin:$PATH
CMD ["postgres-start"]
