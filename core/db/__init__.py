"""Persistence: SQLAlchemy 2.x models, the engine, migrations, the unit of work."""
