"""The plan tests' fixtures, reused: cases with consent, the Georgian NGO under the fund's
pack and plans built through the services."""

from __future__ import annotations

from plans.tests import conftest as plan_fixtures

_attachments_in_tmp = plan_fixtures._attachments_in_tmp
acting = plan_fixtures.acting
pdf_upload = plan_fixtures.pdf_upload
ge_ngo = plan_fixtures.ge_ngo
open_case = plan_fixtures.open_case
ge_case = plan_fixtures.ge_case
build_plan = plan_fixtures.build_plan
