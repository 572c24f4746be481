"""Tags for being found and shared: canonical links, absolute URLs, share buttons, Open Graph images."""

import base64
import json
from urllib.parse import quote, urlencode

from django import template
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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
    """This page's address without tracking or filter parameters; page 2+ keeps ?page=N. Worked out
    once per request (the canonical link, the Open Graph tags and the share buttons all show it)."""
    request = context.get("request")
    if request is None:
        return ""
    url = getattr(request, "canonical_url", None)
    if url is None:
        url = request.build_absolute_uri(request.path)
        number = _page_number(request)
        url = request.canonical_url = f"{url}?page={number}" if number > 1 else url
    return url


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


@register.simple_tag(takes_context=True)
def share_tools(context, url=None):
    """Print, Facebook, Zalo and copy-link buttons for this page; none loads a third-party script.

    Written in Python (as an include it was the costliest tag of an uncached article);
    tests/test_page_parts.py holds the former template and compares."""
    url = url or canonical_url(context)
    address, facebook, zalo = (
        conditional_escape(value) for value in (url, facebook_share_url(url), zalo_share_url(url))
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        '<div class="share" aria-label="Chia sẻ và in bài" role="group">\n'
        '  <button class="btn btn--secondary share__print js-only" type="button" data-print>In bài</button>\n'
        '  <button class="btn btn--secondary share__save js-only" type="button" data-print'
        " title=\"Chọn 'Lưu dưới dạng PDF' trong hộp thoại in\""
        " aria-description=\"Chọn 'Lưu dưới dạng PDF' trong hộp thoại in\">Lưu bài</button>\n"
        f'  <a class="btn share__facebook" href="{facebook}" target="_blank" rel="noopener noreferrer">Facebook'
        '<span class="visually-hidden"> (chia sẻ, mở cửa sổ mới)</span></a>\n'
        f'  <a class="btn share__zalo" href="{zalo}" target="_blank" rel="noopener noreferrer">Zalo'
        '<span class="visually-hidden"> (chia sẻ, mở cửa sổ mới)</span></a>\n'
        f'  <button class="btn btn--secondary share__copy js-only" type="button" data-copy-url="{address}"'
        ' aria-describedby="share-status">Sao chép liên kết</button>\n'
        '  <span class="share__status" id="share-status" role="status" aria-live="polite"></span>\n'
        '  <p class="share__address no-js-only">\n'
        '    <label for="share-address">Liên kết bài viết (chọn để sao chép; nhấn Ctrl+P để in bài):</label>\n'
        f'    <input id="share-address" type="text" value="{address}" readonly>\n'
        "  </p>\n"
        "</div>\n"
        f'<p class="print-url">Địa chỉ bài viết: {address}</p>\n'
        f'<script src="{conditional_escape(static("js/share.js"))}" defer></script>\n'
    )
