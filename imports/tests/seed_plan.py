"""What the seed plan (issue 7, plan_samples/seed_000.txt) says, for the tests of its reader and
of the demo campaign built from it: both must come to the same movements."""

SEED_MOVEMENTS = [
    "Lao động giỏi, Lao động sáng tạo",
    "Giỏi việc nước, đảm việc nhà",
    "Xanh - Sạch - Đẹp, Bảo đảm ATVSLĐ",
    "Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức công đoàn",
    "Tham mưu giỏi, phục vụ tốt",
    "Cán bộ, công chức, viên chức nói không với tiêu cực",
    "Cả nước chung sức xây dựng nông thôn mới",
    "Cả nước chung tay vì người nghèo, không để ai bị bỏ lại phía sau",
    "Doanh nghiệp Việt Nam hội nhập và phát triển",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hoá công sở",
]
