"""The newsroom workflow in the admin: buttons per role and state, enforced on the server, recorded,
confirmed in words, mailed to whoever waits, counted on the admin index."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from feedback.models import Feedback
from news import workflow
from news.models import Article, ArticleTransition
from portal.groups import APPROVERS, EDITORS, RECEPTION
from tests.factories import make_article, make_category, make_staff

pytestmark = pytest.mark.django_db

DRAFT, RETURNED, PENDING, PUBLISHED = (
    Article.Status.DRAFT,
    Article.Status.RETURNED,
    Article.Status.PENDING,
    Article.Status.PUBLISHED,
)
ADD_URL = reverse("admin:news_article_add")
LIST_URL = reverse("admin:news_article_changelist")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def content(article, transition, **extra):
    """The article's own content as its form posts it back, with a workflow button pressed."""
    return {
        "_transition": transition,
        "title": article.title,
        "slug": article.slug,
        "category": article.category_id,
        "sapo": article.sapo,
        "body": article.body,
        "cover_caption": "",
        "author": article.author,
        "source": "",
        **extra,
    }


@pytest.fixture
def editor(client):
    user = make_staff("bientap", group=EDITORS)
    user.email = "bientap@kimson.local"
    user.save()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def approver(client):
    user = make_staff("duyetbai", group=APPROVERS)
    user.email = "duyetbai@kimson.local"
    user.save()
    client.force_login(user)
    client.user = user
    return client


def written_by(username, title="Bài của biên tập", status=PENDING, **fields):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    return make_article(title, category=make_category(), status=status, created_by=user, **fields)


def buttons(page):
    return re.findall(
        r'<button type="submit" class="[^"]*" name="_transition" value="(\w+)"[^>]*>([^<]+)</button>', page
    )


# The whole table: (role, state) -> the buttons offered, in order.
TABLE = {
    (workflow.EDITOR, workflow.NEW): ["save_draft", "submit"],
    (workflow.EDITOR, DRAFT): ["save_draft", "submit"],
    (workflow.EDITOR, RETURNED): ["save_draft", "submit"],
    (workflow.EDITOR, PENDING): [],
    (workflow.EDITOR, workflow.SCHEDULED): [],
    (workflow.EDITOR, PUBLISHED): [],
    (workflow.APPROVER, workflow.NEW): ["save_draft", "publish", "schedule"],
    (workflow.APPROVER, DRAFT): ["save_draft", "publish", "schedule"],
    (workflow.APPROVER, RETURNED): ["save_draft", "publish", "schedule"],
    (workflow.APPROVER, PENDING): ["save", "publish", "schedule", "return"],
    (workflow.APPROVER, workflow.SCHEDULED): ["save", "publish", "schedule", "unpublish"],
    (workflow.APPROVER, PUBLISHED): ["save", "unpublish"],
}


@pytest.mark.parametrize(("role", "state"), TABLE)
def test_transition_table(role, state, django_user_model):
    """Each role gets exactly these transitions from each state."""
    user = make_staff("nguoi", group=EDITORS if role == workflow.EDITOR else APPROVERS)
    assert [t.name for t in workflow.available(user, state)] == TABLE[role, state]


def test_reception_staff_have_no_article_transitions():
    """Feedback staff can do nothing with articles."""
    user = make_staff("tiepnhan", group=RECEPTION)
    assert all(workflow.available(user, state) == [] for state in workflow.STATE_LABELS)


def test_editor_sees_save_and_submit_and_no_status_dropdown(editor):
    """A new article offers an editor "Lưu nháp" and "Gửi duyệt"; no status or publish-time field."""
    make_category()
    page = editor.get(ADD_URL).content.decode()
    assert buttons(page) == [("save_draft", "Lưu nháp"), ("submit", "Gửi duyệt")]
    assert 'name="status"' not in page and 'name="publish_at_0"' not in page
    assert 'name="schedule_at_0"' not in page


def test_approver_sees_publish_schedule_return_with_the_time_beside_hen_gio(approver):
    """A pending article offers an approver Lưu thay đổi, Xuất bản, Hẹn giờ (time beside it), Trả lại."""
    article = make_article(status=PENDING)
    page = approver.get(change_url(article)).content.decode()
    assert [label for _, label in buttons(page)] == ["Lưu thay đổi", "Xuất bản", "Hẹn giờ", "Trả lại"]
    schedule = page.split('class="workflow-schedule"')[1].split("</span>")[0]
    assert 'name="schedule_at_0"' in schedule and 'value="schedule"' in schedule
    assert 'name="status"' not in page
    published = make_article("Bài đang đăng")
    assert [label for _, label in buttons(approver.get(change_url(published)).content.decode())] == [
        "Lưu thay đổi",
        "Gỡ bài",
    ]


