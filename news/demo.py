"""Demo news: categories and about fifty articles over the last 90 days.

The prose is written for this demo, for the commune's portal (since 2025 there are no districts);
commune names are the former district's real ones.
Idempotent: rows are found by slug and left alone when present.
"""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from portal import demo
from portal.text import slugify_vi

from .models import Article, Category

CATEGORIES = [
    # (name, order, children)
    ("Chính trị", 1, ["Hoạt động Đảng ủy", "HĐND - UBND"]),
    ("Kinh tế", 2, ["Nông nghiệp", "Công nghiệp - Thương mại"]),
    ("Văn hóa - Xã hội", 3, ["Giáo dục", "Y tế"]),
    ("Quốc phòng - An ninh", 4, []),
    ("Nông thôn mới", 5, []),
    ("Thông báo", 6, []),
]

COMMUNES = [
    "Xuân Chính",
    "Chất Bình",
    "Hồi Ninh",
    "Kim Định",
    "Ân Hòa",
    "Như Hòa",
    "Lai Thành",
    "Định Hóa",
    "Văn Hải",
    "Kim Tân",
    "Kim Mỹ",
    "Cồn Thoi",
    "Kim Hải",
    "Kim Trung",
    "Kim Đông",
    "Thượng Kiệm",
    "Lưu Phương",
    "Tân Thành",
    "Yên Lộc",
    "Quang Thiện",
    "Đồng Hướng",
    "Kim Chính",
]

AUTHORS = ["Mai Hoa", "Thanh Tâm", "Minh Đức", "Hồng Nhung", "Văn Long", "Thu Trang"]

