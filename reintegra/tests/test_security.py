from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from reintegra.keys import new_index_key, new_master_key

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_every_page(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_api_answers_are_not_cached(client):
    assert client.get("/api/v1/me")["Cache-Control"] == "no-store"


def test_templates_carry_no_inline_script_or_style():
    templates = list((ROOT / "templates").rglob("*.html")) + list(
        ROOT.glob("*/templates/**/*.html")
    )
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and "<script " not in text.replace('<script src="', ""), (
            template
        )
        assert " style=" not in text, template
        assert " onclick=" not in text and " onchange=" not in text, template


def test_404_reveals_nothing(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/place/secret-marker/")
    assert response.status_code == 404
    assert b"secret-marker" not in response.content
    assert b"Not found" in response.content


def test_500_page_reveals_nothing(rf):
    from reintegra.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Traceback" not in response.content


def test_csrf_failure_page(actors, login):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, actors.case_manager, actors.home_org)
    response = client.post(reverse("accounts:language"), {"language": "ro"})
    assert response.status_code == 403
    assert b"Form expired" in response.content


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REINTEGRA_", "DJANGO_"))}
    env.update(
        {
            "REINTEGRA_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check",
            "REINTEGRA_MASTER_KEY": new_master_key("prod1"),
            "REINTEGRA_INDEX_KEY": new_index_key(),
            "REINTEGRA_AUDIT_KEY": new_index_key(),
            "ALLOWED_HOSTS": "reintegra.example.org",
            "REINTEGRA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    return env


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("REINTEGRA_MASTER_KEY", "REINTEGRA_MASTER_KEY"),
        ("REINTEGRA_INDEX_KEY", "REINTEGRA_INDEX_KEY"),
        ("REINTEGRA_AUDIT_KEY", "REINTEGRA_AUDIT_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secrets(tmp_path, missing, message):
    env = _production_env(tmp_path)
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
