"""Allow-list sanitising of editor HTML, applied on save.

Whatever an editor pastes, only these tags and attributes reach a reader:
no scripts, no event handlers, no `javascript:` links, and iframes only from
the video and map hosts below.
"""

import re
from html import unescape
from urllib.parse import unquote, urlparse

import nh3
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from PIL import Image

from .images import make_renditions, rendition_name, rendition_sizes

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "figure",
    "figcaption",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "colgroup",
    "col",
    "span",
    "div",
    "iframe",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {
    "figure": {
        "image",
        "table",
        "image-style-side",
        "image_resized",
        # What the editor's image alignment buttons write (CKEDITOR_5_CONFIGS image toolbar).
        "image-style-align-left",
        "image-style-align-right",
        "image-style-block-align-left",
        "image-style-block-align-right",
    }
}
IFRAME_HOSTS = {"www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "www.google.com"}

_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_IMG = re.compile(r"<img\s[^>]*>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _attribute_filter(tag, attribute, value):
    if tag == "iframe" and attribute == "src":
        url = urlparse(value)
        if url.scheme != "https" or url.hostname not in IFRAME_HOSTS:
            return None
    return value


def _rendition_img(match):
    """Point an uploaded image at its renditions, with size and lazy loading."""
    tag = match.group(0)
    attrs = dict(_ATTR.findall(tag))
    src = attrs.get("src", "")
    media = settings.MEDIA_URL
    if not src.startswith(media) or src.startswith(media + "renditions/"):
        return tag
    # The storage URL-encodes names ("ảnh đẹp.jpg" -> "%E1%BA%A3nh..."); the file has the plain name.
    name = unquote(unescape(src[len(media) :]))
    try:
        if not default_storage.exists(name):
            return tag
        width, height = make_renditions(name)
    except (OSError, ValueError, SuspiciousFileOperation, Image.DecompressionBombError):
        # Not an image we can resize (or a path outside the media folder): leave the tag alone.
        return tag
    sizes = rendition_sizes(width, height)
    largest_w, largest_h = sizes[-1]
    srcset = ", ".join(f"{default_storage.url(rendition_name(name, w))} {w}w" for w, _ in sizes)
    middle_w = sizes[min(1, len(sizes) - 1)][0]
    return (
        f'<img src="{default_storage.url(rendition_name(name, middle_w))}" srcset="{srcset}" '
        f'sizes="(max-width: 800px) 100vw, 760px" width="{largest_w}" height="{largest_h}" '
        f'alt="{attrs.get("alt", "")}" loading="lazy">'
    )


def sanitize_html(html):
    """Clean editor HTML against the allow-list; safe to call repeatedly."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "tel"},
        clean_content_tags={"script", "style"},
    )
    return _EMPTY_IFRAME.sub("", cleaned)


def sanitize_body(html):
    """Sanitise an article body and serve its uploaded images as renditions."""
    return _IMG.sub(_rendition_img, sanitize_html(html))
