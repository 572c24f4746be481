"""The newsroom workflow: which button moves an article from which state to which, and for whom.

The table below is the whole rule; the admin's buttons, its list actions and its history views all
go through it. An article's status and publish time change only here, never through a form field
or a reverted revision (docs/newsroom.md).
"""

from dataclasses import dataclass

from django.utils import timezone

from portal.dates import long_date

from .models import Article, ArticleTransition

Status = Article.Status
Action = ArticleTransition.Action

# Workflow states: the stored status, plus "not saved yet" and "published with a future time".
NEW = "new"
SCHEDULED = "scheduled"
STATE_LABELS = {
    NEW: "Bài mới",
    Status.DRAFT: Status.DRAFT.label,
    Status.RETURNED: Status.RETURNED.label,
    Status.PENDING: Status.PENDING.label,
    SCHEDULED: "Hẹn giờ",
    Status.PUBLISHED: "Đang đăng",
}

# Roles: an editor may change articles, an approver may also publish them.
EDITOR = "editor"
APPROVER = "approver"
PUBLISH_PERMISSION = "news.publish_article"

WRITABLE = frozenset({NEW, Status.DRAFT, Status.RETURNED})
UNPUBLISHED = WRITABLE | {Status.PENDING}


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str | None  # the new status; None keeps the stored one (a plain save)
    roles: frozenset
    comment_required: bool = False

    @property
    def action(self):
        """The ArticleTransition action it records, or None for a plain save."""
        return self.name if self.name in Action.values else None


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("save_draft", "Lưu nháp", WRITABLE, None, frozenset({EDITOR, APPROVER})),
        Transition("submit", "Gửi duyệt", WRITABLE, Status.PENDING, frozenset({EDITOR})),
        Transition(
            "save",
            "Lưu thay đổi",
            frozenset({Status.PENDING, SCHEDULED, Status.PUBLISHED}),
            None,
            frozenset({APPROVER}),
        ),
        Transition("publish", "Xuất bản", UNPUBLISHED | {SCHEDULED}, Status.PUBLISHED, frozenset({APPROVER})),
        Transition("schedule", "Hẹn giờ", UNPUBLISHED | {SCHEDULED}, Status.PUBLISHED, frozenset({APPROVER})),
        Transition(
            "return",
            "Trả lại",
            frozenset({Status.PENDING}),
            Status.RETURNED,
            frozenset({APPROVER}),
            comment_required=True,
        ),
        Transition(
            "unpublish", "Gỡ bài", frozenset({SCHEDULED, Status.PUBLISHED}), Status.DRAFT, frozenset({APPROVER})
        ),
    )
}


def state_of(status, publish_at, now=None):
    """The workflow state of a stored (status, publish time); NEW when there is no stored row."""
    if status is None:
        return NEW
    if status == Status.PUBLISHED and publish_at > (now or timezone.now()):
        return SCHEDULED
    return status


def role_of(user):
    if user.has_perm(PUBLISH_PERMISSION):
        return APPROVER
    if user.has_perm("news.change_article") or user.has_perm("news.add_article"):
        return EDITOR
    return None


def available(user, state):
    """The transitions `user` may take from `state`, in the order the buttons show them."""
    role = role_of(user)
    return [t for t in TRANSITIONS.values() if role in t.roles and state in t.sources]


def may_ever(user, transition):
    return role_of(user) in transition.roles


def outcome(transition, stored_status, stored_publish_at, when=None, now=None):
    """(status, publish_at) after `transition` from the stored values; `when` is the scheduled time."""
    now = now or timezone.now()
    status = transition.target or stored_status or Status.DRAFT
    if transition.name == "publish":
        return status, now
    if transition.name == "schedule":
        return status, when
    return status, stored_publish_at or now


def record(article, transition, from_status, user, comment=""):
    """Keep the step in the article's workflow log; plain saves are only in its revisions."""
    if transition.action is None:
        return None
    return ArticleTransition.objects.create(
        article=article,
        action=transition.action,
        from_status=from_status or "",
        to_status=article.status,
        publish_at=article.publish_at if article.status == Status.PUBLISHED else None,
        comment=comment,
        user=user,
    )


def revision_comment(transition, comment=""):
    """What the article's history says about the step, e.g. "Trả lại: Thiếu nguồn ảnh."."""
    return f"{transition.label}: {comment}" if comment else transition.label


def at(value):
    """ "07:00 Thứ hai, 07/12/2026", in the portal's time zone."""
    local = timezone.localtime(value)
    return f"{local:%H:%M} {long_date(local)}"


def done_message(transition, article):
    """The confirmation, repeating what happened."""
    title = f"“{article.title}”"
    return {
        "save_draft": f"Đã lưu nháp {title}.",
        "save": f"Đã lưu thay đổi {title}.",
        "submit": f"Đã gửi duyệt {title}.",
        "publish": f"Đã xuất bản {title} lúc {at(article.publish_at)}.",
        "schedule": f"Đã hẹn giờ đăng lúc {at(article.publish_at)} bài {title}.",
        "return": f"Đã trả lại {title} cho người viết, kèm góp ý.",
        "unpublish": f"Đã gỡ {title} khỏi trang; bài trở về bản nháp.",
    }[transition.name]
