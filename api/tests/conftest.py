"""The API-wide tests reuse the case, plan and service builders of the apps' own suites."""

from plans.tests.conftest import acting, build_plan, open_case, pdf_upload  # noqa: F401
from services.tests.conftest import make_service  # noqa: F401  (pytest fixture)
