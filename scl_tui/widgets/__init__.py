"""Widgets of the app, one per file, with their small CSS inside."""
