from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_measures_every_line(actors, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    report = tmp_path / "bench.json"
    call_command("bench", cases=30, requests=2, json_path=str(report), stdout=out)
    results = json.loads(report.read_text())
    names = {r["name"] for r in results}
    assert {"case page", "name search", "my work", "API: case"} <= names
    # Every page answered: a broken page would show as an HTTP error, not a time.
    assert all(r["status"] == 200 for r in results), [r for r in results if r["status"] != 200]
    assert all(r["queries"] > 0 and r["p95_ms"] > 0 for r in results)
    assert "lines within their targets" in out.getvalue()
