from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from benchmark.targets import TARGETS


@pytest.mark.django_db
def test_bench_measures_every_line(actors, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    # Production semantics: plain HTTP would be redirected; the bench sends HTTPS requests.
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    out = StringIO()
    report = tmp_path / "bench.json"
    call_command("bench", cases=60, requests=2, json_path=str(report), stdout=out)
    results = json.loads(report.read_text())
    names = {r["name"] for r in results}
    # Every registered line was measured: the synthetic data has plans, assessments and
    # referrals received by the organisation.
    assert names == {target.name for target in TARGETS}, out.getvalue()
    # Every page answered: a broken page would show as an HTTP error, not a time.
    assert all(r["status"] == 200 for r in results), [r for r in results if r["status"] != 200]
    assert all(r["queries"] > 0 and r["p95_ms"] > 0 for r in results)
    assert "lines within their targets" in out.getvalue()
    assert "HTTPS redirect on" in out.getvalue()


@pytest.mark.django_db
def test_one_more_target_is_one_entry(actors, tmp_path, settings, monkeypatch):
    from benchmark import targets
    from benchmark.management.commands import bench

    settings.MEDIA_ROOT = tmp_path
    extra = targets.Target("policy rules", "supervisor", "/policies/", p95_ms=2000)
    monkeypatch.setattr(bench, "TARGETS", [extra])
    report = tmp_path / "bench.json"
    call_command("bench", cases=5, requests=1, json_path=str(report), stdout=StringIO())
    results = json.loads(report.read_text())
    assert [(r["name"], r["path"], r["target_ms"]) for r in results] == [
        ("policy rules", "/policies/", 2000)
    ]
