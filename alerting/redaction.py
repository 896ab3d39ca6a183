"""Keeping secrets (passwords, webhook tokens) out of stored errors and logs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_WEBHOOK_PATH = re.compile(r"(/services/)[A-Za-z0-9/_-]+")
_USERINFO = re.compile(r"(://)[^/@\s:]+:[^/@\s]+@")


def connection_secrets(conn_id: str) -> list[str]:
    """The secret parts of an Airflow connection (password, token path of a webhook URL)."""
    try:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(conn_id)
    except Exception:  # an unknown connection is reported by the send itself
        return []
    secrets = [s for s in (conn.password, conn.login and conn.password) if s]
    for value in list(secrets):
        path = urlsplit(value).path if "://" in value else ""
        if len(path) > 1:
            secrets.append(path)
    return sorted(set(secrets), key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    """`text` with each secret, webhook token path and URL password replaced by ***."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    text = _WEBHOOK_PATH.sub(r"\1***", text)
    return _USERINFO.sub(r"\1***@", text)
