"""Addresses of objects named by a slug, and of pages with no argument, without `reverse()` for each.

A list page links 12 to 20 articles and an article page a dozen more; `reverse()` walks the URL
resolver for each. The address of a slug pattern is reversed once per URL configuration and script
prefix with a stand-in slug, and the stand-in replaced: the same string `reverse()` gives, since
Django's `slug` converter only takes characters that need no quoting. Anything else goes through
`reverse()`, which raises as it always did. An address without arguments (the home page, the
feed) is the same for every request of a URL configuration and script prefix: reversed once.
"""

import re
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter

STAND_IN = "zq0slug0qz"
_PLAIN = re.compile(SlugConverter.regex)


@lru_cache(maxsize=256)
def _pattern(name, urlconf, prefix):
    url = reverse(name, args=[STAND_IN], urlconf=urlconf)
    return url if url.count(STAND_IN) == 1 else None


def slug_url(name, slug):
    """reverse(name, args=[slug]) for a view whose only argument is a `<slug:…>`."""
    return slug_urls(name)(slug)


def slug_urls(name):
    """`slug_url(name, …)` for many slugs of one request: the pattern looked up once."""
    pattern = _pattern(name, get_urlconf(), get_script_prefix())

    def url(slug):
        if pattern is not None and _PLAIN.fullmatch(slug):
            return pattern.replace(STAND_IN, slug)
        return reverse(name, args=[slug])

    return url


@lru_cache(maxsize=256)
def _plain(name, urlconf, prefix):
    return reverse(name, urlconf=urlconf)


def plain_url(name):
    """reverse(name) for a view that takes no argument."""
    return _plain(name, get_urlconf(), get_script_prefix())
