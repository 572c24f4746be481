import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news.models import Article
from portal.images import validate_image
from tests.factories import image_upload, make_article, make_category, make_staff

NOT_AN_IMAGE = "Tệp tải lên không phải là ảnh hợp lệ"


def stored_size(name):
    with default_storage.open(name) as fh, Image.open(fh) as image:
        return image.size


def test_real_image_is_accepted():
    """A real JPEG, PNG or WebP passes the upload check."""
    for fmt in ("JPEG", "PNG", "WEBP"):
        assert validate_image(image_upload(f"anh.{fmt.lower()}", fmt=fmt)) == fmt


def test_text_file_renamed_jpg_is_rejected_in_vietnamese():
    """A text file named .jpg is refused with a Vietnamese message: the bytes decide, not the name."""
    fake = SimpleUploadedFile("anh.jpg", b"day khong phai la anh", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validate_image(fake)
    assert NOT_AN_IMAGE in error.value.messages[0]


def test_image_over_10_mb_is_rejected():
    """A file over 10 MB is refused before it is even opened."""
    big = SimpleUploadedFile("lon.jpg", b"\xff" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validate_image(big)
    assert error.value.messages == ["Ảnh quá lớn: tối đa 10 MB."]


def test_image_over_8000_px_is_rejected():
    """An image wider or taller than 8000 px is refused."""
    for size in ((8001, 10), (10, 8001)):
        with pytest.raises(ValidationError) as error:
            validate_image(image_upload("rong.png", size=size, fmt="PNG"))
        assert error.value.messages == ["Ảnh quá lớn: mỗi chiều tối đa 8000 điểm ảnh."]


def test_image_of_exactly_8000_px_is_accepted():
    """The limit is inclusive: 8000 px a side is allowed."""
    assert validate_image(image_upload("vua.png", size=(8000, 10), fmt="PNG")) == "PNG"


@pytest.mark.django_db
def test_cover_gets_300_600_and_1200_renditions():
    """Saving a cover writes JPEG renditions 300, 600 and 1200 px wide, keeping the proportions."""
    article = make_article(cover_image=image_upload(size=(1600, 1000)), cover_caption="Quang cảnh hội nghị.")
    stem = article.cover_image.name.rsplit(".", 1)[0]
    assert [stored_size(f"renditions/{stem}-{w}w.jpg") for w in (300, 600, 1200)] == [
        (300, 188),
        (600, 375),
        (1200, 750),
    ]


@pytest.mark.django_db
def test_small_cover_is_never_upscaled():
    """A cover narrower than 600 px gets renditions no wider than itself."""
    article = make_article(cover_image=image_upload(size=(400, 300)))
    stem = article.cover_image.name.rsplit(".", 1)[0]
    assert stored_size(f"renditions/{stem}-300w.jpg") == (300, 225)
    assert stored_size(f"renditions/{stem}-400w.jpg") == (400, 300)


@pytest.mark.django_db
def test_article_page_serves_renditions_never_the_original(client):
    """The cover <img> has srcset, width, height, alt and lazy loading, and its src is a rendition."""
    article = make_article(cover_image=image_upload(size=(1600, 1000)), cover_caption="Quang cảnh hội nghị.")
    page = client.get(article.get_absolute_url()).content.decode()
    tag = re.search(r'<figure class="article__cover">\s*(<img [^>]+>)', page).group(1)
    original = article.cover_image.url
    src = re.search(r' src="([^"]+)"', tag).group(1)
    assert src != original and "/renditions/" in src
    assert original not in page
    srcset = re.search(r' srcset="([^"]+)"', tag).group(1)
    assert [part.split()[1] for part in srcset.split(", ")] == ["300w", "600w", "1200w"]
    assert ' width="600" height="375"' in tag
    assert ' alt="Quang cảnh hội nghị."' in tag
    assert ' loading="lazy"' in tag
    assert "<figcaption>Quang cảnh hội nghị.</figcaption>" in page


@pytest.mark.django_db
def test_admin_refuses_a_fake_cover_with_a_vietnamese_message(admin_client):
    """Uploading a text file named .jpg as a cover in admin shows the Vietnamese error, nothing is saved."""
    category = make_category()
    fake = SimpleUploadedFile("bia.jpg", b"not an image at all", content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "Bài có ảnh giả",
            "category": category.pk,
            "sapo": "Tóm tắt",
            "body": "<p>Nội dung</p>",
            "cover_image": fake,
            "status": "draft",
            "publish_at_0": "2024-11-21",
            "publish_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "Hãy tải lên một hình ảnh hợp lệ" in response.content.decode()
    assert not Article.objects.exists()


# CKEditor 5 upload endpoint


@pytest.fixture
def editor(db):
    return make_staff("bientap", group="Biên tập viên")


def test_editor_uploads_a_real_image_and_gets_its_url(client, editor):
    """Staff who may edit articles upload an image from CKEditor and get its URL back as JSON."""
    client.force_login(editor)
    response = client.post(reverse("portal:editor_upload"), {"upload": image_upload("ảnh hội nghị.png", fmt="PNG")})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/kim-son/uploads/") and url.endswith("/anh-hoi-nghi.png")
    name = url.removeprefix("/media/")
    assert default_storage.exists(name)
    assert default_storage.exists(f"renditions/{name.rsplit('.', 1)[0]}-600w.jpg")


def test_upload_extension_follows_the_content(client, editor):
    """An image uploaded under a page's name is stored with its real image extension."""
    client.force_login(editor)
    response = client.post(reverse("portal:editor_upload"), {"upload": image_upload("trang.html", fmt="GIF")})
    assert response.json()["url"].endswith("/trang.gif")


def test_editor_upload_of_a_fake_image_is_a_400_with_a_vietnamese_error(client, editor):
    """A text file named .jpg gets 400 and CKEditor's JSON error in Vietnamese; nothing is stored."""
    client.force_login(editor)
    fake = SimpleUploadedFile("anh.jpg", b"<html>khong phai anh</html>", content_type="image/jpeg")
    response = client.post(reverse("portal:editor_upload"), {"upload": fake})
    assert response.status_code == 400
    assert NOT_AN_IMAGE in response.json()["error"]["message"]
    assert not default_storage.exists("kim-son/uploads")


def test_editor_upload_without_a_file_is_a_400(client, editor):
    """A POST without a file gets a Vietnamese JSON error, not a 500."""
    client.force_login(editor)
    response = client.post(reverse("portal:editor_upload"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Chưa chọn tệp ảnh."


@pytest.mark.django_db
def test_anonymous_and_unauthorised_users_cannot_upload(client, django_user_model):
    """Visitors and staff without the right to edit articles get 403."""
    url = reverse("portal:editor_upload")
    assert client.post(url, {"upload": image_upload()}).status_code == 403
    client.force_login(django_user_model.objects.create_user("khach", password="x", is_staff=True))
    assert client.post(url, {"upload": image_upload()}).status_code == 403
    assert not default_storage.exists("uploads")


def test_body_images_from_uploads_are_rewritten_to_renditions(client, editor):
    """An uploaded image placed in the body is served as renditions with srcset, size, alt and lazy loading."""
    client.force_login(editor)
    url = client.post(reverse("portal:editor_upload"), {"upload": image_upload("ảnh đẹp.jpg")}).json()["url"]
    article = make_article(
        body=f'<figure class="image"><img src="{url}" alt="Đại biểu dự hội nghị"><figcaption>Đại biểu.</figcaption></figure>'
    )
    tag = re.search(r"<img [^>]+>", article.body).group(0)
    assert f'src="{url}"' not in tag and "/media/renditions/kim-son/uploads/" in tag
    assert "srcset=" in tag and "1200w" in tag
    assert 'width="1200" height="750"' in tag
    assert 'alt="Đại biểu dự hội nghị"' in tag and 'loading="lazy"' in tag
    assert "<figcaption>Đại biểu.</figcaption>" in article.body
    article.save()
    assert article.body.count("<img ") == 1 and "srcset=" in article.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "src",
    ["/media/../../etc/passwd", "/media/khong-co.jpg", "/media/tai-lieu.txt", "https://ninhbinh.gov.vn/anh.jpg"],
)
def test_body_image_that_cannot_be_resized_is_left_alone(src):
    """A body image outside the media folder, missing or not an image is kept as written; saving never fails."""
    default_storage.save("tai-lieu.txt", SimpleUploadedFile("tai-lieu.txt", b"van ban"))
    article = make_article(body=f'<p><img src="{src}" alt="Ảnh"></p>')
    assert f'<img src="{src}" alt="Ảnh">' in article.body
