"""The outside world: audio, dialers, notifiers, secrets."""