def test_editor_sees_a_submitted_article_read_only_and_cannot_post_to_it(editor):
    """Once submitted, the article is the approvers': no buttons for the editor, and a POST is 403."""
    article = written_by("bientap", status=PENDING)
    page = editor.get(change_url(article)).content.decode()
    assert buttons(page) == [] and 'name="title"' not in page
    assert editor.post(change_url(article), content(article, "save_draft", title="Sửa")).status_code == 403
    assert Article.objects.get().title == "Bài của biên tập"


def test_editor_saves_a_draft_and_stays_on_it(editor):
    """ "Lưu nháp" keeps the draft, confirms it and stays on the form."""
    article = written_by("bientap", status=DRAFT)
    response = editor.post(change_url(article), content(article, "save_draft", title="Tiêu đề mới"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(article)
    assert "Đã lưu nháp “Tiêu đề mới”." in response.content.decode()
    assert Article.objects.get().status == DRAFT


def test_submit_tells_the_approvers_by_mail(editor, django_capture_on_commit_callbacks):
    """ "Gửi duyệt": the article waits, the step is logged, every approver with an address gets a mail."""
    for name in ("duyetbai", "tongbientap"):
        make_staff(name, group=APPROVERS).__class__.objects.filter(username=name).update(email=f"{name}@kimson.local")
    make_staff("khongthu", group=APPROVERS)  # no address: nobody to write to
    article = written_by("bientap", status=DRAFT)
    type(editor.user).objects.filter(pk=editor.user.pk).update(first_name="Hoa", last_name="Nguyễn Thị")
    with django_capture_on_commit_callbacks(execute=True):
        data = content(article, "submit", review_comment="Nhờ anh xem giúp.")
        response = editor.post(change_url(article), data, follow=True)
    page = response.content.decode()
    assert "Đã gửi duyệt “Bài của biên tập”. Đã báo qua thư cho 2 người." in page
    assert Article.objects.get().status == PENDING
    step = ArticleTransition.objects.get()
    assert (step.action, step.from_status, step.to_status, step.user) == ("submit", DRAFT, PENDING, editor.user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["duyetbai@kimson.local", "tongbientap@kimson.local"]
    assert message.subject == "[Chờ duyệt] Bài của biên tập"
    assert "Nhờ anh xem giúp." in message.body and change_url(article) in message.body
    assert message.body.startswith("Nguyễn Thị Hoa đã gửi duyệt")  # family name first


def test_return_needs_a_comment(approver):
    """ "Trả lại" without a comment is refused with a message; nothing changes."""
    make_staff("bientap", group=EDITORS)
    article = written_by("bientap")
    response = approver.post(change_url(article), content(article, "return"))
    assert response.status_code == 200
    assert "Hãy ghi góp ý để người viết biết cần sửa gì." in response.content.decode()
    assert Article.objects.get().status == PENDING and not ArticleTransition.objects.exists()


def test_return_with_a_comment_goes_back_to_the_writer_and_shows_in_history(
    approver, django_capture_on_commit_callbacks
):
    """A returned article: status "Bị trả lại", the comment logged, mailed and shown in its history."""
    writer = make_staff("bientap", group=EDITORS)
    writer.email = "bientap@kimson.local"
    writer.save()
    article = written_by("bientap")
    with django_capture_on_commit_callbacks(execute=True):
        data = content(article, "return", review_comment="Thiếu nguồn ảnh.")
        response = approver.post(change_url(article), data, follow=True)
    assert "Đã trả lại “Bài của biên tập” cho người viết, kèm góp ý." in response.content.decode()
    assert Article.objects.get().status == RETURNED
    step = ArticleTransition.objects.get()
    assert (step.action, step.comment, step.user) == ("return", "Thiếu nguồn ảnh.", approver.user)
    assert mail.outbox[0].to == ["bientap@kimson.local"] and "Thiếu nguồn ảnh." in mail.outbox[0].body
    history = approver.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    assert "Trả lại: Thiếu nguồn ảnh." in history and "duyetbai" in history
    # The writer sees why, on the article itself, and may fix and resubmit.
    approver.force_login(writer)
    page = approver.get(change_url(article)).content.decode()
    assert "Quá trình duyệt" in page and "Thiếu nguồn ảnh." in page
    assert [name for name, _ in buttons(page)] == ["save_draft", "submit"]


def test_schedule_confirms_the_time_in_words(approver, monkeypatch):
    """ "Hẹn giờ" publishes at the chosen time and says so: "Đã hẹn giờ đăng lúc 07:00 Thứ hai, 07/12/2026"."""
    make_staff("bientap", group=EDITORS)
    article = written_by("bientap")
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 12, 1, 7, 54, tzinfo=UTC))
    data = content(article, "schedule", schedule_at_0="07/12/2026", schedule_at_1="07:00")
    page = approver.post(change_url(article), data, follow=True).content.decode()
    assert "Đã hẹn giờ đăng lúc 07:00 Thứ hai, 07/12/2026 bài “Bài của biên tập”." in page
    article.refresh_from_db()
    assert article.status == PUBLISHED and article.publish_at == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    assert workflow.state_of(article.status, article.publish_at) == workflow.SCHEDULED


@pytest.mark.parametrize(
    ("date", "time", "message"),
    [
        ("", "", "Hãy chọn ngày và giờ đăng bài."),
        ("01/01/2020", "07:00", "Giờ hẹn đăng phải ở sau lúc này"),
        ("31/02/2099", "07:00", "Nhập một ngày hợp lệ."),
    ],
)
def test_schedule_without_a_future_time_is_refused(approver, date, time, message):
    """A missing, past or impossible time is refused with a Vietnamese message; nothing changes."""
    article = make_article(status=PENDING)
    response = approver.post(change_url(article), content(article, "schedule", schedule_at_0=date, schedule_at_1=time))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.get().status == PENDING


def test_publish_sets_the_time_to_now_and_tells_the_writer(approver, monkeypatch, django_capture_on_commit_callbacks):
    """ "Xuất bản" puts the article live now, confirms the time and mails the writer."""
    writer = make_staff("bientap", group=EDITORS)
    writer.email = "bientap@kimson.local"
    writer.save()
    article = written_by("bientap", days=30)
    now = datetime(2026, 12, 1, 7, 54, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    with django_capture_on_commit_callbacks(execute=True):
        page = approver.post(change_url(article), content(article, "publish"), follow=True).content.decode()
    assert "Đã xuất bản “Bài của biên tập” lúc 14:54 Thứ ba, 01/12/2026." in page
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (PUBLISHED, now)
    assert mail.outbox[0].to == ["bientap@kimson.local"]
    assert mail.outbox[0].subject == "[Xuất bản] Bài của biên tập"


def test_unpublish_takes_it_off_the_site(approver, client):
    """ "Gỡ bài": back to draft, off the public site."""
    article = make_article("Bài đang đăng")
    page = approver.post(change_url(article), content(article, "unpublish"), follow=True).content.decode()
    assert "Đã gỡ “Bài đang đăng” khỏi trang; bài trở về bản nháp." in page
    assert Article.objects.get().status == DRAFT
    approver.logout()
    assert approver.get(article.get_absolute_url()).status_code == 404


def test_a_button_from_the_wrong_state_is_refused_with_a_message(approver):
    """A stale form ("Trả lại" on an article already published) says why and changes nothing."""
    article = make_article("Bài đã đăng")
    response = approver.post(change_url(article), content(article, "return", review_comment="x"))
    assert response.status_code == 200
    assert "Bài đang ở trạng thái “Đang đăng”: không thể “Trả lại”." in response.content.decode()
    assert Article.objects.get().status == PUBLISHED


def test_an_unchanged_body_is_not_logged_as_changed(approver):
    """The editor re-serialises the body; a save that changes only the title lists only the title."""
    article = make_article(status=PENDING, body="<p>Nội dung bài viết.</p>")
    data = content(article, "save", title="Tiêu đề sửa", body='<p style="color:red">Nội dung bài viết.</p>\n')
    assert approver.post(change_url(article), data).status_code == 302
    comment = Version.objects.get_for_object(article).first().revision.comment
    assert "Tiêu đề" in comment and "Nội dung" not in comment


def test_admin_index_counts_what_waits_for_each_group(client):
    """Approvers see "Bài chờ duyệt (N)", feedback staff "Góp ý mới (N)", editors neither."""
    make_article("Chờ 1", status=PENDING)
    make_article("Chờ 2", status=PENDING)
    make_article("Nháp", status=DRAFT)
    Feedback.objects.create(name="Lê An", address="Kim Sơn", phone="0912345678", title="Đèn", content="Hỏng")
    index = reverse("admin:index")
    for username, group, shown, hidden in (
        ("duyetbai", APPROVERS, ["Bài chờ duyệt (2)"], ["Góp ý mới"]),
        ("tiepnhan", RECEPTION, ["Góp ý mới (1)"], ["Bài chờ duyệt"]),
        ("bientap", EDITORS, [], ["Bài chờ duyệt", "Góp ý mới"]),
    ):
        client.force_login(make_staff(username, group=group))
        page = client.get(index).content.decode()
        assert all(text in page for text in shown), (username, shown)
        assert not any(text in page for text in hidden), (username, hidden)
    client.force_login(make_staff("quantri", superuser=True))
    page = client.get(index).content.decode()
    assert "Bài chờ duyệt (2)" in page and "Góp ý mới (1)" in page
    assert client.get(LIST_URL + "?trang_thai=pending").context["cl"].result_count == 2


def test_article_list_filters_by_workflow_state_and_mine(editor):
    """The list filters "Theo Trạng thái" (including Hẹn giờ) and "Của tôi"."""
    make_staff("nguoikhac", group=EDITORS)
    mine = written_by("bientap", "Bài của tôi", status=DRAFT)
    written_by("nguoikhac", "Bài người khác", status=DRAFT)
    make_article("Bài hẹn giờ", days=-2)
    page = editor.get(LIST_URL).content.decode()
    assert "Theo Người viết" in page and "Của tôi" in page and "Hẹn giờ" in page
    assert [a.pk for a in editor.get(LIST_URL + "?cua_toi=1").context["cl"].result_list] == [mine.pk]
    scheduled = editor.get(LIST_URL + "?trang_thai=scheduled").context["cl"].result_list
    assert [a.title for a in scheduled] == ["Bài hẹn giờ"]


def test_list_actions_follow_the_same_table(approver):
    """The list's "Xuất bản" publishes only what may be published and logs each article's step."""
    pending = make_article("Chờ", status=PENDING)
    live = make_article("Đang đăng")
    before = live.publish_at
    approver.post(LIST_URL, {"action": "publish", "_selected_action": [pending.pk, live.pk]})
    assert ArticleTransition.objects.get().article == pending
    live.refresh_from_db()
    assert live.publish_at == before
    assert Article.objects.get(pk=pending.pk).publish_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.parametrize(
    "img", ['<img src="/media/uploads/le-hoi.png">', '<img src="/media/uploads/le-hoi.png" alt=" ">']
)
def test_an_image_without_alt_text_is_refused_naming_the_image(editor, img):
    """An image saved without alt text is refused; the message says which image and how to fix it."""
    article = written_by("bientap", status=DRAFT)
    body = f'<p>Mở đầu.</p><figure class="image"><img src="/media/uploads/a.png" alt="Ảnh một"></figure>{img}'
    response = editor.post(change_url(article), content(article, "save_draft", body=body))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ảnh thứ 2 (le-hoi.png) chưa có chữ mô tả" in page
    assert "Nội dung bài viết." in Article.objects.get().body


def test_history_compares_two_revisions_field_by_field_and_the_body_word_by_word(approver):
    """Each revision links to what it changed: changed fields only, the body as deleted and inserted words."""
    article = make_article(status=PENDING, body="<p>Sáng nay xã Kim Định đón bằng.</p>")
    approver.post(change_url(article), content(article, "save"))
    article.refresh_from_db()
    data = content(article, "save", title="Tiêu đề mới", body="<p>Sáng nay xã Kim Chính đón bằng công nhận.</p>")
    approver.post(change_url(article), data)
    history = approver.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    links = re.findall(r'href="([^"]+/history/compare/\d+/\d+/)"', history)
    assert len(links) == 1 and "Bản đầu tiên" in history
    page = approver.get(links[0]).content.decode()
    page = page[page.index("revision-compare") :]
    assert "<del>Định</del>" in page and "<ins>Chính</ins>" in page and "<ins>bằng công nhận.</ins>" in page
    assert "Tiêu đề" in page and "Sapo" not in page and "Tác giả" not in page


def test_compare_refuses_versions_of_another_article_and_staff_without_rights(approver, client):
    """A version of another article is 404; a feedback officer is refused."""
    import reversion

    with reversion.create_revision():
        first = make_article("Một")
    with reversion.create_revision():
        other = make_article("Hai")
    mine = Version.objects.get_for_object(first).get()
    theirs = Version.objects.get_for_object(other).get()
    url = reverse("admin:news_article_compare", args=[first.pk, mine.pk, theirs.pk])
    assert approver.get(url).status_code == 404
    approver.force_login(make_staff("tiepnhan", group=RECEPTION))
    assert approver.get(reverse("admin:news_article_compare", args=[first.pk, mine.pk, mine.pk])).status_code == 403


def test_word_paste_keeps_headings_lists_and_tables_and_drops_its_styles():
    """What CKEditor 5's paste-from-Office leaves of a Word document keeps its structure, not Word's styling."""
    from portal.html import sanitize_body

    word = (
        '<h2 style="mso-margin-top-alt:auto"><span style="font-family:Times New Roman">Kết quả</span></h2>'
        '<p class="MsoNormal" style="text-align:justify"><span lang="VI" style="font-size:13pt">Đoạn một.</span></p>'
        '<ul style="margin-left:0"><li class="MsoListParagraph" style="mso-list:l0 level1">Ý một</li></ul>'
        '<table class="MsoTableGrid" style="border-collapse:collapse" border="1"><tbody><tr>'
        '<td style="width:200pt;border:solid windowtext 1pt">Ô một</td></tr></tbody></table>'
    )
    clean = sanitize_body(word)
    for kept in ("<h2>", "Kết quả", "Đoạn một.", "<ul>", "<li>Ý một</li>", "<table>", "<td>Ô một</td>"):
        assert kept in clean.replace('<td colspan="1" rowspan="1">', "<td>"), kept
    assert "style=" not in clean and "Mso" not in clean and "mso-" not in clean


def test_a_failing_mail_server_never_undoes_a_step(editor, monkeypatch, django_capture_on_commit_callbacks, caplog):
    """The mail to approvers fails: the article is still submitted and the failure is logged."""
    approver = make_staff("duyetbai", group=APPROVERS)
    approver.email = "duyetbai@kimson.local"
    approver.save()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("news.notify.send_mail", broken)
    article = written_by("bientap", status=DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(change_url(article), content(article, "submit"))
    assert response.status_code == 302
    assert Article.objects.get().status == PENDING
    assert "Không gửi được thư về bài viết" in caplog.text


def test_a_read_only_article_shows_its_body_as_readers_see_it(editor):
    """An editor looking at a submitted article sees the formatted body, not its HTML source; scripts never run."""
    article = written_by("bientap", status=PENDING, body="<h2>Kết quả</h2><p>Đoạn <strong>đậm</strong>.</p>")
    Article.objects.filter(pk=article.pk).update(body="<p>Đoạn <strong>đậm</strong>.</p><script>alert(1)</script>")
    page = editor.get(change_url(article)).content.decode()
    assert "<p>Đoạn <strong>đậm</strong>.</p>" in page
    assert "&lt;p&gt;" not in page and "<script>alert(1)</script>" not in page


def test_a_step_is_judged_on_the_row_as_it_is_when_saving(approver, monkeypatch):
    """Another approver publishes while this one's request runs: "Trả lại" is refused, the article stays live."""
    from news.admin import ArticleAdmin

    article = make_article("Bài chờ", status=PENDING)
    loaded = ArticleAdmin.get_object

    def meanwhile_published(self, request, object_id, from_field=None):
        obj = loaded(self, request, object_id, from_field)
        Article.objects.filter(pk=obj.pk).update(status=PUBLISHED, publish_at=timezone.now())
        return obj

    monkeypatch.setattr(ArticleAdmin, "get_object", meanwhile_published)
    response = approver.post(change_url(article), content(article, "return", review_comment="Sửa lại."))
    assert response.status_code == 200
    assert "Bài đang ở trạng thái “Đang đăng”: không thể “Trả lại”." in response.content.decode()
    assert Article.objects.get().status == PUBLISHED and not ArticleTransition.objects.exists()
