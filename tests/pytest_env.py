"""Loaded first (``-p tests.pytest_env`` in pyproject.toml), before Django reads its settings.

The tests hold a database connection in the main thread for a whole test while they drive
the application from other threads (websocket consumers, the task worker, a server in a
thread), so they need more PostgreSQL connections per process than the product's default
of two (settings.py). The benchmarks (bench/run.py) run with the default.
"""

import os

os.environ.setdefault("CIVICDESK_DB_POOL_SIZE", "10")
