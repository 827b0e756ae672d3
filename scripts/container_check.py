"""`make container-check`: the container stack really runs, on this machine alone, and leaves nothing behind.

As root, with no image registry: starts a dockerd of its own (no bridge, no iptables; its data under
/var/lib/verwijsindex-container-check), makes a Debian base image with debootstrap from the mirror in this
machine's apt sources and imports it, builds the images of docker-compose.yml + docker-compose.debian.yml from
it, and starts PostgreSQL, Redis, the SMTP sink, web, worker and beat with the production settings and
secrets generated for this run, every container on the host's network listening on 127.0.0.1 only. It then
sets up a region the way production does (no demo data: organisations, invited professionals who accept,
API clients from `api_client_create`), places a signal on each of two siblings through the API, finds the
match e-mail in the SMTP sink, checks the production headers, and finally removes every container, image,
volume and build cache it made and stops its dockerd. Exits non-zero when a check fails.

Needs: root, apt-get (docker.io, docker-compose and debootstrap are installed when missing), and the
package registries (Debian, PyPI, npm) for the builds.
"""

import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from base64 import b64encode, urlsafe_b64encode
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "verwijsindex-check"
STATE = Path("/var/lib/verwijsindex-container-check")  # dockerd's data root, removed at the end
RUN = Path("/run/verwijsindex-container-check")  # its exec root, pid file and socket
SOCKET = RUN / "docker.sock"
BASE_IMAGE = "verwijsindex-debian/base:bookworm"
LOCAL_CAS = Path("/usr/local/share/ca-certificates")  # this machine's own certificate authorities, if any
# the builds' TLS clients trust the system bundle (with this machine's CAs): pip's own copy and node's do not
CA_ENVIRONMENT = {
    "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
    "PIP_CERT": "/etc/ssl/certs/ca-certificates.crt",
    "NODE_EXTRA_CA_CERTS": "/etc/ssl/certs/ca-certificates.crt",
}
COMPOSE_FILES = ["-f", "docker-compose.yml", "-f", "docker-compose.debian.yml"]
SERVICES = ["postgres", "redis", "mail", "web", "worker", "beat"]
SIBLINGS = [("999970021", "2015-02-01"), ("999970033", "2017-01-01")]  # children of 999999126 in the BRP test set
PACKAGES = {"dockerd": "docker.io", "docker-compose": "docker-compose", "debootstrap": "debootstrap"}
started_at = time.monotonic()


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[container-check {time.monotonic() - started_at:6.1f}s] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    say(f"ok: {message}")


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the tools and the base image -------------------------------------------------------------------------------


def tools_install() -> None:
    missing = [package for command, package in PACKAGES.items() if shutil.which(command) is None]
    if missing:
        say(f"installing {', '.join(missing)} with apt-get")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=environment, stdout=subprocess.DEVNULL)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=environment,
            stdout=subprocess.DEVNULL)  # fmt: skip


def apt_sources() -> list[dict]:
    """The Debian entries of this machine's apt sources: [{'uri', 'suites', 'components'}], one-line and deb822."""
    entries = []
    files = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in files:
        if not path.is_file() or path.suffix not in (".list", ".sources"):
            continue
        text = path.read_text()
        if path.suffix == ".list":
            for line in text.splitlines():
                words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
                if len(words) >= 4 and words[0] == "deb":
                    entries.append({"uri": words[1], "suites": [words[2]], "components": words[3:]})
            continue
        for block in re.split(r"\n\s*\n", text):
            fields = {}
            for line in block.splitlines():
                if line.strip() and not line.startswith("#") and ":" in line and not line[0].isspace():
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.split()
            if "deb" in fields.get("types", []) and fields.get("enabled", ["yes"]) != ["no"]:
                for uri in fields.get("uris", []):
                    entries.append(
                        {"uri": uri, "suites": fields.get("suites", []), "components": fields.get("components", [])}
                    )
    return entries


