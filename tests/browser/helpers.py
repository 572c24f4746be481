"""Small helpers shared by the browser tests."""

import re


def number(text):
    """The first number in a Vietnamese text: "1.234 lượt xem" -> 1234."""
    match = re.search(r"\d[\d.]*", text)
    assert match, f"no number in {text!r}"
    return int(match.group().replace(".", ""))
