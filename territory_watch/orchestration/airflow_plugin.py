"""The Territory Watch view inside the Airflow UI: an Airflow 3 plugin mounting a read-only
FastAPI app at /territory-watch and a link to it in the UI's navigation.

Airflow does not protect a plugin's endpoints: every request here must carry the Airflow JWT
the UI holds (its `_token` cookie) or an `Authorization: Bearer` token, checked by Airflow's own
auth manager (`requires_access_view`), else it is refused (401 without a token, 403 with an
invalid one or without access). Registered through the `airflow.plugins` entry point.
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import datetime
from typing import Annotated

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
from airflow.api_fastapi.core_api.security import requires_access_view
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from storage import Store
from storage.pages import now
from territory_watch.analyst_view.data import ViewFilters, load_view
from territory_watch.analyst_view.page import render_view
from territory_watch.config.datetimes import parse_when
from territory_watch.config.settings import Settings

URL_PREFIX = "/territory-watch"

app = FastAPI(title="Territory Watch", docs_url=None, redoc_url=None, openapi_url=None)


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_when(value)
    except (ValueError, ArgumentTypeError) as exc:
        raise HTTPException(400, f"not a date: {value!r}") from exc


def _actor(value: str | None) -> str | None:
    if not value:
        return None
    from parsers.figures.actors import canonical

    return canonical(value) or value


@app.exception_handler(HTTPException)
async def _refused(request: Request, exc: HTTPException) -> HTMLResponse:
    """A plain page (the UI shows it in its frame) instead of JSON; no detail of the store."""
    text = {401: "Log in to Airflow to see Territory Watch.",
            403: "Your Airflow login does not give access to Territory Watch."}.get(
        exc.status_code, str(exc.detail))
    return HTMLResponse(f"<!doctype html><title>Territory Watch</title><p>{text}</p>"
                        f'<p><a href="/" target="_top">Airflow</a></p>',
                        status_code=exc.status_code)


@app.get("/", response_class=HTMLResponse,
         dependencies=[Depends(requires_access_view(AccessView.WEBSITE))])
def territory_watch_view(
    actor: Annotated[str | None, Query()] = None,
    metric: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """The page, read from the store (`TERRITORY_WATCH_DB`)."""
    filters = ViewFilters(_actor(actor), metric or None, _when(since), _when(until))
    store = Store(Settings.from_env().db_url)
    try:
        page = render_view(load_view(store, filters, now=now()), live=True)
    finally:
        store.close()
    return HTMLResponse(page, headers={"Cache-Control": "no-store",
                                       "X-Content-Type-Options": "nosniff"})


class TerritoryWatchPlugin(AirflowPlugin):
    """Mounts the view and links it from the UI's navigation (Browse menu)."""

    name = "territory_watch"
    fastapi_apps = [{"app": app, "url_prefix": URL_PREFIX, "name": "Territory Watch"}]
    external_views = [{"name": "Territory Watch", "href": f"{URL_PREFIX}/",
                       "destination": "nav", "category": "browse",
                       "url_route": "territory-watch"}]
