"""Persistence: SQLModel tables, engine and session set-up, queries (a module per subject) and Alembic migrations.

SQLite is the embedded default; PostgreSQL (through psycopg 3) is the production store.
"""