def codename() -> str:
    release = dict(
        line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
    )  # fmt: skip
    return release["VERSION_CODENAME"].strip('"')


def base_image_build(workdir: Path) -> None:
    """debootstrap a minimal Debian of this machine's release from its own mirror, and import it as BASE_IMAGE."""
    release = codename()
    entries = [e for e in apt_sources() if any(s.split("-")[0] == release for s in e["suites"])]
    mirror = next((e["uri"] for e in entries if release in e["suites"] and "main" in e["components"]), None)
    if mirror is None:
        raise CheckFailed(f"no Debian mirror for {release} with 'main' in /etc/apt/sources.list*")
    rootfs = workdir / "rootfs"
    say(f"debootstrap {release} (minbase) from the mirror in this machine's apt sources")
    run(["debootstrap", "--variant=minbase", "--include=ca-certificates", release, str(rootfs), mirror],
        stdout=subprocess.DEVNULL)  # fmt: skip
    # the image's apt uses the same Debian entries as this machine (release, updates, security)
    sources = rootfs / "etc" / "apt" / "sources.list"
    lines = [f"deb {e['uri']} {suite} {' '.join(e['components'])}\n" for e in entries for suite in e["suites"]]
    sources.write_text("".join(lines))
    # a proxy between this machine and the registries may present a certificate of this machine's own authority;
    # the base trusts what this machine trusts (certificates are public; nothing secret is copied)
    if LOCAL_CAS.is_dir() and any(LOCAL_CAS.rglob("*.crt")):
        shutil.copytree(LOCAL_CAS, rootfs / LOCAL_CAS.relative_to("/"), dirs_exist_ok=True)
        run(["chroot", str(rootfs), "update-ca-certificates"], stdout=subprocess.DEVNULL)
    for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for item in (rootfs / cache).glob("*"):
            if item.is_file():
                item.unlink()
    say(f"importing it as {BASE_IMAGE}")
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
    changes = [f"--change=ENV {name}={value}" for name, value in CA_ENVIRONMENT.items()]
    run(docker("import", *changes, "-", BASE_IMAGE), stdin=tar.stdout, stdout=subprocess.DEVNULL)
    tar.wait()
    shutil.rmtree(rootfs)


# --- dockerd ----------------------------------------------------------------------------------------------------


def docker(*arguments: str) -> list[str]:
    return ["docker", "-H", f"unix://{SOCKET}", *arguments]