# (category, title, sapo); {x} is a commune name chosen per article.
ARTICLES = [
    (
        "Hoạt động Đảng ủy",
        "Hội nghị Ban Chấp hành Đảng bộ xã đánh giá kết quả 9 tháng",
        "Hội nghị thống nhất các giải pháp trọng tâm để hoàn thành chỉ tiêu phát triển kinh tế - xã hội năm nay.",
    ),
    (
        "Hoạt động Đảng ủy",
        "Trao Huy hiệu Đảng cho đảng viên lão thành tại xã {x}",
        "Các đảng viên được trao Huy hiệu 50, 55 và 60 năm tuổi Đảng trong không khí trang trọng, ấm cúng.",
    ),
    (
        "Hoạt động Đảng ủy",
        "Tổ chức học tập chuyên đề về đạo đức, phong cách Hồ Chí Minh",
        "Hơn 300 cán bộ, đảng viên tham dự buổi học tập chuyên đề tại hội trường UBND xã.",
    ),
    (
        "HĐND - UBND",
        "Kỳ họp thường lệ cuối năm của HĐND xã xem xét nhiều nội dung quan trọng",
        "Các đại biểu thảo luận báo cáo tình hình kinh tế - xã hội, dự toán ngân sách và kế hoạch đầu tư công.",
    ),
    (
        "HĐND - UBND",
        "UBND xã đối thoại với nhân dân về công tác giải phóng mặt bằng",
        "Lãnh đạo xã trực tiếp lắng nghe, giải đáp các kiến nghị của người dân liên quan đến dự án đường ven biển.",
    ),
    (
        "HĐND - UBND",
        "Đại biểu HĐND xã tiếp xúc cử tri trước kỳ họp cuối năm",
        "Cử tri kiến nghị về chỉnh trang đô thị, chiếu sáng công cộng và vệ sinh môi trường khu dân cư.",
    ),
    (
        "Nông nghiệp",
        "Nông dân xã {x} khẩn trương thu hoạch lúa mùa",
        "Năng suất bình quân ước đạt trên 62 tạ mỗi héc-ta, cao hơn cùng kỳ năm trước.",
    ),
    (
        "Nông nghiệp",
        "Mô hình nuôi ngao thương phẩm cho thu nhập cao ở vùng bãi bồi",
        "Nhiều hộ nuôi tại vùng bãi bồi ven biển đã có thu nhập ổn định nhờ áp dụng đúng quy trình kỹ thuật.",
    ),
    (
        "Nông nghiệp",
        "Hướng dẫn phòng trừ sâu cuốn lá nhỏ trên lúa vụ mùa",
        "Trạm Trồng trọt và Bảo vệ thực vật khuyến cáo bà con thăm đồng thường xuyên và phun thuốc đúng thời điểm.",
    ),
    (
        "Nông nghiệp",
        "Liên kết sản xuất cói theo chuỗi giá trị tại xã {x}",
        "Hợp tác xã bao tiêu sản phẩm giúp người trồng cói yên tâm mở rộng diện tích.",
    ),
    (
        "Công nghiệp - Thương mại",
        "Làng nghề cói Kim Sơn đón nhiều đơn hàng xuất khẩu cuối năm",
        "Các cơ sở sản xuất tăng ca để kịp giao hàng thủ công mỹ nghệ cho đối tác nước ngoài.",
    ),
    (
        "Công nghiệp - Thương mại",
        "Khai trương chợ nông thôn mới xã {x}",
        "Chợ được đầu tư khang trang, đáp ứng nhu cầu mua bán của người dân trong vùng.",
    ),
    (
        "Công nghiệp - Thương mại",
        "Hội chợ sản phẩm OCOP của xã thu hút đông đảo người dân",
        "Hơn 60 gian hàng giới thiệu sản phẩm đặc trưng của các thôn và hợp tác xã trên địa bàn.",
    ),
    (
        "Giáo dục",
        "Khai giảng năm học mới tại các trường trên địa bàn xã",
        "Hơn 5 nghìn học sinh các cấp bước vào năm học mới trong không khí phấn khởi.",
    ),
    (
        "Giáo dục",
        "Trường Tiểu học {x} đạt chuẩn quốc gia mức độ 2",
        "Nhà trường được công nhận sau nhiều năm đầu tư cơ sở vật chất và nâng cao chất lượng dạy học.",
    ),
    (
        "Giáo dục",
        "Tuyên dương học sinh giỏi cấp tỉnh năm học vừa qua",
        "UBND xã khen thưởng các em học sinh đạt giải và các thầy cô giáo có thành tích bồi dưỡng xuất sắc.",
    ),
    (
        "Y tế",
        "Tiêm chủng mở rộng cho trẻ em dưới 5 tuổi tại xã {x}",
        "Trạm Y tế xã tổ chức tiêm an toàn, đúng lịch cho hàng trăm trẻ em trên địa bàn.",
    ),
    (
        "Y tế",
        "Khám sức khỏe miễn phí cho người cao tuổi",
        "Trạm Y tế xã phối hợp với Trung tâm Y tế khu vực khám, tư vấn và cấp thuốc miễn phí cho hơn 400 người cao tuổi.",
    ),
    (
        "Y tế",
        "Chủ động phòng chống sốt xuất huyết trong mùa mưa",
        "Trạm Y tế xã cùng các đoàn thể ra quân diệt bọ gậy, vệ sinh môi trường tại các khu dân cư.",
    ),
    (
        "Văn hóa - Xã hội",
        "Liên hoan văn nghệ quần chúng chào mừng ngày hội Đại đoàn kết",
        "Các đội văn nghệ đến từ các thôn, xóm trong xã mang đến nhiều tiết mục đặc sắc.",
    ),
    (
        "Văn hóa - Xã hội",
        "Trao quà cho gia đình chính sách tại xã {x}",
        "Các phần quà thể hiện sự quan tâm của cấp ủy, chính quyền đối với người có công.",
    ),
    (
        "Văn hóa - Xã hội",
        "Giải bóng chuyền hơi người cao tuổi Kim Sơn",
        "Giải đấu góp phần phong trào rèn luyện thân thể, nâng cao sức khỏe cho người cao tuổi.",
    ),
    (
        "Văn hóa - Xã hội",
        "Phát động phong trào đọc sách trong cộng đồng",
        "Thư viện xã luân chuyển hàng nghìn đầu sách về các nhà văn hóa thôn, xóm.",
    ),
    (
        "Quốc phòng - An ninh",
        "Diễn tập khu vực phòng thủ xã {x} năm nay",
        "Cuộc diễn tập giúp nâng cao năng lực lãnh đạo, chỉ đạo và khả năng phối hợp của các lực lượng.",
    ),
    (
        "Quốc phòng - An ninh",
        "Công an xã ra quân cao điểm bảo đảm trật tự an toàn giao thông",
        "Lực lượng chức năng tăng cường tuần tra, kiểm soát trên các tuyến đường trọng điểm.",
    ),
    (
        "Quốc phòng - An ninh",
        "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4",
        "Học viên được truyền đạt các chuyên đề về nhiệm vụ quốc phòng, an ninh trong tình hình mới.",
    ),
    (
        "Quốc phòng - An ninh",
        "Tổ chức khám sức khỏe nghĩa vụ quân sự cho thanh niên",
        "Hội đồng khám tuyển làm việc công khai, đúng quy trình, bảo đảm chất lượng nguồn tuyển quân.",
    ),
    (
        "Nông thôn mới",
        "Xã {x} đạt chuẩn nông thôn mới nâng cao",
        "Diện mạo nông thôn đổi thay rõ rệt với đường làng sạch đẹp, đời sống người dân được nâng lên.",
    ),
    (
        "Nông thôn mới",
        "Người dân hiến đất mở rộng đường giao thông nông thôn",
        "Nhiều hộ gia đình tự nguyện hiến hàng trăm mét vuông đất để làm đường liên thôn.",
    ),
    (
        "Nông thôn mới",
        "Xây dựng khu dân cư kiểu mẫu gắn với bảo vệ môi trường",
        "Các thôn trồng hoa, cây xanh hai bên đường và phân loại rác thải tại nguồn.",
    ),
    (
        "Nông thôn mới",
        "Đánh giá tiến độ thực hiện tiêu chí nông thôn mới kiểu mẫu",
        "Đoàn công tác của xã kiểm tra thực tế và hướng dẫn các thôn hoàn thiện hồ sơ.",
    ),
    (
        "Thông báo",
        "Thông báo lịch tiếp công dân của lãnh đạo UBND xã",
        "Lãnh đạo UBND xã tiếp công dân định kỳ vào ngày 15 hằng tháng tại Trụ sở tiếp công dân.",
    ),
    (
        "Thông báo",
        "Thông báo tuyển dụng viên chức giáo dục",
        "UBND xã thông báo chỉ tiêu, điều kiện và thời gian nhận hồ sơ dự tuyển viên chức.",
    ),
    (
        "Thông báo",
        "Thông báo tạm ngừng cấp điện để bảo dưỡng lưới điện tại xã {x}",
        "Điện lực Kim Sơn thông báo lịch tạm ngừng cấp điện để bảo dưỡng, sửa chữa đường dây.",
    ),
    (
        "Thông báo",
        "Thông báo về việc thu phí vệ sinh môi trường năm nay",
        "Mức thu và thời gian thu được niêm yết công khai tại trụ sở UBND xã và nhà văn hóa các thôn.",
    ),
    (
        "Chính trị",
        "Kỷ niệm ngày thành lập Mặt trận Dân tộc thống nhất Việt Nam",
        "Lễ kỷ niệm ôn lại truyền thống vẻ vang và tôn vinh những đóng góp của Mặt trận các cấp.",
    ),
    (
        "Kinh tế",
        "Thu ngân sách nhà nước trên địa bàn xã đạt khá",
        "Tổng thu ngân sách 10 tháng ước đạt 86% dự toán năm, nhiều khoản thu vượt kế hoạch.",
    ),
    (
        "Kinh tế",
        "Đẩy nhanh giải ngân vốn đầu tư công những tháng cuối năm",
        "UBND xã yêu cầu các chủ đầu tư khẩn trương hoàn thiện thủ tục, thanh toán khối lượng hoàn thành.",
    ),
    (
        "Văn hóa - Xã hội",
        "Nhà thờ đá Phát Diệm đón đông khách tham quan",
        "Quần thể kiến trúc độc đáo tiếp tục là điểm đến hấp dẫn của du khách trong và ngoài nước.",
    ),
    (
        "Nông nghiệp",
        "Chuyển đổi đất lúa kém hiệu quả sang trồng cây màu tại xã {x}",
        "Diện tích chuyển đổi cho thu nhập cao gấp hai đến ba lần so với trồng lúa.",
    ),
    (
        "HĐND - UBND",
        "Triển khai chuyển đổi số trong giải quyết thủ tục hành chính",
        "Tỷ lệ hồ sơ nộp trực tuyến tại Trung tâm Phục vụ hành chính công xã tăng mạnh so với năm trước.",
    ),
    (
        "Giáo dục",
        "Ra mắt câu lạc bộ tiếng Anh cho học sinh trung học cơ sở",
        "Câu lạc bộ tạo môi trường để học sinh luyện nghe, nói và tự tin giao tiếp.",
    ),
]

