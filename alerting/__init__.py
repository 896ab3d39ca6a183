"""Alerting: rules over stored figures, alerts stored before delivery, email and Slack channels."""
