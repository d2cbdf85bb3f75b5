"""The case-file fixtures (registered cases, uploads) serve the consent tests too."""

from cases.tests.conftest import (
    _attachments_in_tmp,
    acting,
    case,
    managed_case,
    pdf_upload,
    register,
)

__all__ = ["_attachments_in_tmp", "acting", "case", "managed_case", "pdf_upload", "register"]
