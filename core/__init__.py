"""scl-tui core: the domain and everything that runs without a screen."""
