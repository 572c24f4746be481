from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from . import queries
from .models import Article, Category


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        featured = list(published.filter(featured=True)[:5])
        featured_ids = [a.pk for a in featured]
        blocks = queries.latest_by_top_category()
        category_blocks = [
            (category, blocks[category.pk]) for category in queries.menu_categories() if category.pk in blocks
        ]
        return super().get_context_data(
            featured=featured,
            latest=list(published.exclude(pk__in=featured_ids)[:8]),
            category_blocks=category_blocks,
            **kwargs,
        )


class CategoryView(ListView):
    template_name = "news/category.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        self.category = get_object_or_404(Category.objects.select_related("parent"), slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            children=list(self.category.children.all()),
            **kwargs,
        )


class ArticleListView(ListView):
    """Tin tức - Sự kiện: every published article, newest first."""

    template_name = "news/list.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[("Tin tức - Sự kiện", None)], **kwargs)


class ArticleView(DetailView):
    template_name = "news/article.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        article = get_object_or_404(Article.objects.select_related("category__parent"), slug=self.kwargs["slug"])
        if not article.is_public and not self.can_preview(article):
            raise Http404("Không tìm thấy bài viết.")
        return article

    def can_preview(self, article):
        user = self.request.user
        return user.is_active and user.is_staff and user.has_perm("news.view_article")

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            is_preview=not article.is_public,
            related=queries.related_articles(article),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        return response
