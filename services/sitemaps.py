from django.contrib.sitemaps import Sitemap

from .models import Procedure


class ProcedureSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Procedure.objects.published().only("slug", "updated_at").order_by("name")

    def lastmod(self, item):
        return item.updated_at