PARAGRAPHS = {
    "Chính trị": [
        "Phát biểu tại buổi làm việc, lãnh đạo xã đề nghị các chi bộ, tổ chức đảng tiếp tục nâng cao năng lực lãnh đạo, sức chiến đấu, gắn việc thực hiện nhiệm vụ chính trị với chăm lo đời sống nhân dân.",
        "Các ý kiến tham luận tập trung làm rõ những kết quả đạt được, chỉ ra hạn chế và đề xuất giải pháp khắc phục trong thời gian tới, nhất là ở cơ sở.",
        "Các chi bộ thôn được yêu cầu duy trì nghiêm nền nếp sinh hoạt, thực hiện tốt quy chế dân chủ, kịp thời giải quyết kiến nghị chính đáng của người dân.",
    ],
    "Kinh tế": [
        "Theo báo cáo của phòng chuyên môn, sản xuất trên địa bàn tiếp tục duy trì ổn định; nhiều mô hình sản xuất mới được nhân rộng, mang lại hiệu quả kinh tế rõ rệt.",
        "Xã tiếp tục tạo điều kiện thuận lợi cho doanh nghiệp, hợp tác xã và hộ kinh doanh mở rộng sản xuất, tiếp cận nguồn vốn vay ưu đãi và thị trường tiêu thụ.",
        "Người dân mong muốn được hỗ trợ thêm về kỹ thuật, giống và liên kết bao tiêu sản phẩm để yên tâm đầu tư lâu dài.",
    ],
    "Văn hóa - Xã hội": [
        "Hoạt động nhận được sự hưởng ứng tích cực của đông đảo cán bộ và nhân dân, góp phần xây dựng đời sống văn hóa lành mạnh ở khu dân cư.",
        "Ban tổ chức cho biết sẽ duy trì hoạt động thường xuyên, đồng thời huy động thêm nguồn lực xã hội hóa để chăm lo cho các đối tượng chính sách và hộ nghèo.",
        "Các trường học, trạm y tế và nhà văn hóa thôn được quan tâm đầu tư, từng bước đáp ứng tốt hơn nhu cầu của người dân.",
    ],
    "Quốc phòng - An ninh": [
        "Lực lượng vũ trang xã duy trì nghiêm chế độ trực sẵn sàng chiến đấu, phối hợp chặt chẽ với công an nắm chắc tình hình, giữ vững an ninh chính trị, trật tự an toàn xã hội.",
        "Công tác tuyên truyền, giáo dục quốc phòng và an ninh được triển khai sâu rộng, nâng cao ý thức cảnh giác của cán bộ, đảng viên và nhân dân.",
        "Chỉ huy trưởng Ban Chỉ huy Quân sự xã đề nghị các thôn tiếp tục củng cố lực lượng dân quân, dự bị động viên, bảo đảm chất lượng và đúng quy định.",
    ],
    "Nông thôn mới": [
        "Sau nhiều năm triển khai chương trình, hạ tầng giao thông, thủy lợi, trường học và nhà văn hóa được đầu tư đồng bộ; thu nhập bình quân đầu người tăng khá.",
        "Phong trào chung sức xây dựng nông thôn mới nhận được sự đồng thuận cao, người dân tích cực đóng góp công sức, tiền của và hiến đất làm đường.",
        "Thời gian tới, địa phương tập trung giữ vững và nâng cao chất lượng các tiêu chí, gắn với phát triển sản xuất và bảo vệ môi trường.",
    ],
    "Thông báo": [
        "Tổ chức, cá nhân có nhu cầu liên hệ trực tiếp Trung tâm Phục vụ hành chính công xã trong giờ hành chính hoặc qua số điện thoại đường dây nóng để được hướng dẫn.",
        "Thông tin chi tiết được niêm yết công khai tại trụ sở cơ quan và đăng tải trên Trang thông tin điện tử của xã.",
        "Đề nghị các cơ quan, đơn vị và nhân dân biết, phối hợp thực hiện.",
    ],
}