def dockerd_start(workdir: Path) -> subprocess.Popen:
    if SOCKET.exists() or STATE.exists():
        raise CheckFailed(f"{STATE} or {SOCKET} exists: another check is running, or an earlier one was killed")
    RUN.mkdir(parents=True)
    log = open(workdir / "dockerd.log", "wb")  # noqa: SIM115 - lives as long as dockerd
    # no bridge and no iptables: containers get the host's network (network_mode: host), nothing else
    daemon = subprocess.Popen(
        ["dockerd", "--data-root", str(STATE), "--exec-root", str(RUN / "exec"), "--pidfile", str(RUN / "docker.pid"),
         "--host", f"unix://{SOCKET}", "--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false",
         "--userland-proxy=false"],
        stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise CheckFailed(f"dockerd stopped: {(workdir / 'dockerd.log').read_text()[-2000:]}")
        if subprocess.run(docker("version"), capture_output=True).returncode == 0:
            return daemon
        time.sleep(0.5)
    raise CheckFailed("dockerd did not answer within 60 s")


def dockerd_stop(daemon: subprocess.Popen) -> None:
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait(10)


# --- the stack --------------------------------------------------------------------------------------------------


def compose(environment: dict, *arguments: str, **kwargs) -> subprocess.CompletedProcess:
    return run(["docker-compose", "-p", PROJECT, *COMPOSE_FILES, *arguments], cwd=ROOT, env=environment, **kwargs)


def run_environment(workdir: Path) -> dict:
    """The secrets of this run (never written to the repository) and the ports on 127.0.0.1."""
    env_file = workdir / "check.env"
    env_file.touch(mode=0o600)
    env_file.write_text(
        "\n".join(
            [
                f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}",
                f"BSN_ENCRYPTION_KEYS={urlsafe_b64encode(os.urandom(32)).decode()}",
                f"BSN_PSEUDONYM_KEY={secrets.token_urlsafe(50)}",
                f"LOGBOOK_HMAC_KEYS=1:{secrets.token_urlsafe(48)}",
                f"LOGBOOK_CHECKPOINT_KEYS=1:{b64encode(os.urandom(32)).decode()}",
                "ALLOWED_HOSTS=.localhost,localhost,127.0.0.1",
                "DEFAULT_FROM_EMAIL=Verwijsindex <noreply@verwijsindex.example>",
                "SITE_SCHEME=https",
                "SECURE_SSL_REDIRECT=false",
                "ALLOW_DEMO_DATA=false",
            ]
        )
        + "\n"
    )
    mailbox = workdir / "mail"
    mailbox.mkdir()
    return {
        **os.environ,
        "DOCKER_HOST": f"unix://{SOCKET}",
        "COMPOSE_HTTP_TIMEOUT": "300",
        "DEBIAN_IMAGE": BASE_IMAGE,
        "ENV_FILE": str(env_file),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "WEB_PORT": str(free_port()),
        "POSTGRES_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "SMTP_PORT": str(free_port()),
        "MAILBOX_DIR": str(mailbox),
    }


def container_state(environment: dict, service: str) -> str:
    ids = compose(environment, "ps", "-q", service, capture_output=True, text=True).stdout.split()
    if not ids:
        return "missing"
    template = "{{.State.Status}}{{if .State.Health}} {{.State.Health.Status}}{{end}}"
    return subprocess.run(
        docker("inspect", "-f", template, ids[0]), capture_output=True, text=True, check=True
    ).stdout.strip()


