from tests.cli.conftest import scl, seeded  # noqa: F401  (fixtures: the real `scl` command)
