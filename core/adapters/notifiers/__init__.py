"""Sending notifications to the outside world: email over SMTP, texts over an SMS API."""
