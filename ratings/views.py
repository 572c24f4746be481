from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from news.models import Article
from portal.limits import Caps, over_limit, too_many_requests, wants_json
from portal.visitors import is_returning, remember_rated

from . import services
from .models import RatingSummary, average, summary_text

BAD_SCORE = "Vui lòng chọn từ 1 đến 5 sao."
AUTOMATED = (
    "Chưa ghi nhận đánh giá: trình duyệt của bạn tự nhận là một chương trình tự động "
    "(trình thu thập dữ liệu hoặc thư viện HTTP). Vui lòng đánh giá từ một trình duyệt web."
)
NO_VISITOR = (
    "Chưa ghi nhận đánh giá vì trình duyệt chưa gửi mã người xem mà trang cấp khi bạn mở bài viết. "
    "Vui lòng bật cookie cho trang này, tải lại bài viết rồi đánh giá lại."
)
CAPPED = (
    "Chưa ghi nhận đánh giá: đã có nhiều đánh giá cho bài viết này từ cùng địa chỉ mạng của bạn. "
    "Vui lòng thử lại sau {wait}."
)
THANKS = "Cảm ơn bạn đã đánh giá bài viết."
# Accepted ratings per address and article: the readers of one office all count, a script does not.
RATING_CAPS = Caps("ratings:accepted", settings.RATING_CAPS)


def _refuse(request, article, message, status):
    """Nothing counted: the message, and the article's figures as they are (the block keeps showing them)."""
    summary = RatingSummary.objects.filter(article=article).first() or RatingSummary(article=article)
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "error": message, "summary": summary_text(summary.score_sum, summary.votes)},
            status=status,
        )
    context = {"article": article, "message": message, "summary": summary_text(summary.score_sum, summary.votes)}
    return render(request, "ratings/refused.html", context, status=status)


@require_POST
def rate(request, article_id):
    """Plain form POST (redirect back with a message) or fetch (JSON with the new figures)."""
    article = get_object_or_404(Article.objects.only("id", "slug", "status", "publish_at"), pk=article_id)
    if not article.is_public:
        raise Http404("Không tìm thấy bài viết.")
    if over_limit(request, "ratings.rate", settings.RATING_RATE):
        return too_many_requests(request)
    if request.visitor_id is None:
        return _refuse(request, article, AUTOMATED, 403)
    if not is_returning(request):
        return _refuse(request, article, NO_VISITOR, 403)
    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        return _refuse(request, article, BAD_SCORE, 400)
    wait = RATING_CAPS.take(request, article.pk)
    if wait:
        return _refuse(request, article, CAPPED.format(wait=wait), 429)
    summary = services.rate(article, request.visitor_id, score)
    if wants_json(request):
        return remember_rated(
            JsonResponse(
                {
                    "ok": True,
                    "score": score,
                    "average": average(summary.score_sum, summary.votes),
                    "votes": summary.votes,
                    "summary": summary_text(summary.score_sum, summary.votes),
                    "message": THANKS,
                }
            )
        )
    messages.success(request, THANKS)
    return remember_rated(redirect(article.get_absolute_url() + "#danh-gia"))
