"""Bot Framework tokens for tests: a signing key, JWTs signed with it, and a fake OpenID endpoint.

The Bot Framework signs each activity's token with a key it publishes at an OpenID metadata URL
(``login.botframework.com``); botframework-connector fetches the keys from there. The fake endpoint
serves our test key the same way, on 127.0.0.1, from a thread: the connector fetches keys with
blocking ``requests`` calls on the event loop, so the loop itself could not answer them.

:class:`TokenEndpoint` is the other direction: the Microsoft login endpoint from which the app gets the token
it sends to the connector (msal's client-credentials grant), over HTTPS, also in a thread for the same reason.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import secrets
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"


class SigningKey:
    """An RSA key with a key id, as the Bot Framework publishes them (endorsed for ``msteams``)."""

    def __init__(self, kid: str = "bf-test-key") -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=["msteams"])
        return jwk

    def token(self, *, app_id: str, service_url: str, issuer: str = ISSUER, lifetime: int = 3600) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": app_id, "serviceurl": service_url, "nbf": now - 60, "exp": now + lifetime}
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid})


class _Handler(BaseHTTPRequestHandler):
    """Answers with JSON documents, quietly (no access log on stderr)."""

    def _json(self, status: int, document: Any) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet)
        return


class _Endpoint:
    """A ``ThreadingHTTPServer`` on 127.0.0.1 serving ``handler`` from a thread while the ``with`` block runs."""

    def __init__(self, handler: type[_Handler], context: ssl.SSLContext | None = None) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if context is not None:
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class OpenIdEndpoint(_Endpoint):
    """Serves ``/.well-known/openidconfiguration`` and ``/keys`` for a key, on 127.0.0.1, in a thread."""

    def __init__(self, key: SigningKey) -> None:
        keys = {"keys": [key.jwk()]}

        class Handler(_Handler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                port = self.server.server_address[1]
                documents = {
                    "/.well-known/openidconfiguration": {
                        "issuer": ISSUER,
                        "jwks_uri": f"http://127.0.0.1:{port}/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    },
                    "/keys": keys,
                }
                document = documents.get(self.path)
                self._json(200 if document else 404, document)

        super().__init__(Handler)

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.well-known/openidconfiguration"


class TokenEndpoint(_Endpoint):
    """A fake Microsoft login endpoint over HTTPS on 127.0.0.1, in a thread: the tenant's OpenID configuration
    and a token endpoint for the client-credentials grant, which hands the app a bearer token when its id and
    password are right (``invalid_client`` otherwise). msal insists on https, so the endpoint has a self-signed
    certificate, written to ``ca_file`` for ``REQUESTS_CA_BUNDLE``."""

    def __init__(self, directory: Path, *, app_id: str, password: str, tenant: str = "botframework.com") -> None:
        self.tenant = tenant
        self.token = f"fake-bearer-{secrets.token_hex(8)}"
        self.requests: list[dict[str, str]] = []
        self.ca_file = directory / "token-endpoint.pem"
        key, certificate = _self_signed("127.0.0.1")
        self.ca_file.write_bytes(certificate)
        key_file = directory / "token-endpoint.key"
        key_file.write_bytes(key)
        endpoint = self

        class Handler(_Handler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                base = f"https://127.0.0.1:{self.server.server_address[1]}/{tenant}"
                if self.path.split("?")[0] == f"/{tenant}/v2.0/.well-known/openid-configuration":
                    self._json(200, {"issuer": f"{base}/v2.0",
                                     "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                                     "token_endpoint": f"{base}/oauth2/v2.0/token"})
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                endpoint.requests.append(form)
                if self.path != f"/{tenant}/oauth2/v2.0/token":
                    self._json(404, {"error": "not_found"})
                elif form.get("client_id") != app_id or form.get("client_secret") != password:
                    self._json(401, {"error": "invalid_client", "error_description": "AADSTS7000215: wrong secret"})
                else:
                    self._json(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": endpoint.token})

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key_file)
        super().__init__(Handler, context)

    @property
    def authority(self) -> str:
        """What ACTIONBOT_TEAMS_TOKEN_AUTHORITY is set to."""
        return f"https://127.0.0.1:{self.port}/{self.tenant}"


def _self_signed(ip: str) -> tuple[bytes, bytes]:
    """A private key and a self-signed certificate for ``ip`` (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ip)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)
