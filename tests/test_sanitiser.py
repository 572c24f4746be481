import pytest

from portal.html import sanitize_html
from tests.factories import make_article

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<body onload="alert(1)">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<a href="  javascript:alert(1)">bấm</a>',
    '<a href="jav&#x09;ascript:alert(1)">bấm</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">bấm</a>',
    '<a href="vbscript:msgbox(1)">bấm</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/page"></iframe>',
    '<iframe src="http://www.youtube.com/embed/abc"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example/"><input name="q"><button>Gửi</button></form>',
    '<p style="background:url(javascript:alert(1))">đoạn</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<div onmouseover="alert(1)">di chuột</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<img src="javascript:alert(1)">',
    '<p><a href="#" onclick="alert(1)">bấm</a></p>',
    '"><script>alert(1)</script>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<details open ontoggle="alert(1)">x</details>',
]

FORBIDDEN = (
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "javascript:",
    "vbscript:",
    "data:text",
    "<object",
    "<embed",
    "<form",
    "<style",
    "<link",
    "<meta",
    "<base",
    "srcdoc",
    "<svg",
    "evil.example",
    "style=",
)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    """No script, event handler, dangerous URL or foreign embed survives sanitising."""
    cleaned = sanitize_html(payload).lower()
    for needle in FORBIDDEN:
        assert needle not in cleaned, f"{needle!r} survived in {cleaned!r}"


def test_iframe_from_unknown_host_is_removed_entirely():
    """An iframe from a host not on the list disappears, leaving no empty frame."""
    assert sanitize_html('<p>a</p><iframe src="https://evil.example/x"></iframe>') == "<p>a</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Đoạn văn <strong>đậm</strong>, <em>nghiêng</em>.</p>",
        "<h2>Tiêu đề 2</h2><h3>Tiêu đề 3</h3>",
        '<figure class="image"><img src="https://kimson.example/anh.jpg" alt="Hội nghị"><figcaption>Các đại biểu dự hội nghị.</figcaption></figure>',
        '<figure class="table"><table><thead><tr><th>Xã</th><th>Dân quân</th></tr></thead><tbody><tr><td>Chất Bình</td><td>82</td></tr></tbody></table></figure>',
        "<ul><li>Xuân Chính</li><li>Hồi Ninh</li></ul><ol><li>một</li><li>hai</li></ol>",
        '<p><a href="https://ninhbinh.gov.vn/" rel="noopener noreferrer">Cổng tỉnh</a></p>',
        '<p><a href="mailto:ubnd@kimson.vn" rel="noopener noreferrer">thư</a></p>',
        "<blockquote><p>Trích dẫn.</p></blockquote>",
        '<figure class="image image-style-align-left"><img src="https://kimson.example/a.jpg" alt=""></figure>',
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" allowfullscreen=""></iframe>',
    ],
)
def test_editor_formatting_is_kept(html):
    """Paragraphs, headings, figures with captions, tables, lists, links and YouTube embeds stay as written."""
    assert sanitize_html(html) == html


def test_links_get_noopener():
    """Links keep their address and gain rel="noopener noreferrer"."""
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="https://ninhbinh.gov.vn/">Cổng tỉnh</a>')


def test_script_text_is_removed_but_plain_text_stays():
    """Text around a removed script is kept; the script's code is not shown."""
    assert sanitize_html("<p>Trước<script>alert('x')</script> sau</p>") == "<p>Trước sau</p>"


@pytest.mark.django_db
def test_body_is_sanitised_when_the_article_is_saved(client):
    """Saving an article cleans its body, so the reader's page never carries the script."""
    article = make_article(
        body='<p onclick="alert(1)">Nội dung</p><script>alert(2)</script><a href="javascript:x()">x</a>'
    )
    article.refresh_from_db()
    assert article.body == '<p>Nội dung</p><a rel="noopener noreferrer">x</a>'
    page = client.get(article.get_absolute_url()).content.decode()
    assert "alert(" not in page
    assert "<p>Nội dung</p>" in page


@pytest.mark.django_db
def test_sapo_and_title_are_escaped_on_the_page(client):
    """Title and sapo are plain text: markup in them is shown as text, not run."""
    article = make_article(title="<script>alert(1)</script> Tin", sapo="<b onmouseover=alert(1)>sapo</b>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tin" in page
    assert "<b onmouseover" not in page
