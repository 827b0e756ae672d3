"""Serve this deployment (hub or regional) over HTTPS with mutual TLS, handing the verified client certificate to
Django as SSL_CLIENT_CERT. For the federation tests and small installations; production may instead run gunicorn
behind a proxy that terminates TLS and sets FEDERATION_CLIENT_CERT_HEADER."""

import ssl
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    def get_environ(self):
        environ = super().get_environ()
        certificate = self.connection.getpeercert(binary_form=True)
        if certificate:
            environ["SSL_CLIENT_CERT"] = ssl.DER_cert_to_PEM_cert(certificate)
        environ["wsgi.url_scheme"] = "https"
        environ["HTTPS"] = "on"
        return environ

    def log_message(self, format, *args):  # noqa: A002 - the signature of BaseHTTPRequestHandler
        # the request line holds no personal data (the federation's paths carry none); the body is never logged
        self.server.log(format % args)


class Command(BaseCommand):
    help = "Serve over HTTPS with mutual TLS (federation)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)

    def handle(self, *args, host, port, **options):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(settings.FEDERATION_TLS_CERT, settings.FEDERATION_TLS_KEY)
        context.load_verify_locations(settings.FEDERATION_TLS_CA)
        # every caller shows a certificate of the federation's CA; which one may do what is Django's decision
        context.verify_mode = ssl.CERT_REQUIRED
        server = make_server(host, port, get_wsgi_application(), server_class=_Server, handler_class=_Handler)
        server.log = lambda line: self.stderr.write(line)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self.stdout.write(f"federation: serving https://{host}:{port}/ ({settings.VERWIJSINDEX_ROLE})")
        self.stdout.flush()
        server.serve_forever()
