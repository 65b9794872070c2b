"""Recording downloads over https against a loopback TLS server: the connection goes to
the address that was checked, and the certificate is still verified for the host name."""

from __future__ import annotations

import datetime
import io
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.adapters.recording_download import Limits, Refused, download
from core.domain.recording_sources import AllowedHost, RecordingSources

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

BODY = b"RIFF....WAVE over tls"
LIMITS = Limits(read_seconds=5.0, total_seconds=10.0, max_bytes=10_000)


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class TlsServer:
    def __init__(self, cert: Path, key: Path) -> None:
        self.hosts: list[str | None] = []
        self.sni: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hosts.append(self.headers.get("Host"))
                self.send_response(200)
                self.send_header("Content-Length", str(len(BODY)))
                self.end_headers()
                self.wfile.write(BODY)

            def log_message(self, *args: object) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: self.sni.append(name)  # type: ignore[assignment]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path, "pbx.invalid")


@pytest.fixture
def tls(certificate: tuple[Path, Path]) -> Iterator[TlsServer]:
    running = TlsServer(*certificate)
    yield running
    running.close()


def sources(port: int) -> RecordingSources:
    return RecordingSources(hosts=(AllowedHost("pbx.invalid", port, private=True),))


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def test_https_goes_to_the_checked_address_and_verifies_the_name(tls, certificate):
    out = io.BytesIO()
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    url = f"https://pbx.invalid:{tls.port}/calls/1.wav"
    size = download(url, sources(tls.port), out, LIMITS, resolver=loopback, verify=trusted)
    assert (size, out.getvalue()) == (len(BODY), BODY)
    assert tls.sni == ["pbx.invalid"] and tls.hosts == [f"pbx.invalid:{tls.port}"]


def test_https_with_a_certificate_for_another_name_is_refused(tls, certificate):
    """Connecting to an address does not skip the name check: the server's certificate
    (trusted, but for pbx.invalid) does not do for other.invalid."""
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    listed = RecordingSources(hosts=(AllowedHost("other.invalid", tls.port, private=True),))
    url = f"https://other.invalid:{tls.port}/calls/1.wav"
    with pytest.raises(Refused, match="certificate verify failed: Hostname mismatch"):
        download(url, listed, io.BytesIO(), LIMITS, resolver=loopback, verify=trusted)
    assert tls.hosts == []


def test_https_by_default_trusts_only_the_public_authorities(tls):
    url = f"https://pbx.invalid:{tls.port}/calls/1.wav"
    with pytest.raises(Refused, match="certificate verify failed"):
        download(url, sources(tls.port), io.BytesIO(), LIMITS, resolver=loopback)
    assert tls.hosts == []
