"""Classifiers: one interface, an embedded offline one and an OpenAI-compatible one."""
