"""Benchmarks at call-center scale: `python -m bench.<name>`; numbers, not tests."""
