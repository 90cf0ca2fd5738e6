//! Names for the benchmark tree and titles for its initiatives: real province names, the
//! usual agencies, enterprises, communes and villages, so that pages read like real ones.

/// The 63 provinces and centrally-run cities (before the 2025 merger), and whether the
/// committee is a city's (Thành ủy) rather than a province's (Tỉnh ủy).
pub const PROVINCES: [(&str, bool); 63] = [
    ("An Giang", false),
    ("Bà Rịa – Vũng Tàu", false),
    ("Bắc Giang", false),
    ("Bắc Kạn", false),
    ("Bạc Liêu", false),
    ("Bắc Ninh", false),
    ("Bến Tre", false),
    ("Bình Định", false),
    ("Bình Dương", false),
    ("Bình Phước", false),
    ("Bình Thuận", false),
    ("Cà Mau", false),
    ("Cần Thơ", true),
    ("Cao Bằng", false),
    ("Đà Nẵng", true),
    ("Đắk Lắk", false),
    ("Đắk Nông", false),
    ("Điện Biên", false),
    ("Đồng Nai", false),
    ("Đồng Tháp", false),
    ("Gia Lai", false),
    ("Hà Giang", false),
    ("Hà Nam", false),
    ("Hà Nội", true),
    ("Hà Tĩnh", false),
    ("Hải Dương", false),
    ("Hải Phòng", true),
    ("Hậu Giang", false),
    ("Hòa Bình", false),
    ("Hưng Yên", false),
    ("Khánh Hòa", false),
    ("Kiên Giang", false),
    ("Kon Tum", false),
    ("Lai Châu", false),
    ("Lâm Đồng", false),
    ("Lạng Sơn", false),
    ("Lào Cai", false),
    ("Long An", false),
    ("Nam Định", false),
    ("Nghệ An", false),
    ("Ninh Bình", false),
    ("Ninh Thuận", false),
    ("Phú Thọ", false),
    ("Phú Yên", false),
    ("Quảng Bình", false),
    ("Quảng Nam", false),
    ("Quảng Ngãi", false),
    ("Quảng Ninh", false),
    ("Quảng Trị", false),
    ("Sóc Trăng", false),
    ("Sơn La", false),
    ("Tây Ninh", false),
    ("Thái Bình", false),
    ("Thái Nguyên", false),
    ("Thanh Hóa", false),
    ("Thừa Thiên Huế", false),
    ("Tiền Giang", false),
    ("Thành phố Hồ Chí Minh", true),
    ("Trà Vinh", false),
    ("Tuyên Quang", false),
    ("Vĩnh Long", false),
    ("Vĩnh Phúc", false),
    ("Yên Bái", false),
];

/// Place names for districts, communes and villages (common ones, found in many provinces).
pub const PLACES: &[&str] = &[
    "An Phú",
    "Bình An",
    "Bình Minh",
    "Cao Lộc",
    "Chi Lăng",
    "Đại Đồng",
    "Đông Hưng",
    "Đồng Tâm",
    "Hòa An",
    "Hòa Bình",
    "Hồng Phong",
    "Hưng Đạo",
    "Hữu Lũng",
    "Kim Sơn",
    "Lộc Bình",
    "Minh Khai",
    "Nam Sơn",
    "Nghĩa Hưng",
    "Phú Lộc",
    "Phú Thịnh",
    "Phúc Thành",
    "Quang Trung",
    "Quyết Thắng",
    "Tân Lập",
    "Tân Phú",
    "Tân Thành",
    "Tân Tiến",
    "Thạch An",
    "Thanh Sơn",
    "Thống Nhất",
    "Tiên Yên",
    "Trường Sơn",
    "Văn Lang",
    "Việt Hưng",
    "Vĩnh Thạnh",
    "Xuân Hòa",
    "Yên Bình",
    "Yên Thế",
];

/// The usual provincial agencies, each a grassroots committee of the agencies' bloc.
pub const AGENCIES: &[&str] = &[
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Kế hoạch và Đầu tư",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động – Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Thanh tra tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Báo tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Bệnh viện Đa khoa tỉnh",
    "Trường Chính trị tỉnh",
];

/// Enterprises of the province, each a grassroots committee of the enterprises' bloc.
pub const ENTERPRISES: &[&str] = &[
    "Công ty Điện lực",
    "Công ty Cổ phần Cấp thoát nước",
    "Công ty Xổ số kiến thiết",
    "Công ty Cổ phần Môi trường đô thị",
    "Công ty TNHH MTV Lâm nghiệp",
    "Chi nhánh Ngân hàng Nông nghiệp và Phát triển nông thôn",
    "Chi nhánh Ngân hàng Công thương",
    "Chi nhánh Ngân hàng Đầu tư và Phát triển",
    "Viễn thông tỉnh",
    "Bưu điện tỉnh",
    "Công ty Cổ phần Vận tải",
    "Công ty Cổ phần Xây dựng giao thông",
];

/// The offices inside an agency or enterprise: its attached cells.
pub const OFFICES: &[&str] = &[
    "Văn phòng",
    "Phòng Kế hoạch – Tài chính",
    "Phòng Tổ chức cán bộ",
    "Phòng Nghiệp vụ",
    "Thanh tra",
    "Phòng Kiểm tra",
    "Phòng Hành chính – Quản trị",
    "Trung tâm Dịch vụ",
];

