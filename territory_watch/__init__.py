"""territory-watch: scheduled news scraping and alerting on territorial-change figures."""

__version__ = "0.1.0"
