"""The Scrapy project: one config-driven news spider, archiving pipeline and safety middlewares."""