/// Grassroots cells under a district committee.
pub const DISTRICT_CELLS: &[&str] = &[
    "Trường Trung học phổ thông",
    "Trường Trung học cơ sở",
    "Trường Tiểu học",
    "Trường Mầm non",
    "Trung tâm Y tế huyện",
    "Phòng Tài chính – Kế hoạch huyện",
    "Phòng Nội vụ huyện",
    "Chi cục Thuế khu vực",
    "Ngân hàng Chính sách xã hội huyện",
    "Công an huyện",
];

/// Socio-political organisations attached to a bloc committee.
pub const MASS_ORGANIZATIONS: &[&str] = &[
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh Khối",
    "Công đoàn Viên chức",
    "Hội Cựu chiến binh Khối",
    "Hội Liên hiệp Phụ nữ Khối",
];

/// Titles per (kind, field): `model` titles name a way of working, `work` titles a thing built.
pub const TITLES: &[(&str, &str, [&str; 4])] = &[
    (
        "model",
        "professional",
        [
            "Mô hình “Mỗi cán bộ một sáng kiến” nâng cao chất lượng công tác chuyên môn",
            "Mô hình “Chi bộ bốn tốt” gắn với nhiệm vụ chuyên môn",
            "Mô hình số hóa hồ sơ, tài liệu nghiệp vụ",
            "Mô hình “Tuần làm việc không giấy tờ”",
        ],
    ),
    (
        "model",
        "admin_reform",
        [
            "Mô hình “Một cửa liên thông hiện đại”",
            "Mô hình giải quyết thủ tục hành chính trực tuyến toàn trình",
            "Mô hình “Không hẹn lần thứ hai”",
            "Mô hình “Cán bộ đến từng nhà hướng dẫn dịch vụ công”",
        ],
    ),
    (
        "model",
        "serving_people",
        [
            "Mô hình “Dân vận khéo” trong phục vụ Nhân dân",
            "Mô hình “Lắng nghe ý kiến Nhân dân” hằng tháng",
            "Mô hình “Cán bộ, đảng viên gần dân, sát dân”",
            "Mô hình tiếp nhận phản ánh qua điện thoại thông minh",
        ],
    ),
    (
        "model",
        "cultural_office",
        [
            "Mô hình công sở “sáng – xanh – sạch – đẹp”",
            "Mô hình “Nói không với rác thải nhựa”",
            "Mô hình “Văn hóa ứng xử nơi công sở”",
            "Mô hình “Ngày thứ Bảy xanh”",
        ],
    ),
    (
        "model",
        "social_welfare",
        [
            "Mô hình “Hũ gạo tình thương”",
            "Mô hình đỡ đầu học sinh có hoàn cảnh khó khăn",
            "Mô hình “Tổ đổi công” giúp hộ nghèo",
            "Mô hình “Bữa cơm có thịt” cho học sinh vùng cao",
        ],
    ),
    (
        "model",
        "other",
        [
            "Mô hình “Đảng viên tự học mỗi ngày một trang sách”",
            "Mô hình “Tủ sách Bác Hồ” tại chi bộ",
            "Mô hình “Chi bộ không có đảng viên vi phạm”",
            "Mô hình “Đảng viên gương mẫu nơi cư trú”",
        ],
    ),
    (
        "work",
        "professional",
        [
            "Công trình phòng lưu trữ hồ sơ điện tử",
            "Công trình hệ thống họp trực tuyến",
            "Công trình phòng thí nghiệm, thực hành chuyên môn",
            "Công trình cơ sở dữ liệu chuyên ngành",
        ],
    ),
    (
        "work",
        "admin_reform",
        [
            "Công trình nâng cấp bộ phận một cửa",
            "Công trình ki-ốt tra cứu thủ tục hành chính",
            "Công trình phòng tiếp công dân",
            "Công trình hệ thống xếp hàng tự động",
        ],
    ),
    (
        "work",
        "serving_people",
        [
            "Công trình nhà văn hóa thôn",
            "Công trình đường giao thông nông thôn",
            "Công trình điện chiếu sáng đường làng",
            "Công trình giếng nước sạch cho thôn bản",
        ],
    ),
    (
        "work",
        "cultural_office",
        [
            "Công trình khuôn viên cây xanh cơ quan",
            "Công trình phòng truyền thống",
            "Công trình cải tạo nhà để xe, khu vệ sinh",
            "Công trình “Góc học tập và làm theo Bác”",
        ],
    ),
    (
        "work",
        "social_welfare",
        [
            "Công trình nhà “Đại đoàn kết” cho hộ nghèo",
            "Công trình nhà tình nghĩa",
            "Công trình cầu dân sinh",
            "Công trình điểm trường vùng khó khăn",
        ],
    ),
    (
        "work",
        "other",
        [
            "Công trình thanh niên",
            "Công trình tủ sách pháp luật",
            "Công trình sân thể thao cơ quan",
            "Công trình bia tưởng niệm",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_three_distinct_provinces_and_a_title_for_every_kind_and_field() {
        let mut names: Vec<&str> = PROVINCES.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 63);
        for kind in lamtheobac::domain::InitiativeKind::ALL {
            for field in lamtheobac::domain::Field::ALL {
                assert!(
                    TITLES
                        .iter()
                        .any(|(k, f, _)| *k == kind.as_str() && *f == field.as_str()),
                    "{kind} {field}"
                );
            }
        }
    }
}
