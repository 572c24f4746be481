"""The page types of the portal, on the demo content: what the accessibility and layout checks visit."""

import io

from django.core.management import call_command
from django.urls import get_resolver, reverse


def seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


def has(namespace):
    """Whether the site serves that app's pages (apps arrive one by one)."""
    return namespace in get_resolver().namespace_dict


def page_types():
    """Name → address of one page of every public page type, found in the demo content."""
    from news.models import Article, Category

    article = Article.objects.published().exclude(cover_image="").first()
    urls = {
        "home": "/",
        "category": Category.objects.filter(parent=None).first().get_absolute_url(),
        "article": article.get_absolute_url(),
        "not found": "/khong-co-trang-nay/",
    }
    if has("documents"):
        from documents.models import Document

        urls["documents"] = reverse("documents:list")
        urls["document"] = Document.objects.filter(files__isnull=False).first().get_absolute_url()
    if has("feedback"):
        urls["feedback"] = reverse("feedback:submit")
        urls["feedback lookup"] = reverse("feedback:lookup")
        urls["questions"] = reverse("feedback:qa")
    if has("services"):
        from services.models import Procedure

        urls["one-stop shop"] = reverse("services:procedures")
        urls["procedure"] = Procedure.objects.filter(is_published=True).first().get_absolute_url()
        urls["dossier lookup"] = reverse("services:lookup")
    if has("pages"):
        urls["introduction"] = reverse("pages:intro")
        urls["leaders"] = reverse("pages:leaders")
        urls["schedule"] = reverse("pages:schedule")
        urls["contact"] = reverse("pages:contact")
    if has("polls"):
        from polls.models import Poll

        poll = Poll.objects.first()
        urls["poll"] = reverse("polls:detail", args=[poll.pk])
        urls["poll results"] = reverse("polls:results", args=[poll.pk])
    if has("search"):
        urls["search"] = reverse("search:search") + "?q=kim+s%C6%A1n"
    return urls
