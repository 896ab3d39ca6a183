"""The analyst view: recent alerts with their delivery state, and per actor and place what is
held over time with the reported gains and losses, linked to the articles. Served inside the
Airflow UI by the plugin (`territory_watch.orchestration.airflow_plugin`) and written as static
HTML by `territory-watch report --out DIR`."""
