"""Production settings: `check --deploy` clean, security headers, no inline script."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).parent.parent


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "ANCRAGE_HTTPS": "1",
        "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-variety-0123456789abcdef",
        "ALLOWED_HOSTS": "ancrage.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ancrage.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_security_headers_and_a_strict_csp(client):
    response = client.get(reverse("admin:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_nor_remote_asset():
    for template in (ROOT / "ancrage" / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"(src|href)=\"https?://", text), template


@pytest.mark.django_db
def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/ancrage/ancrage.css")
    assert response.status_code == 200


def test_passwords_are_hashed_with_django_defaults():
    from django.conf import global_settings

    from ancrage import settings as project_settings

    hashers = getattr(project_settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
