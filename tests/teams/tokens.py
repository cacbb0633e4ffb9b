"""Bot Framework tokens for tests: a signing key, JWTs signed with it, and a fake OpenID endpoint.

The Bot Framework signs each activity's token with a key it publishes at an OpenID metadata URL
(``login.botframework.com``); botframework-connector fetches the keys from there. The fake endpoint
serves our test key the same way, on 127.0.0.1, from a thread: the connector fetches keys with
blocking ``requests`` calls on the event loop, so the loop itself could not answer them.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
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


class OpenIdEndpoint:
    """Serves ``/.well-known/openidconfiguration`` and ``/keys`` for a key, on 127.0.0.1, in a thread."""

    def __init__(self, key: SigningKey) -> None:
        keys = {"keys": [key.jwk()]}

        class Handler(BaseHTTPRequestHandler):
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
                body = json.dumps(document).encode()
                self.send_response(200 if document else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet)
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/.well-known/openidconfiguration"

    def __enter__(self) -> OpenIdEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
