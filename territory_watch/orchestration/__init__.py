"""Airflow glue: the environment of the project's Airflow, the crawl subprocess a DAG task
runs, and the notifier that turns a failed task into an operator alert."""
