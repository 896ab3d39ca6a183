"""Guards for the two private APIs the project still uses: each fails loudly, naming what
moved, when an upgrade of Scrapy or of the SMTP provider breaks the wrapped internals."""

from __future__ import annotations

import json

import pytest
from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.test import get_crawler

from alerting.channels.email import connected_client
from crawlers import download_slots
from demo.sinks import SmtpSink


def test_scrapy_download_slot_internals_are_where_download_slots_expects_them() -> None:
    slot = Slot(concurrency=1, delay=0, jitter=0)
    missing = [a for a in download_slots.SLOT_ATTRIBUTES if not hasattr(slot, a)]
    assert not missing, f"scrapy's Slot lost {missing}: update crawlers/download_slots.py"
    downloader = Downloader(get_crawler())
    missing = [a for a in download_slots.DOWNLOADER_ATTRIBUTES if not hasattr(downloader, a)]
    assert not missing, f"scrapy's Downloader lost {missing}: update crawlers/download_slots.py"
    assert callable(downloader._latercall)


def test_drain_empties_a_real_slot() -> None:
    """(Holding a slot needs a running reactor: the real Retry-After crawls test it.)"""
    from collections import deque

    downloader = Downloader(get_crawler())
    downloader.slots["example.org"] = slot = Slot(concurrency=1, delay=0, jitter=0)
    errors: list[Exception] = []

    class Waiting:
        def errback(self, error: Exception) -> None:
            errors.append(error)

    slot.queue = deque([(object(), Waiting()), (object(), Waiting())])
    assert download_slots.drain(downloader, "example.org", RuntimeError("back off")) == 2
    assert len(errors) == 2 and not slot.queue
    assert not download_slots.hold(downloader, "unknown.example", 1)


def test_the_smtp_hook_still_holds_its_connected_client(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path) -> None:
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpSink(folder=tmp_path / "mail") as sink:
        monkeypatch.setenv("AIRFLOW_CONN_TW_GUARD", json.dumps(
            {"conn_type": "smtp", "host": "127.0.0.1", "port": sink.port,
             "extra": {"disable_ssl": True, "disable_tls": True}}))
        with SmtpHook(smtp_conn_id="tw_guard") as hook:
            client = connected_client(hook)
            assert client.noop()[0] == 250
