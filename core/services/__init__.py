"""Use cases the app, the CLI and the tests call: primitives in, frozen views out."""