DEFENCE_CLUSTER = {
    "title": "Sơ kết hoạt động cụm địa bàn quốc phòng an toàn làm chủ cụm số 1",
    "sapo": (
        "Hội nghị sơ kết một năm hoạt động của Cụm địa bàn quốc phòng an toàn làm chủ số 1 được tổ chức "
        "tại xã Chất Bình, với sự tham gia của năm xã Xuân Chính, Chất Bình, Hồi Ninh, Kim Định và Ân Hòa."
    ),
    "body": [
        "Tới dự có đại diện Bộ Chỉ huy Quân sự tỉnh, Ban Chỉ huy Phòng thủ khu vực, Công an tỉnh cùng "
        "thường trực đảng ủy, lãnh đạo UBND, trưởng công an và chỉ huy trưởng quân sự các xã trong cụm.",
        "Báo cáo tại hội nghị cho thấy, trong một năm qua các xã trong cụm đã phối hợp nhịp nhàng, "
        "duy trì tốt chế độ trực sẵn sàng chiến đấu và tuần tra bảo đảm an ninh trật tự trên địa bàn. "
        "Lực lượng dân quân của cụm có 416 đồng chí; lực lượng dự bị động viên có 568 đồng chí. "
        "Các xã đã tổ chức bồi dưỡng kiến thức quốc phòng, an ninh cho 265 đồng chí và bàn giao "
        "đủ 52/52 thanh niên lên đường nhập ngũ.",
        "Công tác chính sách hậu phương quân đội được quan tâm; số vụ vi phạm pháp luật và tệ nạn xã hội "
        "trên địa bàn cụm giảm so với năm trước.",
        "Tại hội nghị, xã Chất Bình bàn giao vai trò cụm trưởng cho xã Hồi Ninh. Hội nghị thống nhất "
        "phương hướng năm tới: tiếp tục gắn nhiệm vụ quốc phòng, an ninh với phát triển kinh tế, văn hóa, "
        "xã hội, nâng cao chất lượng lực lượng dân quân tự vệ và dự bị động viên.",
    ],
    "caption": "Quang cảnh hội nghị sơ kết Cụm địa bàn quốc phòng an toàn làm chủ số 1.",
    "author": "Mai Hoa",
}

