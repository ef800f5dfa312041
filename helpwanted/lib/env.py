"""Read settings from the environment. Framework-free so settings.py stays one flat file."""

import os
import secrets
from pathlib import Path

TRUTHY = {"1", "true", "yes", "on"}
FALSY = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUTHY:
        return True
    if value in FALSY:
        return False
    raise ValueError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number; got {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str, fallback_file: Path | None) -> str:
    """The secret from the environment; for local use, generated once into fallback_file."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if fallback_file is None:
        raise RuntimeError(f"{name} must be set in production.")
    if fallback_file.exists():
        return fallback_file.read_text().strip()
    fallback_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    fallback_file.write_text(value)
    fallback_file.chmod(0o600)
    return value


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "store": "helpwanted.mail.backends.StoreOnlyBackend",
}


def parse_email_url(url: str, timeout: int = 20) -> dict[str, object]:
    """Turn `smtp+tls://user:pass@host:587` into a Django MAILERS entry."""
    from urllib.parse import unquote, urlsplit

    if not url:
        raise ValueError("EMAIL_URL must be set in production, e.g. smtp+tls://user:pass@host:587")
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        known = ", ".join(sorted(EMAIL_BACKENDS))
        raise ValueError(f"EMAIL_URL must start with one of {known}; got {parts.scheme!r}")
    mailer: dict[str, object] = {"BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        default_port = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme]
        mailer["OPTIONS"] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or default_port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtp+ssl",
            "timeout": timeout,
        }
    return mailer


DEFAULT_SITE_URL = "http://127.0.0.1:8000"
_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - names, not a bind


def site_url_for(explicit: str | None, *, demo: bool, bind: str | None) -> str:
    """SITE_URL: as set; in the demo, else, the address gunicorn binds to (HELPWANTED_BIND).

    "127.0.0.1:8123" -> "http://127.0.0.1:8123"; "0.0.0.0:9000" -> "http://127.0.0.1:9000"
    (a link must name a host a browser can open); "[::1]:8000" keeps its brackets; a bare host
    gets gunicorn's port 8000; a unix socket gives the default.
    """
    if explicit and explicit.strip():
        return explicit.strip().rstrip("/")
    bind = (bind or "").strip()
    if not demo or not bind or bind.startswith(("unix:", "fd://")):
        return DEFAULT_SITE_URL
    bind = bind.removeprefix("tcp://")
    if bind.startswith("["):
        host, _, rest = bind[1:].partition("]")
        host, port = f"[{host}]", rest.removeprefix(":")
    elif bind.count(":") == 1:
        host, port = bind.split(":")
    else:
        host, port = bind, ""
    if host in _ANY_ADDRESS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if not port.isascii() or not port.isdigit():
        port = "8000"
    return f"http://{host}:{int(port)}"


def postgres_options(connect_timeout: int, statement_timeout: int) -> dict[str, object]:
    """psycopg connection options: give up connecting after `connect_timeout` seconds, and cancel
    any statement running longer than `statement_timeout` seconds (0: no limit)."""
    options: dict[str, object] = {"connect_timeout": connect_timeout}
    if statement_timeout > 0:
        options["options"] = f"-c statement_timeout={statement_timeout * 1000}"
    return options


def database_config(url: str, *, connect_timeout: int, statement_timeout: int) -> dict:
    """DATABASES["default"] for a DATABASE_URL. On PostgreSQL: the timeouts above (options in
    the URL's query string win), and a reused connection is checked before a request uses it."""
    import dj_database_url

    config: dict = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.postgresql":
        given = config.get("OPTIONS") or {}
        config["OPTIONS"] = {**postgres_options(connect_timeout, statement_timeout), **given}
        config["CONN_HEALTH_CHECKS"] = True
    return config


REDIS_SOCKET_TIMEOUT = 2  # seconds: a hung Redis fails a request quickly instead of holding it


def cache_settings(redis_url: str) -> tuple[dict[str, dict], str]:
    """CACHES and SESSION_ENGINE: Redis and cached_db sessions when REDIS_URL is set, else an
    in-process cache and sessions in the database."""
    if not redis_url:
        return (
            {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "django.contrib.sessions.backends.db",
        )
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
        },
    }
    return {"default": redis}, "django.contrib.sessions.backends.cached_db"