def wait_healthy(environment: dict, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while True:
        states = {service: container_state(environment, service) for service in SERVICES}
        if all(state == "running healthy" for state in states.values()):
            check(True, "healthy: " + ", ".join(SERVICES))
            return
        if time.monotonic() > deadline or any(s.startswith(("exited", "dead")) for s in states.values()):
            compose(environment, "logs", "--tail=40")
            raise CheckFailed(f"not healthy: {states}")
        time.sleep(3)


SETUP = """
import datetime, json, secrets
from django.db import transaction
from accounts.models import Role
from accounts.services import invitation_accept, user_invite
from regions.models import Region
from regions.services import municipality_create, organisation_create
with transaction.atomic():
    region = Region.objects.create(name="Verwijsindex Haaglanden", slug="haaglanden",
                                   contact_email="verwijsindex@haaglanden.example")
    municipality_create(region=region, cbs_code="0518", name="'s-Gravenhage", actor=None)
out = {}
for code, name, sector in (("check-school", "Check School", "education"), ("check-zorg", "Check Zorg", "youth_care")):
    with transaction.atomic():
        organisation = organisation_create(region=region, actor=None,
                                           data={"name": name, "code": code, "sector": sector,
                                                 "convenant_date": datetime.date.today()})
        invitation = user_invite(email=f"prof@{code}.example", full_name=f"Professional {name}",
                                 role=Role.PROFESSIONAL, organisation=organisation, invited_by=None)
    invitation_accept(invitation=invitation, password=secrets.token_urlsafe(24))
    out[code] = invitation.user.email
print(json.dumps(out))
"""


def setup_region(environment: dict) -> dict:
    """Region, municipality, two organisations with an invited professional each and an API client each, through
    the services and management commands production uses (no demo data)."""
    result = compose(environment, "exec", "-T", "web", "python", "manage.py", "shell", "-c", SETUP,
                     capture_output=True, text=True)  # fmt: skip
    professionals = json.loads(result.stdout.strip().splitlines()[-1])
    clients = {}
    for code in professionals:
        output = compose(environment, "exec", "-T", "web", "python", "manage.py", "api_client_create",
                         "--organisation", code, capture_output=True, text=True).stdout  # fmt: skip
        clients[code] = re.search(r"Bearer <token>'\): (\S+)", output).group(1)
    check(len(clients) == 2, "two organisations, two professionals (invited, accepted) and two API clients")
    return {code: (professionals[code], clients[code]) for code in professionals}


def request(environment: dict, method: str, path: str, host: str, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", int(environment["WEB_PORT"]), timeout=30)
    connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def whom(birth_date: str) -> list[str]:
    born = datetime.date.fromisoformat(birth_date)
    today = datetime.date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return ["parents"] if age < 12 else ["youth", "parents"] if age < 16 else ["youth"]


def place_siblings(environment: dict, accounts: dict) -> list[str]:
    references = []
    for (bsn, birth_date), (email, token) in zip(SIBLINGS, accounts.values(), strict=True):
        body = {
            "professional_email": email,
            "bsn": bsn,
            "birth_date": birth_date,
            "informing": {"status": "informed", "whom": whom(birth_date), "on": datetime.date.today().isoformat(),
                          "how": "gesprek"},
        }  # fmt: skip
        response, content = request(
            environment, "POST", "/api/v1/signals/", "api.localhost",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Idempotency-Key": str(uuid.uuid4())},
            body=json.dumps(body),
        )  # fmt: skip
        if response.status != 201:
            raise CheckFailed(f"placing through the API: {response.status} {content[:500]!r}")
        check(bsn not in content.decode(), f"signal {json.loads(content)['reference']} placed through the API (201)")
        references.append(json.loads(content)["reference"])
    return references


def match_mail(environment: dict, accounts: dict, timeout: float = 180) -> None:
    mailbox = Path(environment["MAILBOX_DIR"])
    recipients = {email for email, _ in accounts.values()}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(mailbox.glob("*.eml"))]
        matches = [m for m in messages if "nieuwe match" in str(m["Subject"])]
        if {str(m["To"]) for m in matches} >= recipients:
            for message in matches:
                say(f"mail sink: to {message['To']}: {message['Subject']}")
            everything = b"".join(p.read_bytes() for p in mailbox.glob("*.eml")).decode(errors="replace")
            check(not any(bsn in everything for bsn, _ in SIBLINGS), "no BSN in any e-mail")
            check(True, f"the match e-mail reached both professionals ({len(messages)} messages in the sink)")
            return
        time.sleep(2)
    raise CheckFailed(f"no match e-mail to {recipients} within {timeout:.0f} s")


def production_headers(environment: dict) -> None:
    # as behind the TLS-terminating proxy production puts in front (SECURE_PROXY_SSL_HEADER)
    response, _ = request(environment, "GET", "/account/inloggen/", "haaglanden.localhost",
                       headers={"X-Forwarded-Proto": "https"})  # fmt: skip
    check(response.status == 200, "the login page answers 200 on the region's host")
    hsts = response.getheader("Strict-Transport-Security", "")
    check("max-age=63072000" in hsts and "includeSubDomains" in hsts, f"Strict-Transport-Security: {hsts}")
    csp = response.getheader("Content-Security-Policy", "")
    check("default-src" in csp and "'unsafe-inline'" not in csp.split("script-src")[-1].split(";")[0],
          f"Content-Security-Policy: {csp[:90]}...")  # fmt: skip
    check(response.getheader("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
    check(response.getheader("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
    cookies = response.msg.get_all("Set-Cookie") or []
    check(bool(cookies) and all("; Secure" in c and "SameSite" in c for c in cookies),
          "every cookie is Secure: " + ", ".join(c.split("=", 1)[0] for c in cookies))  # fmt: skip
    response, _ = request(environment, "GET", "/health/", "127.0.0.1")
    check(response.status == 200, "/health/ answers 200")


# --- afterwards -------------------------------------------------------------------------------------------------


def remove_everything(environment: dict) -> None:
    say("removing the containers, volumes, networks, images and build cache of this run")
    compose(environment, "down", "--volumes", "--rmi", "all", "--remove-orphans", "--timeout", "20",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for command in (("container", "prune", "-f"), ("image", "prune", "-af"), ("builder", "prune", "-af"),
                    ("volume", "prune", "-f"), ("network", "prune", "-f")):  # fmt: skip
        subprocess.run(docker(*command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    subprocess.run(docker("rmi", "-f", BASE_IMAGE), capture_output=True, check=False)
    for command in (("ps", "-a"), ("images",), ("volume", "ls"), ("system", "df")):
        output = subprocess.run(docker(*command), capture_output=True, text=True, check=False).stdout
        say(f"$ docker {' '.join(command)}\n{output.rstrip()}")


def our_mounts() -> list[str]:
    """Mounts under our paths that dockerd left (its network namespace file under the exec root), deepest first."""
    points = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    return sorted((p for p in points if p.startswith((str(STATE), str(RUN)))), key=len, reverse=True)


def processes_left() -> list[str]:
    """Processes that belong to this run: dockerd, containerd and shims with our paths, and container processes."""
    left = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(STATE) in command or str(RUN) in command or "containerd-shim" in command:
            left.append(f"{proc.name} {command[:150]}")
    return left


def main() -> int:
    if os.geteuid() != 0:
        print("container-check needs root (it starts its own dockerd).", file=sys.stderr)
        return 2
    tools_install()
    workdir = Path(tempfile.mkdtemp(prefix="vi-container-check-"))
    daemon = None
    environment = None
    failure = None
    try:
        say(f"starting dockerd (--bridge=none --iptables=false, data root {STATE})")
        daemon = dockerd_start(workdir)
        base_image_build(workdir)
        environment = run_environment(workdir)
        say("building the images and starting the stack (production settings, host network, 127.0.0.1)")
        # one build of the application image (migrate, web, worker and beat all run verwijsindex:latest)
        compose(environment, "build", "postgres", "redis", "mail", "migrate", stdout=open(workdir / "build.log", "wb"),
                stderr=subprocess.STDOUT)  # fmt: skip
        compose(environment, "up", "-d", stderr=subprocess.STDOUT)
        wait_healthy(environment)
        accounts = setup_region(environment)
        references = place_siblings(environment, accounts)
        say(f"signals {', '.join(references)} placed on two siblings")
        match_mail(environment, accounts)
        production_headers(environment)
    except (CheckFailed, subprocess.CalledProcessError) as error:
        failure = error
        say(f"FAILED: {error}")
        for name in ("build.log", "dockerd.log"):
            if (workdir / name).exists():
                say(f"last lines of {name}:\n" + "\n".join((workdir / name).read_text().splitlines()[-30:]))
    finally:
        if daemon is not None and daemon.poll() is None:
            if environment is not None:
                remove_everything(environment)
            say("stopping dockerd")
            dockerd_stop(daemon)
        for mount in our_mounts():
            subprocess.run(["umount", mount], check=False)
        shutil.rmtree(STATE, ignore_errors=True)
        shutil.rmtree(RUN, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
        left = processes_left()
        say("processes of this run left: " + ("none" if not left else "\n".join(left)))
        remains = our_mounts() + [str(path) for path in (STATE, RUN) if path.exists()]
        say("mounts and folders of this run left: " + (", ".join(remains) or "none"))
        if left or remains:
            failure = failure or CheckFailed("processes, mounts or folders left behind")
    say("PASSED" if failure is None else "FAILED")
    return 0 if failure is None else 1


if __name__ == "__main__":
    sys.exit(main())
