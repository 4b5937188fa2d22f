"""Settings from the environment: production checks, Redis cache, health endpoints."""

import os
import subprocess
import sys

import pytest

CHECK = [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civicdesk.settings'; django.setup()"]


def _run(env):
    full = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "CIVICDESK_ENV"}}
    full.update(env)
    return subprocess.run(CHECK, env=full, capture_output=True, text=True, timeout=60)


def test_production_refuses_the_demo_secret():
    result = _run({"CIVICDESK_ENV": "production"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _run({"CIVICDESK_ENV": "production", "SECRET_KEY": "x" * 50, "DEBUG": "1"})
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_production_starts_with_its_own_secret():
    result = _run({"CIVICDESK_ENV": "production", "SECRET_KEY": "k" * 50})
    assert result.returncode == 0, result.stderr


def test_production_collectstatic_builds_the_manifest(tmp_path):
    """A deploy runs collectstatic with the hashed, compressed storage, which follows every
    reference inside CSS and JS files: a missing file (a source map, a font) stops it."""
    cmd = [sys.executable, "-m", "civicdesk.manage", "collectstatic", "--no-input", "-v0"]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update({"CIVICDESK_ENV": "production", "SECRET_KEY": "k" * 50, "CIVICDESK_STATIC_ROOT": str(tmp_path)})
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest and "vendor/uswds/css/styles.css" in manifest


def test_redis_url_selects_the_redis_cache(redis_url):
    """The cache really writes to Redis (the degrading wrapper of Django's RedisCache)."""
    result = subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civicdesk.settings'; django.setup();"
         "from django.core.cache import cache; cache.set('civicdesk-test', 'hello', 30); from django.core.cache import caches; print(type(caches['default']).__name__)"],
        env={**os.environ, "REDIS_URL": redis_url}, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "SafeRedisCache", result.stderr
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = client.keys("civicdesk:*civicdesk-test")
    assert keys and b"hello" in client.get(keys[0])
    client.delete(*keys)


@pytest.mark.django_db
def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok" and ready["database"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    response = client.get("/services/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY" and response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_sign_in_and_forms_are_rate_limited_per_client(client, settings):
    settings.CIVICDESK_RATE_SIGNIN_PER_MINUTE = 2
    codes = [client.post("/console/login/", {"username": "x", "password": "y"}).status_code for _ in range(3)]
    assert codes[-1] == 429
    other = client.post("/console/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200  # another client is not affected
    codes = [client.post("/account/signin/", {"email": "a@example.org"}).status_code for _ in range(3)]
    assert codes[-1] == 429 and "Too many attempts" in client.post("/account/signin/", {"email": "a@example.org"}).content.decode()


@pytest.mark.django_db
def test_a_nul_character_is_refused_plainly_not_stored_or_crashed(client):
    from tests.factories import ServiceFactory

    ServiceFactory(service_code="pothole")
    response = client.get("/services/", {"q": "pot\x00hole"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    response = client.post("/services/pothole/report/", {"description": "hole\x00", "submission_key": "k" * 20})
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    es = client.get("/services/", {"q": "\x00"}, headers={"accept-language": "es"})
    assert "carácter NUL" in es.content.decode()
    assert client.get("/services/", {"q": "pothole"}).status_code == 200
