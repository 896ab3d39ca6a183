"""Scrapy settings: polite by default, bounded in size and time, components wired here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("territory-watch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

BOT_NAME = "territory-watch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = (
    f"territory-watch/{__version__} (news monitoring bot; honours robots.txt; "
    "+https://github.com/territory-watch/territory-watch)"
)
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # also caps decompressed size (gzip bombs)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
URLLENGTH_LIMIT = 2000  # the store keeps URLs up to 2,000 characters
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_AFTER_MAX_WAIT = 60.0  # longer Retry-After: give the page up until the next run
RETRY_AFTER_MAX_TIMES = 2
ARCHIVE_BATCH_SIZE = 25  # pages written per transaction

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.PrivateAddressMiddleware": 50,
    "crawlers.middlewares.RetryAfterMiddleware": 560,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.ArchivePipeline": 300,
}
