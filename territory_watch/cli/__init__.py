"""The `territory-watch` command line: argument parsing, and how results are printed."""
