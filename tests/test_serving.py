"""Two app servers on one host, started as scripts/serve.sh starts them, both serve: gunicorn 27's
control socket (~/.gunicorn/gunicorn.ctl) is off, so they no longer fight over one socket."""

import json
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.processes import database_url, wait_for

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int) -> tuple[int, dict] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except OSError:
        return None


def serve(home: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "HOME": str(home),
        "HELPWANTED_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "helpwanted.settings",
    }
    return subprocess.Popen(  # noqa: S603 - our own script
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped below, with everything it ran
    )


def stop(server: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
            server.wait(15)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def test_two_app_servers_on_one_host_both_serve_and_share_no_control_socket(tmp_path):
    ports = [free_port(), free_port()]
    servers = [serve(tmp_path, port) for port in ports]
    try:
        for port in ports:
            wait_for(lambda port=port: health(port) is not None, seconds=90)
            assert health(port) == (200, {"status": "ok", "database": "ok"})
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        for server in servers:
            stop(server)
