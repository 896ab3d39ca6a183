"""An offline, Alwaght-like sample news site served on 127.0.0.1, with fault injection.

>>> with serve_sample_site(faults={r"^/en/rss$": Fault.http_status(503, times=1)}) as site:
...     site.base_url, site.articles[0].url, site.requests.paths()
"""

from .content import Article, load_articles, load_private_articles
from .faults import Fault, FaultKind, FaultPlan
from .request_log import Headers, RequestLog, RequestRecord
from .server import SampleSite, serve_sample_site

__all__ = [
    "Article",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "Headers",
    "RequestLog",
    "RequestRecord",
    "SampleSite",
    "load_articles",
    "load_private_articles",
    "serve_sample_site",
]
