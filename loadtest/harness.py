"""Start and stop what a drill needs: a scratch database, the SMTP sink, gunicorn, workers.

Everything listens on loopback only and lives in a temporary directory. `Stack.setup()` points
this process's Django at the scratch database, so seeding and verifying run in-process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise SystemExit(f"FAIL: timed out after {seconds:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def postgres_url(base: str, name: str) -> str:
    """The same server as `base`, a database of our own (created fresh)."""
    import psycopg

    parts = urlsplit(base)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class Stack:
    def __init__(self, name: str, postgres: str | None = None, **env: str) -> None:
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix=f"helpwanted-{name}-"))
        self.postgres = postgres
        self.database_url = (
            postgres_url(postgres, f"helpwanted_{name}")
            if postgres
            else f"sqlite:///{self.dir / 'app.sqlite3'}"
        )
        self.sink_port = free_port()
        self.sink_log = self.dir / "sink.jsonl"
        self.sink_log.touch()
        self.sink: subprocess.Popen[bytes] | None = None
        self.web: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []
        self.web_ports: list[int] = []
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "helpwanted.settings",
            "HELPWANTED_VAR_DIR": str(self.dir),
            "HELPWANTED_DEMO": "1",
            "HELPWANTED_COLLECTSTATIC": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink_port}",
            "HELPWANTED_OUTBOX_LEASE_SECONDS": "5",
            **env,
        }
        self.env.pop("HELPWANTED_PRODUCTION", None)

    # --- Django in this process -------------------------------------------------------------
    def setup(self) -> None:
        os.environ.update(self.env)
        self.manage("migrate", "--noinput", "-v", "0")
        import django

        django.setup()

    def manage(self, *args: str) -> None:
        subprocess.run([BIN / "helpwanted", *args], env=self.env, cwd=ROOT, check=True)

    # --- Processes -----------------------------------------------------------------------------
    def _log(self, name: str) -> int:
        return os.open(self.dir / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def start_sink(self) -> None:
        self.sink = subprocess.Popen(
            [sys.executable, "-m", "loadtest.sink", str(self.sink_port), str(self.sink_log)],
            cwd=ROOT,
            env=self.env,
            stdout=self._log("sink"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: port_open(self.sink_port), 20, "the SMTP sink")

    def stop_sink(self) -> None:
        if self.sink is not None:
            self.sink.send_signal(signal.SIGTERM)
            self.sink.wait(10)
            self.sink = None

    def start_web(self, servers: int = 1, workers: int = 2) -> list[str]:
        for _ in range(servers):
            port = free_port()
            self.web_ports.append(port)
            self.web.append(
                subprocess.Popen(
                    [
                        BIN / "gunicorn",
                        "helpwanted.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        # gunicorn 27 binds ~/.gunicorn/gunicorn.ctl per master otherwise.
                        "--no-control-socket",
                        "--graceful-timeout",
                        "5",
                        "--logger-class",
                        "helpwanted.lib.gunicornlog.RedactingLogger",
                    ],
                    cwd=ROOT,
                    env={**self.env, "SITE_URL": f"http://127.0.0.1:{self.web_ports[0]}"},
                    stdout=self._log("gunicorn"),
                    stderr=subprocess.STDOUT,
                )
            )
        for port in self.web_ports:
            wait_for(lambda port=port: port_open(port), 30, f"gunicorn on {port}")  # type: ignore[misc]
        return [f"http://127.0.0.1:{port}" for port in self.web_ports]

    def start_worker(self, **env: str) -> subprocess.Popen[bytes]:
        site = f"http://127.0.0.1:{self.web_ports[0]}" if self.web_ports else ""
        worker = subprocess.Popen(
            [BIN / "helpwanted", "worker", "--interval", "0.2"],
            cwd=ROOT,
            env={**self.env, **({"SITE_URL": site} if site else {}), **env},
            stdout=self._log("worker"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.workers = []

    def stop_all(self) -> None:
        for proc in self.web:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.web:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.web = []
        self.stop_workers()
        self.stop_sink()

    def cleanup(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.postgres:
            import psycopg

            with psycopg.connect(self.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "helpwanted_{self.name}" WITH (FORCE)')
        if os.environ.get("LOADTEST_KEEP"):
            print(f"Kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
