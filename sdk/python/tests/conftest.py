"""Starts one homevisitd for the session: a free port, a throwaway SQLite database, demo data.

The binary: $HOMEVISITD, else build/server/homevisitd of the repository
(scripts/test-sdks.sh builds it). Without it the live tests fail rather than skip.

The server requires a bearer token on every call: it writes its first admin token to a file in
the session's temporary directory; the admin then issues a credential per role the tests need
(``tokens``), and ``client`` calls as a DOT operator.

``drop_reply_proxy`` puts sdk/testing/drop_reply_proxy.py in front of that server: it lets the
server run each write once and answers UNAVAILABLE instead (sdk/README.md, "The shared test").
"""

from __future__ import annotations

import itertools
import os
import pathlib
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

import homevisit
from homevisit.v1 import common_pb2, credential_pb2

REPO = pathlib.Path(__file__).resolve().parents[3]
PREFIX = "homevisitd listening on "
PROXY = REPO / "sdk" / "testing" / "drop_reply_proxy.py"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):
    """(address, admin token) of the session's homevisitd."""
    binary = os.environ.get("HOMEVISITD") or str(REPO / "build" / "server" / "homevisitd")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"live tests need homevisitd at {binary}: run scripts/build.sh or set HOMEVISITD")
    work = tmp_path_factory.mktemp("homevisitd")
    admin_token_file = work / "admin.token"
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--db", f"sqlite:{work / 'x.db'}", "--demo",
         "--admin_token_file", str(admin_token_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:  # keeps the pipe drained for the server's whole life
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    address = None
    give_up = time.monotonic() + 30
    while address is None and time.monotonic() < give_up and process.poll() is None:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if line.startswith(PREFIX):
            address = line[len(PREFIX):].strip()
    if address is None:
        process.kill()
        pytest.fail(f"homevisitd did not print its address (exit code {process.poll()})")
    yield address, admin_token_file.read_text().strip()
    _stop(process)


@pytest.fixture(scope="session")
def server_address(server) -> str:
    return server[0]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def drop_reply_proxy(server_address: str, tmp_path_factory: pytest.TempPathFactory):
    """Address of a drop-reply proxy in front of the session's homevisitd. It runs under this
    interpreter (which has grpcio, as the SDK needs it) and is stopped after the session."""
    work = tmp_path_factory.mktemp("drop-reply-proxy")
    port_file, log_file = work / "address", work / "proxy.log"
    with open(log_file, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, str(PROXY), server_address, "--port-file", str(port_file)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = ""
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up and process.poll() is None:
        text = port_file.read_text(encoding="utf-8") if port_file.exists() else ""
        if text.endswith("\n"):  # written in full
            address = text.strip()
            break
        time.sleep(0.05)
    if not address:
        _stop(process)
        pytest.fail(f"drop_reply_proxy.py did not write its address (exit code {process.poll()}):\n"
                    + log_file.read_text(encoding="utf-8"))
    try:
        yield address
    finally:
        _stop(process)


def issue_token(address: str, admin_token: str, role: int, technician: str = "") -> str:
    """A new credential's token, issued by the admin (only CreateCredential shows it)."""
    with homevisit.Client(address, insecure=True, token=admin_token) as admin:
        issued = admin.credentials.CreateCredential(
            credential_pb2.CreateCredentialRequest(
                credential=credential_pb2.Credential(
                    principal=f"python-sdk-{common_pb2.Role.Name(role).lower()}", role=role, technician=technician
                )
            )
        )
    assert issued.token
    return issued.token


@pytest.fixture(scope="session")
def tokens(server) -> dict[str, str]:
    """A token per role the tests use: "dot_operator", "dispatcher"."""
    address, admin_token = server
    return {
        "dot_operator": issue_token(address, admin_token, common_pb2.ROLE_DOT_OPERATOR),
        "dispatcher": issue_token(address, admin_token, common_pb2.ROLE_DISPATCHER),
    }


@pytest.fixture
def client(server_address: str, tokens: dict[str, str]):
    with homevisit.Client(server_address, insecure=True, token=tokens["dot_operator"]) as c:
        yield c


_counter = itertools.count()


@pytest.fixture
def unique():
    """Distinct request ids and file numbers, so tests stay independent on one server."""
    return lambda prefix: f"{prefix}-{time.time_ns()}-{next(_counter)}"
