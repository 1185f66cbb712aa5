#!/usr/bin/env python3
"""Synthetic session records for the `vanthu bundle` benchmark.

    python3 benches/gen_records.py N DIR [--month YYYY-MM] [--seed S]

Writes N records into DIR (created), all dated in the month (default 2022-11), Party and
State format alternating, each listing a news report (tin-bai) and a notice of conclusions
(thong-bao-ket-luan): four files per record. The text comes from the reference record
(input/thuan-2022-11-10.yaml) with names, dates and directive counts varied by a seeded
generator, so the same arguments always give the same files.
"""

import argparse
import calendar
import os
import random

COMMUNES = [
    "Thuận", "Thanh", "Tân Hợp", "Hướng Lập", "Hướng Phùng", "A Dơi", "Ba Tầng", "Xy",
    "Tân Liên", "Tân Lập", "Tân Long", "Tân Thành", "Hướng Tân", "Hướng Linh", "Húc", "Lìa",
    "Hướng Sơn", "Hướng Việt", "A Túc", "Ba Nang", "Pa Tầng", "Đakrông", "Mò Ó", "Triệu Nguyên",
]
NAMES = [
    "Nguyễn Tăng", "Lê Văn Minh", "Trần Thị Hoa", "Phạm Quốc Việt", "Hồ Thị Thu Hằng",
    "Võ Đức Thắng", "Đặng Ngọc Ánh", "Bùi Xuân Trường", "Hoàng Thị Lý", "Ngô Quang Huy",
]
RESULTS = (
    "Xã {c} là xã biên giới, địa bàn vùng sâu, vùng xa, dân số chủ yếu là đồng bào các dân tộc "
    "thiểu số sinh sống, đời sống kinh tế - xã hội còn nhiều khó khăn, nhưng với tinh thần đoàn kết, "
    "quyết tâm, Đảng ủy xã đã kịp thời xây dựng, ban hành các văn bản để tập trung lãnh đạo, chỉ đạo "
    "triển khai thực hiện tốt kết luận của Huyện ủy, nghị quyết của Hội đồng nhân dân huyện, kế hoạch "
    "của Ủy ban nhân dân huyện về nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh; công "
    "tác xây dựng Đảng và hệ thống chính trị ở địa phương. Phát huy được tiềm năng, lợi thế về đất "
    "đai, điều kiện khí hậu để phát triển các loại cây trồng chủ lực; quy mô trường lớp đảm bảo yêu "
    "cầu dạy và học cho giáo viên, học sinh; quan tâm xây dựng nếp sống văn hóa, văn minh; chú trọng "
    "công tác chăm sóc sức khỏe, phòng, chống dịch bệnh cho Nhân dân; quan tâm công tác an sinh xã "
    "hội. Công tác an ninh trật tự, quốc phòng, quân sự địa phương được tăng cường ({n}). Công tác "
    "xây dựng Đảng và hệ thống chính trị có chuyển biến tích cực; kịp thời xây dựng kế hoạch quán "
    "triệt, tuyên truyền, phổ biến các nghị quyết, chỉ thị của cấp trên; công tác tổ chức và cán bộ, "
    "kiểm tra, giám sát, dân vận có nhiều cố gắng."
)
SHORTCOMINGS = (
    "Tuy nhiên, bên cạnh những kết quả đạt được, quá trình thực hiện nhiệm vụ của địa phương vẫn còn "
    "nhiều khó khăn, hạn chế, nhất là sự phát triển trên lĩnh vực kinh tế - xã hội chưa tương xứng "
    "với nguồn lực đầu tư cho xã, nhiều chỉ tiêu chưa đạt theo kế hoạch; tỷ lệ hộ nghèo còn cao "
    "({p}%); nông thôn mới giảm các tiêu chí. Công tác quán triệt, triển khai thực hiện một số văn "
    "bản của cấp trên chưa thực sự phát huy được hiệu quả, nhất là trong công tác phòng, chống ma "
    "túy trên địa bàn."
)
DIRECTIVES = [
    "Tập trung rà soát các chỉ tiêu, nhiệm vụ đã đề ra trên các lĩnh vực; tiếp tục xây dựng kế hoạch, "
    "phân công nhiệm vụ cụ thể cho các bộ phận, ban, ngành địa phương để tập trung chỉ đạo, triển "
    "khai thực hiện đảm bảo hoàn thành các nhiệm vụ, nội dung cam kết của tập thể Đảng ủy.",
    "Tăng cường công tác lãnh đạo, chỉ đạo đẩy nhanh tiến độ triển khai thực hiện Chương trình mục "
    "tiêu quốc gia về phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi; quản "
    "lý chặt chẽ, phát huy hiệu quả nguồn vốn đã được phân bổ, đảm bảo các quy định của pháp luật.",
    "Tiếp tục quan tâm thực hiện nhiệm vụ xây dựng nông thôn mới; quyết tâm chỉ đạo thực hiện các "
    "tiêu chí chưa đạt, gần đạt để từng bước hoàn thiện các tiêu chí; đồng thời, có kế hoạch, giải "
    "pháp hiệu quả để giữ vững các tiêu chí đã đạt được.",
    "Tập trung rà soát, đánh giá đúng thực chất tỷ lệ hộ nghèo ở địa phương; chú trọng việc nâng cao "
    "nhận thức của người dân trong việc phát triển kinh tế hộ gia đình; vận động Nhân dân nêu cao ý "
    "thức tự lực, tự cường vươn lên thoát nghèo và giảm nghèo bền vững.",
    "Tiếp tục tăng cường công tác bảo đảm an ninh chính trị, trật tự an toàn xã hội; tích cực phối "
    "hợp trong công tác đấu tranh, ngăn chặn có hiệu quả tình trạng buôn bán, vận chuyển, tàng trữ, "
    "sử dụng trái phép chất ma túy; tổ chức các đợt tuần tra, kiểm soát trên địa bàn.",
    "Tập trung rà soát, đánh giá kết quả thực hiện các nghị quyết, chỉ thị, văn bản của cấp trên, "
    "tiếp tục xây dựng chương trình hành động, kế hoạch triển khai thực hiện, đảm bảo phát huy được "
    "hiệu quả và phù hợp với tình hình thực tế của địa phương.",
    "Chú trọng thực hiện công tác kiểm tra, giám sát của Đảng trên cơ sở bảo đảm đúng thực chất và "
    "phát huy được hiệu quả; thực hiện tốt công tác dân vận của Đảng, công tác dân vận của Chính "
    "quyền và cả hệ thống chính trị cơ sở.",
    "Quan tâm công tác đào tạo, bồi dưỡng đội ngũ cán bộ, công chức của xã, đáp ứng yêu cầu nhiệm vụ "
    "trong giai đoạn hiện nay; chủ động đề xuất phương án nhằm sử dụng hiệu quả nguồn nhân lực.",
    "Đẩy mạnh chuyển đổi cơ cấu cây trồng, vật nuôi phù hợp với điều kiện thổ nhưỡng, khí hậu; hỗ "
    "trợ người dân tiếp cận nguồn vốn vay ưu đãi để phát triển sản xuất, kinh doanh.",
    "Làm tốt công tác quản lý đất đai, tài nguyên, môi trường; kiên quyết xử lý các trường hợp vi "
    "phạm; bảo vệ và phát triển rừng, phòng cháy, chữa cháy rừng trong mùa khô.",
]

