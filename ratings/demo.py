"""Demo ratings on a few recent articles, from made-up visitors (ids start with "demo")."""

import random

from news.models import Article

from . import services
from .models import Rating


def seed(log):
    if Rating.objects.filter(visitor_id__startswith="demo").exists():
        return
    rng = random.Random(45)
    for article in Article.objects.published()[1:8]:
        for n in range(rng.randint(2, 12)):
            services.rate(article, f"demo{article.pk:06d}{n:022d}", rng.choice([3, 4, 4, 5, 5]))
    log("Tạo đánh giá mẫu")
