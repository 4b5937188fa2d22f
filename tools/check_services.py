"""Exit 0 if the PostgreSQL and Redis servers named on the command line answer, else 1."""

import sys

import psycopg
import redis


def main() -> int:
    pg_url, redis_url = sys.argv[1], sys.argv[2]
    try:
        psycopg.connect(pg_url.replace("/civicdesk", "/postgres"), connect_timeout=3).close()
    except Exception as e:  # any failure means "not reachable"
        print(f"PostgreSQL not reachable at {pg_url}: {e}", file=sys.stderr)
        return 1
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as e:
        print(f"Redis not reachable at {redis_url}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
