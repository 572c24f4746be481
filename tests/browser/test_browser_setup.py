"""The browser tests' set-up: a missing tool skips with its reason, but fails under CI."""

import pytest

from tests.browser.helpers import missing


def test_missing_tool_skips_with_the_reason_outside_ci(monkeypatch):
    """Without CI=true a missing Chromium is a skip that says what to install."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium at /usr/bin/chromium"):
        missing("no Chromium at /usr/bin/chromium")


def test_missing_tool_fails_under_ci(monkeypatch):
    """With CI=true the same missing tool fails the test instead of skipping it."""
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="axe-core is not installed"):
        missing("axe-core is not installed")
