"""Offline demo pieces: the bundled sample news site and the local delivery sinks."""
