"""Every section's sitemap: /sitemap.xml is their index, /sitemap-<section>.xml each one (split
into pages of 50,000 addresses). An app adds one line here."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from documents.sitemaps import DocumentSitemap
from news.sitemaps import ArticleSitemap, CategorySitemap
from pages.sitemaps import PageSitemap
from portal import units
from services.sitemaps import ProcedureSitemap


class SectionSitemap(Sitemap):
    """Fixed pages that have no model of their own."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return [
            "news:home",
            "news:list",
            "documents:list",
            "open_data:index",
            "services:procedures",
            "pages:leaders",
            "pages:schedule",
            "pages:contact",
            "pages:contact_en",
            # A province's list of its communes' portals.
            *(["portal:units"] if units.children_of(units.current_id()) else []),
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "muc": SectionSitemap,
    "chuyen-muc": CategorySitemap,
    "tin-tuc": ArticleSitemap,
    "van-ban": DocumentSitemap,
    "thu-tuc": ProcedureSitemap,
    "trang": PageSitemap,
}
