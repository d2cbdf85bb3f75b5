"""The complaints tests reuse the monitoring tests' case builder."""

from monitoring.tests.conftest import acting, make_case

__all__ = ["acting", "make_case"]
