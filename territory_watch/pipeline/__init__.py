"""The steps of a cycle (crawl, extract, evaluate, notify) and the pipeline's health checks,
as plain functions over `Settings`; the CLI and the Airflow DAG both call them."""