PALETTES = [
    ((46, 125, 50), (129, 199, 132)),
    ((21, 101, 192), (144, 202, 249)),
    ((191, 54, 12), (255, 171, 145)),
    ((106, 27, 154), (206, 147, 216)),
    ((0, 105, 92), (128, 203, 196)),
    ((158, 27, 27), (242, 194, 0)),
]


def cover_image(seed, width=1200, height=750):
    """A small generated landscape: sky, fields and a river, different per seed."""
    rng = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        t = y / (height / 2)
        draw.line([(0, y), (width, y)], fill=tuple(int(255 * (1 - t) + c * t) for c in light))
    sun_x, sun_r = rng.randint(200, width - 200), rng.randint(50, 110)
    draw.ellipse([sun_x - sun_r, 120 - sun_r // 2, sun_x + sun_r, 120 + sun_r * 3 // 2], fill=(255, 214, 79))
    for band in range(6):
        top = height // 2 + band * height // 12
        shade = tuple(max(0, min(255, c + rng.randint(-30, 30))) for c in dark)
        draw.polygon(
            [(0, top + rng.randint(-30, 30)), (width, top + rng.randint(-30, 30)), (width, height), (0, height)],
            fill=shade,
        )
    river = rng.randint(width // 4, 3 * width // 4)
    draw.polygon(
        [(river - 20, height // 2), (river + 20, height // 2), (river + 260, height), (river - 160, height)],
        fill=(100, 160, 210),
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def body_html(paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def seed(log):
    categories = {}
    for name, order, children in CATEGORIES:
        top, _ = Category.objects.get_or_create(slug=slugify_vi(name), defaults={"name": name, "order": order})
        categories[name] = top
        for i, child in enumerate(children, start=1):
            categories[child], _ = Category.objects.get_or_create(
                slug=slugify_vi(child), defaults={"name": child, "order": i, "parent": top}
            )

    now = timezone.now()
    rng = random.Random(2024)
    created = 0
    for index, (category, template, sapo) in enumerate(ARTICLES):
        commune = COMMUNES[index % len(COMMUNES)]
        title, sapo = template.format(x=commune), sapo.format(x=commune)
        # Only articles about a commune say which one the picture shows.
        caption = f"Quang cảnh tại xã {commune}." if "{x}" in template else f"Ảnh minh họa: {title}."
        top = categories[category].parent.name if categories[category].parent_id else category
        paragraphs = rng.sample(PARAGRAPHS[top], 3)
        created += _article(
            index,
            title,
            sapo,
            paragraphs,
            categories[category],
            publish_at=now - timedelta(days=1 + index * 2, hours=rng.randint(0, 10)),
            featured=index % 7 == 0,
            author=AUTHORS[index % len(AUTHORS)],
            caption=caption,
        )

    cluster = DEFENCE_CLUSTER
    created += _article(
        100,
        cluster["title"],
        cluster["sapo"],
        cluster["body"],
        categories["Quốc phòng - An ninh"],
        publish_at=now - timedelta(hours=20),
        featured=True,
        author=cluster["author"],
        caption=cluster["caption"],
    )
    created += _article(
        101,
        "Khởi công xây dựng cầu Kim Đài mới",
        "Cây cầu mới nối đôi bờ sông Kim Đài dự kiến hoàn thành sau 18 tháng.",
        PARAGRAPHS["Kinh tế"],
        categories["Kinh tế"],
        publish_at=now + timedelta(days=3),
        author="Văn Long",
        caption="Phối cảnh cầu Kim Đài mới.",
    )
    created += _article(
        102,
        "Dự thảo kế hoạch tổ chức lễ hội đền Thượng",
        "Bản nháp đang chờ biên tập.",
        PARAGRAPHS["Văn hóa - Xã hội"],
        categories["Văn hóa - Xã hội"],
        publish_at=now,
        status=Article.Status.DRAFT,
        author="Thu Trang",
        caption="",
    )
    created += _article(
        103,
        "Kim Sơn ra quân làm thủy lợi nội đồng vụ đông xuân",
        "Bài đã gửi duyệt: người duyệt bài thấy trong “Bài chờ duyệt”.",
        PARAGRAPHS["Kinh tế"],
        categories["Kinh tế"],
        publish_at=now,
        status=Article.Status.PENDING,
        author="Văn Long",
        caption="",
    )
    if created:
        log(f"Tạo {created} bài viết mẫu")
    _seed_views(log)


def _seed_views(log):
    """Only articles readers can open have been read: drafts and scheduled ones stay at 0."""
    unpublished = Article.objects.exclude(pk__in=Article.objects.published().values("pk"))
    unpublished.filter(view_count__gt=0).update(view_count=0)
    if not Article.objects.filter(view_count__gt=0).exists():
        rng = random.Random(148)
        for article in Article.objects.published().only("id"):
            Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + rng.randint(40, 400))
        log("Đặt lượt xem mẫu cho bài viết")


def _portal_name():
    """ "Trang thông tin điện tử xã Kim Sơn": the unit's portal as it is named now."""
    return f"Trang thông tin điện tử {demo.serving().full_name}"


def _article(
    index,
    title,
    sapo,
    paragraphs,
    category,
    publish_at,
    featured=False,
    author="",
    caption="",
    status=Article.Status.PUBLISHED,
    source=None,
):
    slug = slugify_vi(title)
    if Article.objects.filter(slug=slug).exists():
        return 0
    article = Article(
        title=title,
        slug=slug,
        sapo=sapo,
        body=body_html(paragraphs),
        category=category,
        publish_at=publish_at,
        featured=featured,
        author=author,
        status=status,
        cover_caption=caption,
        source=source if source is not None else (_portal_name() if index % 5 == 0 else ""),
    )
    if caption:
        article.cover_image.save(f"{slug[:60].rstrip('-')}.jpg", cover_image(index), save=False)
    article.save()
    return 1


# The other demo units' articles (portal.demo): (category, title, sapo), per unit code.
UNIT_ARTICLES = {
    "ninh-binh": [
        (
            "Chính trị",
            "Tỉnh Ninh Bình tổng kết một năm vận hành chính quyền địa phương hai cấp",
            "Các xã, phường sau sắp xếp đã ổn định tổ chức, giải quyết kịp thời thủ tục hành chính cho người dân.",
        ),
        (
            "Kinh tế",
            "Ninh Bình thu hút nhiều dự án đầu tư vào các khu công nghiệp",
            "Tỉnh tiếp tục cải thiện môi trường đầu tư, rút ngắn thời gian giải quyết thủ tục cho doanh nghiệp.",
        ),
        (
            "Văn hóa - Xã hội",
            "Quần thể danh thắng Tràng An đón lượng khách kỷ lục",
            "Ngành du lịch tỉnh triển khai nhiều sản phẩm mới gắn với di sản văn hóa và thiên nhiên thế giới.",
        ),
        (
            "Thông báo",
            "Thông báo lịch tiếp công dân của Chủ tịch UBND tỉnh",
            "Chủ tịch UBND tỉnh tiếp công dân định kỳ tại Trụ sở Tiếp công dân tỉnh.",
        ),
    ],
    "kim-dong": [
        (
            "Kinh tế",
            "Nông dân xã Kim Đông thu hoạch ngao trên vùng bãi bồi ven biển",
            "Vụ ngao năm nay cho năng suất cao, giá bán ổn định nhờ liên kết với doanh nghiệp thu mua.",
        ),
        (
            "Nông thôn mới",
            "Xã Kim Đông mở rộng đường trục xã ra đê Bình Minh",
            "Người dân tự nguyện hiến đất, góp công để tuyến đường sớm hoàn thành trước mùa mưa bão.",
        ),
        (
            "Quốc phòng - An ninh",
            "Xã Kim Đông ra quân huấn luyện dân quân năm nay",
            "Lực lượng dân quân cơ động và tại chỗ được huấn luyện theo đúng kế hoạch, bảo đảm an toàn.",
        ),
        (
            "Thông báo",
            "Thông báo lịch tiêm chủng tại Trạm Y tế xã Kim Đông",
            "Trạm Y tế xã tổ chức tiêm chủng mở rộng cho trẻ em vào ngày 25 hằng tháng.",
        ),
    ],
    "phat-diem": [
        (
            "Văn hóa - Xã hội",
            "Nhà thờ đá Phát Diệm đón đoàn khách quốc tế",
            "Quần thể kiến trúc độc đáo tiếp tục là điểm đến hấp dẫn của du khách trong và ngoài nước.",
        ),
        (
            "Kinh tế",
            "Làng nghề cói xã Phát Diệm tăng ca giao hàng xuất khẩu",
            "Các cơ sở sản xuất hàng thủ công mỹ nghệ từ cói có đơn hàng ổn định đến cuối năm.",
        ),
        (
            "Chính trị",
            "HĐND xã Phát Diệm tổ chức kỳ họp thường lệ cuối năm",
            "Các đại biểu thảo luận kết quả phát triển kinh tế - xã hội và dự toán ngân sách năm tới.",
        ),
        (
            "Thông báo",
            "Thông báo tạm ngừng cấp điện tại khu phố Phát Diệm",
            "Điện lực khu vực tạm ngừng cấp điện để bảo dưỡng đường dây trung thế.",
        ),
    ],
}


def seed_unit(unit, log):
    """A few articles in the unit's default categories (portal.creating.create_unit made them)."""
    now = timezone.now()
    created = 0
    for index, (category_name, title, sapo) in enumerate(UNIT_ARTICLES.get(unit.code, [])):
        category = Category.objects.filter(name=category_name, parent=None).first()
        if category is None:
            continue
        top = category_name if category_name in PARAGRAPHS else "Kinh tế"
        created += _article(
            200 + index,
            title,
            sapo,
            PARAGRAPHS[top],
            category,
            publish_at=now - timedelta(days=index * 3, hours=2),
            featured=index == 0,
            author=AUTHORS[index % len(AUTHORS)],
            caption=f"Ảnh minh họa: {title}.",
            source=f"Trang thông tin điện tử {unit.full_name}",
        )
    if created:
        log(f"{unit}: tạo {created} bài viết mẫu")
    _seed_views(log)
