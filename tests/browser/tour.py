"""The page types of the portal, on the demo content: what the accessibility and layout checks visit."""

import io

from django.core.management import call_command
from django.urls import reverse

from portal import units


def seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


def page_types():
    """Name → address of one page of every public page type, found in the demo content of the unit
    the live server's 127.0.0.1 names (the demo has several units)."""
    from tests.factories import first_unit

    with units.active(first_unit()):
        return _page_types()


def _page_types():
    from documents.models import Document
    from news.models import Article, Category
    from polls.models import Poll
    from services.models import Procedure

    poll = Poll.objects.first()
    return {
        "home": "/",
        "category": Category.objects.filter(parent=None).first().get_absolute_url(),
        "article": Article.objects.published().exclude(cover_image="").first().get_absolute_url(),
        "not found": "/khong-co-trang-nay/",
        "documents": reverse("documents:list"),
        "document": Document.objects.filter(files__isnull=False).first().get_absolute_url(),
        "feedback": reverse("feedback:submit"),
        "feedback lookup": reverse("feedback:lookup"),
        "questions": reverse("feedback:qa"),
        "privacy notice": reverse("feedback:privacy"),
        "one-stop shop": reverse("services:procedures"),
        "procedure": Procedure.objects.filter(is_published=True).first().get_absolute_url(),
        "dossier lookup": reverse("services:lookup"),
        "introduction": reverse("pages:intro"),
        "leaders": reverse("pages:leaders"),
        "schedule": reverse("pages:schedule"),
        "contact": reverse("pages:contact"),
        "contact in English": reverse("pages:contact_en"),
        "poll": reverse("polls:detail", args=[poll.pk]),
        "poll results": reverse("polls:results", args=[poll.pk]),
        "search": reverse("search:search") + "?q=kim+s%C6%A1n",
    }