PARTY = {
    "parent": "ĐẢNG BỘ TỈNH QUẢNG TRỊ", "name": "HUYỆN ỦY HƯỚNG HÓA", "code": "HU",
    "place": "Hướng Hóa", "host": "Ban Thường vụ Huyện ủy", "counterpart": "Đảng ủy xã {c}",
    "authority": "T/L BAN THƯỜNG VỤ", "position": "CHÁNH VĂN PHÒNG",
    "chair_position": "Bí thư Huyện ủy", "titles": "[Tỉnh ủy viên]",
}
STATE = {
    "parent": "UBND HUYỆN HƯỚNG HÓA", "name": "ỦY BAN NHÂN DÂN XÃ {C}", "code": "UBND",
    "place": "{c}", "host": "Chủ tịch Ủy ban nhân dân xã", "counterpart": "Hợp tác xã nông nghiệp {c}",
    "authority": "TM. ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH",
    "chair_position": "Chủ tịch Ủy ban nhân dân xã", "titles": "[]",
}


def q(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def record(i, year, month, rng):
    fmt = "party" if i % 2 == 0 else "state"
    p = PARTY if fmt == "party" else STATE
    c = COMMUNES[i % len(COMMUNES)]
    sub = lambda s: s.replace("{c}", c).replace("{C}", c.upper())
    last = calendar.monthrange(year, month)[1]
    day = 1 + rng.randrange(last)
    doc_day = min(last, day + rng.randrange(4))
    n_dir = 3 + rng.randrange(8)
    directives = rng.sample(DIRECTIVES, min(n_dir, len(DIRECTIVES)))
    chair, signer, author = rng.sample(NAMES, 3)
    lines = [
        f"# Synthetic record {i} (benches/gen_records.py)",
        "issuer:",
        f"  parent: {q(p['parent'])}",
        f"  name: {q(sub(p['name']))}",
        f"  code: {p['code']}",
        f"  place: {q(sub(p['place']))}",
        f"format: {fmt}",
        "session:",
        f"  date: {year:04}-{month:02}-{day:02}",
        f"  host: {q(p['host'])}",
        f"  counterpart: {q(sub(p['counterpart']))}",
        f"  topic: {q(f'tình hình triển khai thực hiện nhiệm vụ năm {year} (đợt {i + 1})')}",
        "  chair:",
        f"    name: {q(chair)}",
        f"    titles: {p['titles']}",
        f"    position: {q(p['chair_position'])}",
        "  attendees:",
        f"    - {q('các đồng chí thành viên Đoàn công tác số ' + str(1 + i % 9))}",
        f"    - {q('tập thể cấp ủy, lãnh đạo chính quyền xã ' + c)}",
        f"  results: {q(RESULTS.format(c=c, n=i + 1))}",
        f"  shortcomings: {q(SHORTCOMINGS.format(p=5 + i % 20))}",
        "  conclusions:",
        f"    period: {q(f'từ nay đến cuối năm {year}')}",
        "    directives:",
    ]
    lines += [f"      - {q(d)}" for d in directives]
    lines += [
        "documents:",
        "  - template: tin-bai",
        f"    author: {q(author)}",
        "  - template: thong-bao-ket-luan",
        f"    number: {i + 1}",
        f"    date: {year:04}-{month:02}-{doc_day:02}",
        "    signer:",
        f"      authority: {q(p['authority'])}",
        f"      position: {q(p['position'])}",
        f"      name: {q(signer)}",
        "    recipients:",
        f"      - {q('Thường trực cấp trên (để báo cáo),')}",
        f"      - {q(sub(p['counterpart']) + ',')}",
        f"      - {q('Lưu Văn phòng.')}",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--month", default="2022-11")
    ap.add_argument("--seed", type=int, default=4)
    a = ap.parse_args()
    year, month = (int(x) for x in a.month.split("-"))
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    for i in range(a.n):
        with open(os.path.join(a.dir, f"r{i:05}.yaml"), "w", encoding="utf-8") as f:
            f.write(record(i, year, month, rng))


if __name__ == "__main__":
    main()
