from __future__ import annotations

import io

import pytest
from django.utils import translation

from lib.pdf import render_pdf


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("language", ["en", "ro", "ru", "ka", "sq"])
def test_pdf_in_the_requested_language_keeps_every_script(language):
    sample = "Țară Ольга ნინო Shqipëri"
    pdf = render_pdf("print/tests/sample.html", {"text": sample}, language=language)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert sample in text
    with translation.override(language):
        assert translation.gettext("Sign in") in text


def test_pdf_never_fetches_remote_resources(monkeypatch):
    from urllib import request

    def no_network(*args, **kwargs):
        raise AssertionError("printing tried to reach the network")

    monkeypatch.setattr(request.OpenerDirector, "open", no_network)
    pdf = render_pdf("print/tests/remote.html", {}, language="en")
    assert pdf.startswith(b"%PDF")
