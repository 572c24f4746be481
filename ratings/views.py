from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from news.models import Article
from portal.limits import over_limit, too_many_requests, wants_json

from . import services
from .models import average, summary_text

BAD_SCORE = "Vui lòng chọn từ 1 đến 5 sao."
NO_COOKIE = "Trình duyệt của bạn cần cho phép cookie để đánh giá bài viết."
THANKS = "Cảm ơn bạn đã đánh giá bài viết."


def _refuse(request, article, message, status):
    if wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    return render(request, "ratings/refused.html", {"article": article, "message": message}, status=status)


@require_POST
def rate(request, article_id):
    """Plain form POST (redirect back with a message) or fetch (JSON with the new figures)."""
    article = get_object_or_404(Article.objects.only("id", "slug", "status", "publish_at"), pk=article_id)
    if not article.is_public:
        raise Http404("Không tìm thấy bài viết.")
    if over_limit(request, "ratings.rate", settings.RATING_RATE):
        return too_many_requests(request)
    if not request.visitor_id:
        return _refuse(request, article, NO_COOKIE, 403)
    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        return _refuse(request, article, BAD_SCORE, 400)
    summary = services.rate(article, request.visitor_id, score)
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "score": score,
                "average": average(summary.score_sum, summary.votes),
                "votes": summary.votes,
                "summary": summary_text(summary.score_sum, summary.votes),
                "message": THANKS,
            }
        )
    messages.success(request, THANKS)
    return redirect(article.get_absolute_url() + "#danh-gia")
