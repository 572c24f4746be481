from django.contrib.sitemaps import Sitemap

from .models import Document


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Document.objects.published().only("pk", "updated_at").order_by("-issued_on", "-pk")

    def lastmod(self, item):
        return item.updated_at
