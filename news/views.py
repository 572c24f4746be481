from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView, TemplateView

from portal import units
from portal.models import Unit
from portal.shapes import Shape
from stats import figures

from . import queries
from .models import Article
from .paging import KeysetPaginator, listed


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
        commune_news = []
        if self.request.unit.kind == Unit.Kind.PROVINCE:
            commune_news = queries.commune_news(self.request.unit.pk)
            for article in commune_news:
                article.portal_url = units.url_on(article.unit_id, self.request, article.get_absolute_url())
        return super().get_context_data(
            featured=featured,
            latest=list(published.exclude(pk__in=featured_ids)[:8]),
            category_blocks=category_blocks,
            commune_news=commune_news,
            **kwargs,
        )


class ArticleListMixin:
    """Pages of published articles read by their starts (news.paging): no COUNT, no deep OFFSET."""

    context_object_name = "articles"
    paginate_by = 12
    list_name = "all"

    family = None  # every article

    def get_queryset(self):
        # Built only if the list's page starts are computed (news.paging): building it cost a
        # tenth of a page read from kept starts, which never uses it.
        return SimpleLazyObject(lambda: listed(self.family))

    def get_template_names(self):
        return [self.template_name]  # ListView's would look at the list's model: build the list

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return KeysetPaginator(
            queryset, per_page, self.list_name, self.family, allow_empty_first_page=allow_empty_first_page
        )


class CategoryView(ArticleListMixin, ListView):
    template_name = "news/category.html"

    def get_queryset(self):
        self.category = queries.categories_by_slug().get(self.kwargs["slug"])
        if self.category is None:
            raise Http404("Không tìm thấy chuyên mục.")
        self.children = self.category.children_list
        self.list_name = f"category:{self.category.pk}"
        self.family = (self.category.pk, *(child.pk for child in self.children))
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, children=self.children, **kwargs)


class ArticleListView(ArticleListMixin, ListView):
    """Tin tức - Sự kiện: every published article, newest first."""

    template_name = "news/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[("Tin tức - Sự kiện", None)], **kwargs)


# The same query for every article but its slug: compiled once (portal.shapes).
_article_by_slug = Shape(lambda slug: figures.with_article_figures(Article.objects.filter(slug=slug)).order_by()[:1])


class ArticleView(DetailView):
    template_name = "news/article.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        # The article's live figures (views, stars) come with it: shown for the first time, it needs no
        # query of its own for them (stats.figures.article_columns).
        found = _article_by_slug(self.kwargs["slug"])
        if not found:
            raise Http404("Không tìm thấy bài viết.")
        article = found[0]
        figures.offer(self.request, article.pk, figures.figures_of(article))
        # Its category and the category's parent from the ones every page keeps (no join).
        category = queries.categories_by_id().get(article.category_id)
        if category is not None:
            article.category = category
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
