-- One PostgreSQL server, two databases: `airflow` (Airflow's metadata, created by the image from
-- POSTGRES_DB) and `territory_watch` (the project store: articles, figures, raw pages, alerts).
-- Runs once, when the data volume is empty. Local development credentials: the server publishes
-- no port; change them together with TERRITORY_WATCH_DB in docker-compose.yml.
CREATE USER territory_watch WITH PASSWORD 'territory_watch';
CREATE DATABASE territory_watch OWNER territory_watch;
