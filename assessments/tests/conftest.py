from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assessments import loader, selectors
from assessments.definitions import FormDefinition
from assessments.loader import FormRegistry

TEST_FORMS = Path(__file__).resolve().parent / "forms"


@pytest.fixture
def test_forms() -> Iterator[FormRegistry]:
    """The registry holds the test forms (sample v1 and v2) instead of the shipped ones."""
    registry = selectors.load_forms(TEST_FORMS)
    yield registry
    selectors.load_forms(loader.FORMS_DIRECTORY)


@pytest.fixture
def sample(test_forms: FormRegistry) -> FormDefinition:
    definition = test_forms.get("sample", 1)
    assert definition is not None
    return definition
