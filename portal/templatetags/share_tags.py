"""Tags for being found and shared: canonical links, absolute URLs, share buttons, Open Graph images."""

import base64
import json
from urllib.parse import quote, urlencode

from django import template
from django.utils.html import format_html

from portal.images import renditions

register = template.Library()


def _page_number(request):
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return number if number > 1 else 1


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without tracking or filter parameters; page 2+ keeps ?page=N."""
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    number = _page_number(request)
    return f"{url}?page={number}" if number > 1 else url


@register.simple_tag(takes_context=True)
def canonical_link(context):
    url = canonical_url(context)
    return format_html('<link rel="canonical" href="{}">', url) if url else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag(takes_context=True)
def share_image(context, image, width, height):
    """(absolute URL, width, height) of the largest rendition of an image, for og:image; None without one."""
    if not image or not width or not height:
        return None
    url, w, h = renditions(image.name, width, height)[-1]
    return absolute_url(context, url), w, h


def facebook_share_url(url):
    return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})


def zalo_share_url(url):
    """Zalo's share page (the one its button opens), reached by a plain link: no Zalo SDK script."""
    payload = base64.b64encode(json.dumps({"url": url}, separators=(",", ":")).encode()).decode()
    return "https://button-share.zalo.me/share_external?" + urlencode(
        {"layout": "1", "color": "blue", "customize": "false", "d": payload, "shareType": "0", "url": url},
        quote_via=quote,
    )


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_tools(context, url=None):
    """Print, Facebook, Zalo and copy-link buttons for this page; none loads a third-party script."""
    url = url or canonical_url(context)
    return {"url": url, "facebook_url": facebook_share_url(url), "zalo_url": zalo_share_url(url)}
