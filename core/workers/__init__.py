"""Background work: the review worker (and, later, the notification dispatcher)."""
