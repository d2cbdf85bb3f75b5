"""HTML templates to PDF with WeasyPrint (Debian's pango; DejaVu fonts cover Latin,
Cyrillic and Georgian).

Documents print in the language given — the person's, not the user's — so a Romanian social
worker can print a plan in Russian for the person who reads Russian.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

PRINT_STYLESHEET = "css/print.css"


def render_html(template_name: str, context: dict[str, Any], *, language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(template_name, {**context, "document_language": language})


def render_pdf(template_name: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render ``template_name`` in ``language`` and return the PDF bytes.

    No network access: WeasyPrint may fetch only files under the static folders (the print
    stylesheet); any other URL in a template is refused.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    local_only = URLFetcher(allowed_protocols=["file", "data"])
    html = render_html(template_name, context, language=language)
    stylesheet_path = finders.find(PRINT_STYLESHEET)
    stylesheets = (
        [CSS(filename=str(stylesheet_path), url_fetcher=local_only)] if stylesheet_path else []
    )
    return bytes(
        HTML(string=html, url_fetcher=local_only, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=stylesheets
        )
    )
