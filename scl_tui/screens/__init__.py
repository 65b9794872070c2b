"""Screens of the app, one per file, with their styles beside them."""
