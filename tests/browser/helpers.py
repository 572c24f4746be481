"""Small helpers shared by the browser tests."""

import os
import re

import pytest


def missing(reason):
    """Skip with the reason; under CI a missing tool is a failure, never a silent skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def number(text):
    """The first number in a Vietnamese text: "1.234 lượt xem" -> 1234."""
    match = re.search(r"\d[\d.]*", text)
    assert match, f"no number in {text!r}"
    return int(match.group().replace(".", ""))


def tab_to(page, text, limit=80):
    """Press Tab until the focused element's label or text contains `text`; fails past `limit` presses."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement, label = el.labels && el.labels[0];"
            " return ((label && label.innerText) || el.innerText || el.getAttribute('aria-label') || el.value || '').trim(); }"
        )
        visited.append(focused)
        if text in focused:
            return
    raise AssertionError(f"Tab never reached {text!r}; focus went through {visited}")
