"""Delivery channels over Airflow provider hooks (SMTP, Slack incoming webhook)."""
