"""Every section's sitemap, served together at /sitemap.xml. An app adds one line here."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from news.sitemaps import ArticleSitemap, CategorySitemap


class PageSitemap(Sitemap):
    """Fixed pages that have no model of their own."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "trang": PageSitemap,
    "chuyen-muc": CategorySitemap,
    "tin-tuc": ArticleSitemap,
}
