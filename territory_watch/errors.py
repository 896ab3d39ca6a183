"""Errors a user can act on, reported without a traceback."""


class ConfigError(ValueError):
    """A configuration file or variable is missing or invalid; the message says where and why."""
