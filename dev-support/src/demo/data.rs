//! Demo data set: the Lạng Sơn provincial agencies' bloc (Đảng ủy Khối các cơ quan tỉnh), 2021–2022.
//!
//! The 2022 figures for bloc `DUK` reproduce the seed article exactly: 100% of the expected units
//! registered 94 models and works, 61 were completed, with a total actual value of
//! 6.012.500.000 đ ("hơn 6 tỷ đồng"). A smaller 2021 set (coverage below 100%) and a second bloc
//! (`DUK-DN`, Đảng ủy Khối Doanh nghiệp tỉnh) exist for year comparison and scope tests.
//! Everything is deterministic: the only "randomness" is a fixed-seed LCG.

use chrono::{NaiveDate, TimeDelta};
use lamtheobac::domain::report::SignerPosition;
use lamtheobac::store::report_settings::StoredSettings;

/// A node of the organisation tree. `code` doubles as the secretary's login (lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub parent: Option<&'static str>,
    pub expected_to_register: bool,
    pub secretary_name: &'static str,
}

/// One registered model or work. Money is in whole đồng.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInitiative {
    /// Code of the owning unit.
    pub unit: &'static str,
    pub year: i32,
    /// `"model"` or `"work"`.
    pub kind: &'static str,
    pub field: &'static str,
    pub title: String,
    pub description: String,
    pub estimated_cost_vnd: i64,
    pub actual_value_vnd: Option<i64>,
    pub status: &'static str,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub completion_date: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

const PROVINCE: &str = "province_committee";
const BLOC: &str = "bloc_committee";
const COMMITTEE: &str = "grassroots_committee";
const CELL: &str = "grassroots_cell";
const ATTACHED: &str = "attached_cell";
const MASS: &str = "mass_organization";

const M: &str = "model";
const W: &str = "work";

const PRO: &str = "professional";
const CCHC: &str = "admin_reform";
const PVND: &str = "serving_people";
const VHCS: &str = "cultural_office";
const ASXH: &str = "social_welfare";
const KHAC: &str = "other";

const DONE: &str = "completed";
const DOING: &str = "in_progress";
const REG: &str = "registered";
const CANC: &str = "cancelled";

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

const fn u(
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    parent: Option<&'static str>,
    expected_to_register: bool,
    secretary_name: &'static str,
) -> DemoUnit {
    DemoUnit {
        code,
        name,
        kind,
        parent,
        expected_to_register,
        secretary_name,
    }
}

/// Shorthand for an expected unit with a parent.
const fn e(
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    parent: &'static str,
    secretary_name: &'static str,
) -> DemoUnit {
    u(code, name, kind, Some(parent), true, secretary_name)
}

#[rustfmt::skip]
static UNITS: [DemoUnit; 52] = [
    u("TU-LS", "Tỉnh ủy Lạng Sơn", PROVINCE, None, false, "Nguyễn Quốc Khánh"),
    u("DUK", "Đảng ủy Khối các cơ quan tỉnh", BLOC, Some("TU-LS"), false, "Lương Thị Thu Hà"),
    // Grassroots committees and their attached cells.
    e("STC", "Đảng bộ Sở Tài chính", COMMITTEE, "DUK", "Hoàng Văn Thắng"),
    e("STC-VP", "Chi bộ Văn phòng Sở Tài chính", ATTACHED, "STC", "Nông Thị Hồng Nhung"),
    e("STC-NS", "Chi bộ Phòng Quản lý ngân sách Sở Tài chính", ATTACHED, "STC", "Vi Văn Tuấn"),
    e("STC-GCS", "Chi bộ Phòng Quản lý giá và công sản Sở Tài chính", ATTACHED, "STC", "Lộc Thị Thanh Huyền"),
    e("SYT", "Đảng bộ Sở Y tế", COMMITTEE, "DUK", "Triệu Đức Minh"),
    e("SYT-VP", "Chi bộ Văn phòng Sở Y tế", ATTACHED, "SYT", "Hà Thị Ngọc Lan"),
    e("SYT-NVY", "Chi bộ Phòng Nghiệp vụ Y Sở Y tế", ATTACHED, "SYT", "Nguyễn Văn Hùng"),
    e("SYT-KHTC", "Chi bộ Phòng Kế hoạch – Tài chính Sở Y tế", ATTACHED, "SYT", "Lăng Thị Mai"),
    e("SGDDT", "Đảng bộ Sở Giáo dục và Đào tạo", COMMITTEE, "DUK", "Chu Văn Bình"),
    e("SGDDT-VP", "Chi bộ Văn phòng Sở Giáo dục và Đào tạo", ATTACHED, "SGDDT", "Bế Thị Thu Trang"),
    e("SGDDT-GDTH", "Chi bộ Phòng Giáo dục Trung học Sở Giáo dục và Đào tạo", ATTACHED, "SGDDT", "Đinh Quang Huy"),
    e("SGDDT-KHTC", "Chi bộ Phòng Kế hoạch – Tài chính Sở Giáo dục và Đào tạo", ATTACHED, "SGDDT", "Mã Thị Phương"),
    e("KBNN", "Đảng bộ Kho bạc Nhà nước tỉnh", COMMITTEE, "DUK", "Dương Văn Long"),
    e("KBNN-VP", "Chi bộ Văn phòng Kho bạc Nhà nước tỉnh", ATTACHED, "KBNN", "Tô Thị Hạnh"),
    e("KBNN-KSC", "Chi bộ Phòng Kiểm soát chi Kho bạc Nhà nước tỉnh", ATTACHED, "KBNN", "Lý Văn Cường"),
    e("KBNN-KTNN", "Chi bộ Phòng Kế toán nhà nước Kho bạc Nhà nước tỉnh", ATTACHED, "KBNN", "Phạm Thị Hương Giang"),
    e("CT", "Đảng bộ Cục Thuế tỉnh", COMMITTEE, "DUK", "Vy Văn Thành"),
    e("CT-VP", "Chi bộ Văn phòng Cục Thuế tỉnh", ATTACHED, "CT", "Hoàng Thị Kim Oanh"),
    e("CT-KK", "Chi bộ Phòng Kê khai và Kế toán thuế Cục Thuế tỉnh", ATTACHED, "CT", "Trần Minh Đức"),
    e("CT-TTHT", "Chi bộ Phòng Tuyên truyền – Hỗ trợ người nộp thuế Cục Thuế tỉnh", ATTACHED, "CT", "Nông Văn Hải"),
    e("BLS", "Đảng bộ Báo Lạng Sơn", COMMITTEE, "DUK", "La Văn Toàn"),
    e("BLS-TS", "Chi bộ Phòng Thời sự Báo Lạng Sơn", ATTACHED, "BLS", "Hứa Thị Ngân"),
    e("BLS-DT", "Chi bộ Phòng Báo điện tử Báo Lạng Sơn", ATTACHED, "BLS", "Lương Đức Anh"),
    e("SNN", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", COMMITTEE, "DUK", "Hoàng Văn Phúc"),
    e("SNN-VP", "Chi bộ Văn phòng Sở Nông nghiệp và Phát triển nông thôn", ATTACHED, "SNN", "Vi Thị Dung"),
    e("SNN-TL", "Chi bộ Chi cục Thủy lợi", ATTACHED, "SNN", "Lộc Văn Khải"),
    e("SKHDT", "Đảng bộ Sở Kế hoạch và Đầu tư", COMMITTEE, "DUK", "Nguyễn Thị Thanh Hòa"),
    e("SKHDT-VP", "Chi bộ Văn phòng Sở Kế hoạch và Đầu tư", ATTACHED, "SKHDT", "Đặng Văn Tú"),
    e("SKHDT-DKKD", "Chi bộ Phòng Đăng ký kinh doanh Sở Kế hoạch và Đầu tư", ATTACHED, "SKHDT", "Triệu Thị Yến"),
    // Grassroots cells.
    e("STP", "Chi bộ Sở Tư pháp", CELL, "DUK", "Lăng Văn Quý"),
    e("SNV", "Chi bộ Sở Nội vụ", CELL, "DUK", "Hà Văn Chiến"),
    e("STTTT", "Chi bộ Sở Thông tin và Truyền thông", CELL, "DUK", "Nguyễn Hữu Thịnh"),
    e("SCT", "Chi bộ Sở Công Thương", CELL, "DUK", "Bế Văn Lâm"),
    e("SKHCN", "Chi bộ Sở Khoa học và Công nghệ", CELL, "DUK", "Hoàng Thị Lệ"),
    e("STNMT", "Chi bộ Sở Tài nguyên và Môi trường", CELL, "DUK", "Chu Đình Nam"),
    e("SLDTBXH", "Chi bộ Sở Lao động – Thương binh và Xã hội", CELL, "DUK", "Lương Thị Hằng"),
    e("TTR", "Chi bộ Thanh tra tỉnh", CELL, "DUK", "Đinh Văn Kiên"),
    e("SVHTTDL", "Chi bộ Sở Văn hóa, Thể thao và Du lịch", CELL, "DUK", "Mông Thị Huệ"),
    e("BDT", "Chi bộ Ban Dân tộc tỉnh", CELL, "DUK", "Nông Văn Thái"),
    e("SXD", "Chi bộ Sở Xây dựng", CELL, "DUK", "Phùng Văn Lợi"),
    e("SGTVT", "Chi bộ Sở Giao thông vận tải", CELL, "DUK", "Tạ Quang Vinh"),
    // Attached socio-political organisations.
    e("DTN-KHOI", "Đoàn Thanh niên Khối các cơ quan tỉnh", MASS, "DUK", "Hoàng Tuấn Anh"),
    e("CDVC", "Công đoàn Viên chức tỉnh", MASS, "DUK", "Lý Thị Thu"),
    e("CCB-KHOI", "Hội Cựu chiến binh Khối các cơ quan tỉnh", MASS, "DUK", "Vi Văn Định"),
    e("PN-KHOI", "Hội Liên hiệp Phụ nữ Khối các cơ quan tỉnh", MASS, "DUK", "Hoàng Thị Thúy"),
    // A second bloc, only there so that scope between blocs can be tested.
    u("DUK-DN", "Đảng ủy Khối Doanh nghiệp tỉnh", BLOC, Some("TU-LS"), false, "Nguyễn Thị Bích Ngọc"),
    e("DL-LS", "Đảng bộ Công ty Điện lực Lạng Sơn", COMMITTEE, "DUK-DN", "Hoàng Minh Tuấn"),
    e("AGRI-LS", "Đảng bộ Agribank Chi nhánh tỉnh Lạng Sơn", COMMITTEE, "DUK-DN", "Lương Văn Nghĩa"),
    e("CTN-LS", "Chi bộ Công ty Cổ phần Cấp thoát nước Lạng Sơn", CELL, "DUK-DN", "Vi Thị Hoa"),
    e("DTN-KDN", "Đoàn Thanh niên Khối Doanh nghiệp tỉnh", MASS, "DUK-DN", "Nông Đức Trí"),
];

/// The organisation tree; parents are always listed before their children.
pub fn units() -> &'static [DemoUnit] {
    &UNITS
}

// ---------------------------------------------------------------------------------------------
// Initiatives: hand-written plan for 2022
// ---------------------------------------------------------------------------------------------

/// One planned initiative. Money in thousands of đồng; `actual_k` is used only when completed.
/// `text` is `[title, how it was done, outcome]`, where the outcome is the result for a
/// completed initiative, the progress for one in progress, the situation for a registered one
/// and the reason for a cancelled one.
struct Plan {
    unit: &'static str,
    kind: &'static str,
    field: &'static str,
    status: &'static str,
    est_k: i64,
    actual_k: i64,
    text: [&'static str; 3],
}

const fn p(
    unit: &'static str,
    kind: &'static str,
    field: &'static str,
    status: &'static str,
    money_k: (i64, i64),
    text: [&'static str; 3],
) -> Plan {
    Plan {
        unit,
        kind,
        field,
        status,
        est_k: money_k.0,
        actual_k: money_k.1,
        text,
    }
}

/// Bloc DUK, 2022: 94 initiatives, 61 completed, completed value 6.012.500.000 đ.
#[rustfmt::skip]
static PLAN_2022: [Plan; 94] = [
    // --- Đảng bộ Sở Tài chính
    p("STC", W, ASXH, DONE, (700_000, 690_000), [
        "Hỗ trợ xây dựng nhà văn hóa thôn tại xã Hữu Liên, huyện Hữu Lũng",
        "Đảng ủy vận động cán bộ, đảng viên, người lao động đóng góp kinh phí, kết hợp nguồn xã hội hóa từ doanh nghiệp; phối hợp với cấp ủy, chính quyền xã giám sát thi công.",
        "Nhà văn hóa diện tích 120 m² được bàn giao đưa vào sử dụng, phục vụ sinh hoạt cộng đồng của hơn 80 hộ dân.",
    ]),
    p("STC", M, PRO, DONE, (15_000, 14_500), [
        "Mô hình “Thẩm tra quyết toán đúng hạn, không để tồn đọng hồ sơ”",
        "Phân công từng đảng viên phụ trách hồ sơ cụ thể, lập sổ theo dõi tiến độ và kiểm điểm tại sinh hoạt chi bộ hằng tháng.",
        "100% hồ sơ quyết toán dự án hoàn thành được thẩm tra đúng hạn, không còn hồ sơ tồn đọng quá hạn.",
    ]),
    p("STC", M, CCHC, DOING, (45_000, 0), [
        "Mô hình “Số hóa hồ sơ quản lý tài sản công”",
        "Rà soát, số hóa hồ sơ tài sản công của các cơ quan, đơn vị và cập nhật vào cơ sở dữ liệu quốc gia về tài sản công.",
        "Đã số hóa khoảng 70% hồ sơ, tiếp tục thực hiện trong năm 2023.",
    ]),
    // --- Chi bộ Văn phòng Sở Tài chính
    p("STC-VP", M, VHCS, DONE, (25_000, 24_000), [
        "Mô hình “Công sở sáng – xanh – sạch – đẹp, văn minh, thân thiện”",
        "Chi bộ phân công đảng viên phụ trách từng khu vực, duy trì tổng vệ sinh chiều thứ Sáu hằng tuần và chăm sóc cây xanh trong khuôn viên.",
        "Khuôn viên cơ quan luôn xanh, sạch; 100% cán bộ thực hiện đúng quy tắc ứng xử văn hóa công sở.",
    ]),
    p("STC-VP", M, CCHC, DONE, (12_000, 11_500), [
        "Mô hình “Văn phòng không giấy tờ”",
        "Xử lý văn bản trên phần mềm quản lý văn bản và điều hành, sử dụng chữ ký số cho toàn bộ văn bản đi.",
        "98% văn bản đi được ký số và phát hành điện tử, giảm rõ rệt chi phí văn phòng phẩm, in ấn.",
    ]),
    // --- Chi bộ Phòng Quản lý ngân sách
    p("STC-NS", M, PRO, DONE, (8_000, 8_000), [
        "Mô hình “Tham mưu quyết toán ngân sách chính xác, kịp thời”",
        "Xây dựng quy trình phối hợp với các sở, ngành trong tổng hợp, thẩm định quyết toán; mỗi đảng viên đăng ký một chỉ tiêu chất lượng tham mưu.",
        "Báo cáo quyết toán ngân sách địa phương năm 2021 trình Hội đồng nhân dân tỉnh đúng thời hạn, số liệu khớp đúng.",
    ]),
    p("STC-NS", M, KHAC, DOING, (3_000, 0), [
        "Mô hình “Mỗi đảng viên một việc làm theo Bác”",
        "Mỗi đảng viên đăng ký một việc làm cụ thể gắn với nhiệm vụ được giao, chi bộ đánh giá kết quả hằng quý.",
        "Đã đánh giá 3 quý, tiếp tục duy trì và tổng kết vào quý I/2023.",
    ]),
    // --- Chi bộ Phòng Quản lý giá và công sản
    p("STC-GCS", M, PRO, DONE, (6_000, 5_500), [
        "Mô hình “Thẩm định phương án giá minh bạch, đúng quy định”",
        "Công khai quy trình, thời hạn thẩm định phương án giá trên trang thông tin điện tử của Sở và lấy ý kiến phản hồi của tổ chức, doanh nghiệp.",
        "Thẩm định 45 phương án giá đúng thời hạn, không có khiếu nại.",
    ]),
    // --- Đảng bộ Sở Y tế
    p("SYT", W, ASXH, DONE, (760_000, 745_000), [
        "Cải tạo, trang bị phòng khám tại Trạm Y tế xã Mẫu Sơn, huyện Lộc Bình",
        "Đảng ủy vận động cán bộ, đảng viên ngành y tế và các nhà hảo tâm ủng hộ kinh phí; phối hợp Trung tâm Y tế huyện Lộc Bình tổ chức thi công, mua sắm trang thiết bị.",
        "Phòng khám được cải tạo, trang bị máy siêu âm, máy điện tim, phục vụ khám, chữa bệnh cho gần 3.000 người dân vùng cao.",
    ]),
    p("SYT", M, PVND, DONE, (30_000, 28_500), [
        "Mô hình “Thay đổi phong cách, thái độ phục vụ của cán bộ y tế hướng tới sự hài lòng của người bệnh”",
        "Duy trì đường dây nóng, khảo sát sự hài lòng của người bệnh hằng quý tại các cơ sở khám, chữa bệnh trực thuộc và kịp thời chấn chỉnh những biểu hiện gây phiền hà.",
        "Tỷ lệ người bệnh hài lòng đạt 95,2%, tăng 3,1% so với năm 2021.",
    ]),
    p("SYT", M, PRO, DOING, (50_000, 0), [
        "Mô hình “Hồ sơ sức khỏe điện tử cho mọi người dân”",
        "Phối hợp với trạm y tế xã, phường lập và cập nhật hồ sơ sức khỏe điện tử cho người dân.",
        "Đã lập hồ sơ cho 62% dân số, tiếp tục triển khai tại các xã vùng cao.",
    ]),
    // --- Chi bộ Văn phòng Sở Y tế
    p("SYT-VP", M, CCHC, DONE, (18_000, 17_000), [
        "Mô hình “Giải quyết thủ tục hành chính lĩnh vực y tế trên môi trường mạng”",
        "Đưa các thủ tục cấp chứng chỉ hành nghề, giấy phép hoạt động lên dịch vụ công trực tuyến, hướng dẫn tổ chức, cá nhân nộp hồ sơ qua mạng.",
        "Tiếp nhận, giải quyết 1.120 hồ sơ, 100% trả đúng hạn; tỷ lệ hồ sơ nộp trực tuyến đạt 68%.",
    ]),
    p("SYT-VP", M, VHCS, DOING, (15_000, 0), [
        "Mô hình “Cơ quan xanh – sạch – đẹp, không khói thuốc lá”",
        "Bố trí khu vực cây xanh, treo biển không hút thuốc lá, xây dựng quy định và kiểm tra việc thực hiện hằng tháng.",
        "Đã bố trí cây xanh và biển báo, đang hoàn thiện hồ sơ đề nghị công nhận cơ quan không khói thuốc.",
    ]),
    // --- Chi bộ Phòng Nghiệp vụ Y
    p("SYT-NVY", M, PRO, DONE, (20_000, 19_500), [
        "Mô hình “Kiểm tra chuyên môn gắn với cầm tay chỉ việc cho y tế tuyến cơ sở”",
        "Đảng viên của chi bộ trực tiếp kiểm tra, hướng dẫn chuyên môn tại các trung tâm y tế huyện, chú trọng quy chế chuyên môn và kê đơn thuốc.",
        "Kiểm tra 11/11 trung tâm y tế huyện, thành phố; chấn chỉnh kịp thời 27 nội dung tồn tại về chuyên môn.",
    ]),
    p("SYT-NVY", M, PVND, DOING, (40_000, 0), [
        "Mô hình “Khám sàng lọc bệnh không lây nhiễm cho người cao tuổi”",
        "Phối hợp với trạm y tế xã tổ chức khám sàng lọc tăng huyết áp, đái tháo đường cho người cao tuổi tại các xã khó khăn.",
        "Đã khám sàng lọc cho 1.850 người tại 6 xã, tiếp tục mở rộng sang các xã còn lại.",
    ]),
    // --- Chi bộ Phòng Kế hoạch – Tài chính Sở Y tế
    p("SYT-KHTC", M, PRO, DONE, (10_000, 10_000), [
        "Mô hình “Công khai, minh bạch trong mua sắm trang thiết bị y tế”",
        "Công khai kế hoạch, kết quả lựa chọn nhà thầu trên Hệ thống mạng đấu thầu quốc gia; đảng viên phụ trách chịu trách nhiệm đến cùng với từng gói thầu.",
        "100% gói thầu được tổ chức qua mạng, tiết kiệm 4,6% so với giá gói thầu được duyệt.",
    ]),
    // --- Đảng bộ Sở Giáo dục và Đào tạo
    p("SGDDT", W, ASXH, DONE, (490_000, 480_000), [
        "Xây dựng phòng đọc “Tủ sách Bác Hồ” tại Trường Phổ thông dân tộc bán trú THCS xã Kiên Mộc, huyện Đình Lập",
        "Vận động cán bộ, giáo viên toàn ngành ủng hộ, kết hợp nguồn tài trợ của doanh nghiệp để cải tạo phòng học cũ thành phòng đọc, bổ sung sách, báo.",
        "Phòng đọc với hơn 2.500 đầu sách phục vụ 320 học sinh bán trú.",
    ]),
    p("SGDDT", M, PRO, DONE, (35_000, 33_000), [
        "Mô hình “Nâng cao chất lượng giáo dục vùng khó khăn”",
        "Phân công đảng viên theo dõi, hỗ trợ chuyên môn các trường thuộc huyện Đình Lập, Bình Gia; tổ chức bồi dưỡng giáo viên theo chuyên đề.",
        "Tỷ lệ học sinh vùng khó khăn tốt nghiệp THPT đạt 97,4%, tăng 2,6% so với năm học trước.",
    ]),
    p("SGDDT", M, CCHC, DOING, (48_000, 0), [
        "Mô hình “Tuyển sinh đầu cấp trực tuyến”",
        "Xây dựng quy trình, hướng dẫn các trường tuyển sinh lớp 1, lớp 6, lớp 10 qua hệ thống trực tuyến.",
        "Đã thí điểm tại thành phố Lạng Sơn, chuẩn bị nhân rộng toàn tỉnh.",
    ]),
    // --- Chi bộ Văn phòng Sở Giáo dục và Đào tạo
    p("SGDDT-VP", M, CCHC, DONE, (9_000, 8_500), [
        "Mô hình “Một cửa thân thiện trong cấp bản sao văn bằng, chứng chỉ”",
        "Niêm yết công khai thủ tục, bố trí đảng viên trực bộ phận một cửa và trả kết quả qua dịch vụ bưu chính công ích.",
        "Giải quyết 2.340 hồ sơ cấp bản sao văn bằng, chứng chỉ, không có hồ sơ trễ hạn.",
    ]),
    p("SGDDT-VP", M, VHCS, DOING, (12_000, 0), [
        "Mô hình “Văn phòng xanh”",
        "Trồng cây xanh trong phòng làm việc, phân loại rác tại nguồn, hạn chế sử dụng đồ nhựa dùng một lần.",
        "Đã triển khai tại 6/9 phòng, tiếp tục hoàn thiện.",
    ]),
    // --- Chi bộ Phòng Giáo dục Trung học
    p("SGDDT-GDTH", M, PRO, DONE, (14_000, 13_500), [
        "Mô hình “Sinh hoạt chuyên môn theo nghiên cứu bài học”",
        "Đảng viên trực tiếp dự giờ, hướng dẫn các tổ chuyên môn đổi mới sinh hoạt theo hướng nghiên cứu bài học.",
        "Triển khai tại 28 trường THPT; 100% tổ chuyên môn đổi mới hình thức sinh hoạt.",
    ]),
    p("SGDDT-GDTH", M, PRO, CANC, (20_000, 0), [
        "Mô hình “Câu lạc bộ học sinh nghiên cứu khoa học liên trường”",
        "Thành lập câu lạc bộ học sinh nghiên cứu khoa học kết nối các trường THPT chuyên và không chuyên.",
        "Điều chỉnh kế hoạch năm học khi triển khai chương trình giáo dục phổ thông mới, chuyển sang thực hiện năm 2023.",
    ]),
    // --- Chi bộ Phòng Kế hoạch – Tài chính Sở Giáo dục và Đào tạo
    p("SGDDT-KHTC", M, PRO, DONE, (7_000, 6_500), [
        "Mô hình “Thẩm định quyết toán đúng hạn cho các đơn vị trường học”",
        "Lập lịch thẩm định theo từng đơn vị, thông báo kết quả thẩm định qua hệ thống thư điện tử công vụ.",
        "Quyết toán năm 2021 của 42 đơn vị hoàn thành trước thời hạn 15 ngày.",
    ]),
    // --- Đảng bộ Kho bạc Nhà nước tỉnh
    p("KBNN", W, ASXH, DONE, (255_000, 255_000), [
        "Xây dựng 03 Nhà Đại đoàn kết tặng hộ nghèo xã Thiện Thuật, huyện Bình Gia",
        "Đảng ủy phát động cán bộ, công chức Kho bạc Nhà nước tỉnh ủng hộ ngày lương, phối hợp Ủy ban Mặt trận Tổ quốc huyện lựa chọn hộ được hỗ trợ.",
        "03 ngôi nhà được bàn giao đúng kế hoạch, giúp các hộ yên tâm lao động sản xuất, vươn lên thoát nghèo.",
    ]),
    p("KBNN", M, CCHC, DONE, (20_000, 19_000), [
        "Mô hình “Kho bạc số – kiểm soát chi điện tử”",
        "Hướng dẫn các đơn vị sử dụng ngân sách giao dịch qua dịch vụ công trực tuyến của Kho bạc; đảng viên hỗ trợ trực tiếp khi đơn vị gặp vướng mắc.",
        "100% đơn vị giao dịch tham gia dịch vụ công trực tuyến; thời gian kiểm soát chi rút ngắn còn 1 ngày làm việc.",
    ]),
    p("KBNN", M, PRO, DOING, (5_000, 0), [
        "Mô hình “Đảng viên gương mẫu – cán bộ kho bạc tận tụy”",
        "Xây dựng tiêu chí cụ thể về tác phong, thái độ giao tiếp với khách hàng; đánh giá, xếp loại gắn với kết quả thi đua.",
        "Đang lấy ý kiến khách hàng để sơ kết, dự kiến tổng kết vào quý I/2023.",
    ]),
    // --- Chi bộ Văn phòng Kho bạc
    p("KBNN-VP", M, VHCS, DONE, (22_000, 21_500), [
        "Mô hình “Nét đẹp văn hóa công sở Kho bạc”",
        "Ban hành bộ quy tắc ứng xử, bố trí cây xanh, bảng biển chỉ dẫn; đảng viên đi đầu thực hiện quy định về trang phục, giờ giấc.",
        "Cơ quan được công nhận đạt chuẩn văn hóa năm 2022.",
    ]),
    p("KBNN-VP", M, KHAC, DOING, (2_000, 0), [
        "Mô hình “Chi bộ học tập suốt đời”",
        "Mỗi tháng tổ chức một chuyên đề học tập, chia sẻ kinh nghiệm trong sinh hoạt chi bộ.",
        "Đã tổ chức 8 chuyên đề, tiếp tục thực hiện.",
    ]),
    // --- Chi bộ Phòng Kiểm soát chi
    p("KBNN-KSC", M, PRO, DONE, (6_000, 6_000), [
        "Mô hình “Kiểm soát chi chặt chẽ, đúng hạn, không phiền hà”",
        "Niêm yết quy trình, thời hạn giải quyết, áp dụng phiếu giao nhận hồ sơ điện tử; trường hợp từ chối thanh toán có văn bản nêu rõ lý do.",
        "Kiểm soát hơn 18.000 hồ sơ, không có hồ sơ quá hạn; từ chối thanh toán 1,2 tỷ đồng chi sai chế độ.",
    ]),
    p("KBNN-KSC", M, PVND, DONE, (10_000, 9_000), [
        "Mô hình “Đồng hành cùng chủ đầu tư giải ngân vốn đầu tư công”",
        "Phân công đảng viên theo dõi từng dự án trọng điểm, chủ động hướng dẫn chủ đầu tư hoàn thiện hồ sơ thanh toán.",
        "Giải ngân vốn đầu tư công đạt 98,6% kế hoạch.",
    ]),
    // --- Chi bộ Phòng Kế toán nhà nước
    p("KBNN-KTNN", M, PRO, DONE, (5_000, 4_500), [
        "Mô hình “Báo cáo tài chính nhà nước đúng hạn, chính xác”",
        "Lập lịch tổng hợp, đối chiếu số liệu với các đơn vị; chi bộ tổ chức kiểm tra chéo trước khi gửi báo cáo.",
        "Báo cáo tài chính nhà nước tỉnh năm 2021 hoàn thành đúng hạn, số liệu chính xác.",
    ]),
    // --- Đảng bộ Cục Thuế tỉnh
    p("CT", W, ASXH, DONE, (800_000, 790_000), [
        "Bê tông hóa 1,2 km đường giao thông nông thôn tại xã Đào Viên, huyện Tràng Định",
        "Đảng ủy vận động cán bộ, công chức, người lao động ngành thuế và doanh nghiệp trên địa bàn ủng hộ; Nhân dân hiến đất, góp ngày công.",
        "Tuyến đường hoàn thành, giúp hơn 150 hộ dân đi lại, vận chuyển nông sản thuận lợi.",
    ]),
    p("CT", M, PVND, DONE, (40_000, 38_000), [
        "Mô hình “Đối thoại với người nộp thuế – lắng nghe để phục vụ tốt hơn”",
        "Tổ chức hội nghị đối thoại định kỳ theo từng nhóm doanh nghiệp, trả lời vướng mắc trong 5 ngày làm việc.",
        "Tổ chức 12 cuộc đối thoại với gần 900 lượt doanh nghiệp; giải đáp 100% kiến nghị.",
    ]),
    p("CT", M, CCHC, DOING, (35_000, 0), [
        "Mô hình “Hóa đơn điện tử có mã của cơ quan thuế cho mọi người nộp thuế”",
        "Hỗ trợ doanh nghiệp, hộ kinh doanh chuyển đổi sang hóa đơn điện tử có mã của cơ quan thuế.",
        "Đã chuyển đổi 99,3% doanh nghiệp, đang tiếp tục hỗ trợ hộ kinh doanh.",
    ]),
    // --- Chi bộ Văn phòng Cục Thuế
    p("CT-VP", M, VHCS, DONE, (30_000, 29_000), [
        "Mô hình “Cơ quan thuế văn minh, xanh, sạch, đẹp”",
        "Cải tạo khu vực tiếp người nộp thuế, trồng cây xanh và tổng vệ sinh hằng tuần.",
        "Khu vực làm việc khang trang, sạch đẹp, được người nộp thuế đánh giá tích cực.",
    ]),
    p("CT-VP", M, KHAC, REG, (0, 0), [
        "Mô hình “Sổ tay đảng viên điện tử trong sinh hoạt chi bộ”",
        "Sử dụng ứng dụng Sổ tay đảng viên điện tử để gửi tài liệu, thông báo lịch sinh hoạt chi bộ.",
        "Chờ hướng dẫn triển khai ứng dụng của cấp trên.",
    ]),
    // --- Chi bộ Phòng Kê khai và Kế toán thuế
    p("CT-KK", M, PRO, DONE, (10_000, 10_000), [
        "Mô hình “Quản lý nợ thuế theo từng đảng viên phụ trách”",
        "Phân công từng đảng viên theo dõi, đôn đốc nhóm người nộp thuế còn nợ và báo cáo tiến độ tại sinh hoạt chi bộ hằng tháng.",
        "Thu hồi 86,5 tỷ đồng nợ thuế, giảm 18% tổng nợ so với đầu năm.",
    ]),
    p("CT-KK", M, CCHC, DOING, (8_000, 0), [
        "Mô hình “Hoàn thuế điện tử nhanh, đúng”",
        "Giải quyết hồ sơ hoàn thuế trên hệ thống điện tử, rút ngắn thời gian xử lý.",
        "Đã giải quyết 95% hồ sơ trước hạn, tiếp tục hoàn thiện quy trình.",
    ]),
    // --- Chi bộ Phòng Tuyên truyền – Hỗ trợ người nộp thuế
    p("CT-TTHT", M, PVND, DONE, (12_000, 11_000), [
        "Mô hình “Tư vấn thuế qua tổng đài và mạng xã hội”",
        "Lập nhóm Zalo, trang fanpage hỗ trợ người nộp thuế, phân công đảng viên trả lời trong ngày.",
        "Giải đáp hơn 6.500 câu hỏi của người nộp thuế, 100% được trả lời trong ngày làm việc.",
    ]),
    p("CT-TTHT", M, CCHC, DONE, (15_000, 15_500), [
        "Mô hình “Hỗ trợ hộ kinh doanh kê khai, nộp thuế điện tử”",
        "Tổ chức các lớp tập huấn tại chỗ, phát tờ rơi hướng dẫn kê khai, nộp thuế điện tử.",
        "Hơn 2.100 hộ kinh doanh chuyển sang nộp thuế điện tử.",
    ]),
    // --- Đảng bộ Báo Lạng Sơn
    p("BLS", W, VHCS, DONE, (220_000, 215_000), [
        "Cải tạo khuôn viên, trồng cây xanh và xây dựng “Góc học tập và làm theo Bác” tại trụ sở Báo Lạng Sơn",
        "Đảng ủy huy động quỹ phúc lợi và đóng góp tự nguyện của cán bộ, phóng viên; tự thiết kế, trưng bày tư liệu về Bác.",
        "Khuôn viên xanh – sạch – đẹp; góc trưng bày trở thành nơi sinh hoạt chuyên đề của các chi bộ.",
    ]),
    p("BLS", M, PRO, DONE, (48_000, 46_000), [
        "Mở chuyên mục “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” trên Báo Lạng Sơn",
        "Phân công phóng viên là đảng viên phụ trách chuyên mục, phối hợp với các cấp ủy phát hiện gương điển hình.",
        "Đăng tải 96 tin, bài, phóng sự về gương người tốt, việc tốt.",
    ]),
    p("BLS", M, CCHC, DOING, (50_000, 0), [
        "Mô hình “Tòa soạn hội tụ – chuyển đổi số báo chí”",
        "Ứng dụng phần mềm quản lý tòa soạn điện tử, xuất bản đa nền tảng.",
        "Đã vận hành phần mềm, đang đào tạo phóng viên, biên tập viên sử dụng.",
    ]),
    // --- Chi bộ Phòng Thời sự
    p("BLS-TS", M, PRO, DONE, (16_000, 15_000), [
        "Mô hình “Mỗi phóng viên một tác phẩm về gương người tốt, việc tốt”",
        "Mỗi phóng viên là đảng viên đăng ký ít nhất một tác phẩm mỗi quý về điển hình tiên tiến.",
        "Xuất bản 48 tác phẩm, trong đó 02 tác phẩm đoạt giải báo chí cấp tỉnh.",
    ]),
    p("BLS-TS", M, PVND, DOING, (6_000, 0), [
        "Mô hình “Đường dây nóng tiếp nhận phản ánh của bạn đọc”",
        "Công khai số điện thoại đường dây nóng, phân công phóng viên xác minh phản ánh.",
        "Đã tiếp nhận 140 phản ánh, đang xác minh và phản ánh tiếp.",
    ]),
    // --- Chi bộ Phòng Báo điện tử
    p("BLS-DT", M, PRO, DONE, (45_000, 44_000), [
        "Mô hình “Báo Lạng Sơn điện tử trên nền tảng di động”",
        "Phát triển ứng dụng đọc báo trên điện thoại, tối ưu giao diện cho bạn đọc vùng cao.",
        "Lượt truy cập tăng 35% so với năm 2021.",
    ]),
    p("BLS-DT", M, VHCS, CANC, (5_000, 0), [
        "Mô hình “Phòng làm việc không rác thải nhựa”",
        "Thay đồ nhựa dùng một lần bằng bình, cốc thủy tinh; phân loại rác tại phòng làm việc.",
        "Sắp xếp, bố trí lại phòng làm việc nên điều chỉnh nội dung đăng ký.",
    ]),
    // --- Đảng bộ Sở Nông nghiệp và Phát triển nông thôn
    p("SNN", W, ASXH, DONE, (650_000, 640_000), [
        "Xây dựng công trình cấp nước sinh hoạt tập trung, bể chứa 50 m³ cho thôn vùng cao xã Vũ Lăng, huyện Bắc Sơn",
        "Đảng ủy phối hợp Trung tâm Nước sạch và Vệ sinh môi trường nông thôn khảo sát nguồn nước; cán bộ, đảng viên đóng góp kinh phí, Nhân dân góp ngày công.",
        "Công trình cung cấp nước sạch cho 65 hộ dân, chấm dứt tình trạng thiếu nước mùa khô.",
    ]),
    p("SNN", M, PVND, DONE, (30_000, 30_000), [
        "Mô hình “Cán bộ nông nghiệp đồng hành cùng nông dân”",
        "Cán bộ kỹ thuật là đảng viên trực tiếp hướng dẫn nông dân áp dụng quy trình sản xuất an toàn tại các vùng hồi, na, thạch đen.",
        "Hỗ trợ 12 hợp tác xã xây dựng sản phẩm OCOP, 05 sản phẩm đạt 3 sao.",
    ]),
    p("SNN", M, PRO, DOING, (25_000, 0), [
        "Mô hình “Cấp mã số vùng trồng phục vụ xuất khẩu”",
        "Hướng dẫn, thẩm định hồ sơ cấp mã số vùng trồng cho các loại cây ăn quả chủ lực.",
        "Đã cấp 36 mã số vùng trồng, tiếp tục thẩm định hồ sơ.",
    ]),
    // --- Chi bộ Văn phòng Sở Nông nghiệp và Phát triển nông thôn
    p("SNN-VP", M, CCHC, DONE, (8_000, 7_500), [
        "Mô hình “Giải quyết thủ tục hành chính lĩnh vực nông nghiệp đúng hạn, trước hạn”",
        "Rà soát quy trình nội bộ, phân công đảng viên theo dõi từng hồ sơ và nhắc việc qua phần mềm một cửa điện tử.",
        "100% hồ sơ được giải quyết đúng và trước hạn.",
    ]),
    p("SNN-VP", M, VHCS, DONE, (18_000, 17_500), [
        "Mô hình “Vườn cây đảng viên”",
        "Mỗi đảng viên nhận trồng và chăm sóc một cây xanh trong khuôn viên cơ quan.",
        "Trồng mới 60 cây xanh, khuôn viên cơ quan xanh mát.",
    ]),
    // --- Chi bộ Chi cục Thủy lợi
    p("SNN-TL", M, PRO, DOING, (20_000, 0), [
        "Mô hình “Vận hành an toàn hồ đập mùa mưa bão”",
        "Kiểm tra, đánh giá an toàn hồ đập trước mùa mưa, phân công đảng viên trực theo từng công trình.",
        "Đã kiểm tra 45/52 hồ đập, tiếp tục hoàn thiện phương án ứng phó.",
    ]),
    // --- Đảng bộ Sở Kế hoạch và Đầu tư
    p("SKHDT", W, VHCS, DONE, (150_000, 142_500), [
        "Chỉnh trang khuôn viên cơ quan, lắp đặt đèn năng lượng mặt trời và vườn cây xanh",
        "Sử dụng kinh phí tự chủ tiết kiệm được và đóng góp của cán bộ; đảng viên tham gia ngày công lao động.",
        "Khuôn viên cơ quan được chỉnh trang, tiết kiệm khoảng 20% chi phí điện chiếu sáng.",
    ]),
    p("SKHDT", M, PRO, DONE, (25_000, 24_000), [
        "Mô hình “Tham mưu cải thiện chỉ số năng lực cạnh tranh cấp tỉnh”",
        "Phân công từng đảng viên theo dõi một chỉ số thành phần, đề xuất giải pháp cải thiện với Ủy ban nhân dân tỉnh.",
        "Các chỉ số thành phần được phân công theo dõi đều có cải thiện so với năm 2021.",
    ]),
    p("SKHDT", M, CCHC, DOING, (10_000, 0), [
        "Mô hình “Thẩm định dự án đầu tư đúng hạn, trước hạn”",
        "Công khai quy trình thẩm định, phân công đảng viên theo dõi từng dự án.",
        "Đang triển khai, 90% hồ sơ đã thẩm định trước hạn.",
    ]),
    // --- Chi bộ Văn phòng Sở Kế hoạch và Đầu tư
    p("SKHDT-VP", M, VHCS, CANC, (5_000, 0), [
        "Mô hình “Vườn rau, cây xanh trên sân thượng cơ quan”",
        "Cải tạo sân thượng thành vườn rau, cây xanh do đảng viên chăm sóc.",
        "Cơ quan chuyển sang trụ sở làm việc mới nên điều chỉnh nội dung, đăng ký lại vào năm 2023.",
    ]),
    p("SKHDT-VP", M, PVND, DONE, (8_000, 8_000), [
        "Mô hình “Hỗ trợ nhà đầu tư tận tình, chu đáo”",
        "Bố trí đảng viên làm đầu mối hướng dẫn nhà đầu tư, theo dõi hồ sơ từ khi tiếp nhận đến khi trả kết quả.",
        "Hỗ trợ 54 nhà đầu tư, không có phản ánh tiêu cực.",
    ]),
    // --- Chi bộ Phòng Đăng ký kinh doanh
    p("SKHDT-DKKD", M, CCHC, DONE, (12_000, 12_000), [
        "Mô hình “Đăng ký doanh nghiệp qua mạng”",
        "Hướng dẫn tổ chức, cá nhân đăng ký doanh nghiệp trên Cổng thông tin quốc gia về đăng ký doanh nghiệp, hỗ trợ trực tiếp tại bộ phận một cửa.",
        "Tiếp nhận 1.650 hồ sơ qua mạng, 100% trả kết quả đúng hạn.",
    ]),
    p("SKHDT-DKKD", M, PVND, DOING, (6_000, 0), [
        "Mô hình “Tư vấn miễn phí thành lập doanh nghiệp cho thanh niên khởi nghiệp”",
        "Phối hợp Tỉnh đoàn tổ chức buổi tư vấn định kỳ cho thanh niên có ý tưởng khởi nghiệp.",
        "Đã tổ chức 4 buổi tư vấn, tiếp tục thực hiện.",
    ]),
    // --- Chi bộ Sở Tư pháp
    p("STP", W, ASXH, DONE, (110_000, 105_000), [
        "Xây dựng “Tủ sách pháp luật” và phòng đọc tại nhà văn hóa xã Tri Lễ, huyện Văn Quan",
        "Chi bộ vận động cán bộ, công chức ủng hộ kinh phí, sách, báo; phối hợp Ủy ban nhân dân xã cải tạo phòng đọc.",
        "Phòng đọc với hơn 1.200 đầu sách pháp luật, phục vụ người dân trong xã.",
    ]),
    p("STP", M, CCHC, DONE, (10_000, 9_500), [
        "Mô hình “Cấp phiếu lý lịch tư pháp trực tuyến”",
        "Hướng dẫn người dân nộp hồ sơ trực tuyến, trả kết quả qua dịch vụ bưu chính công ích.",
        "Tiếp nhận 3.200 hồ sơ trực tuyến, 100% trả kết quả đúng hạn.",
    ]),
    // --- Chi bộ Sở Nội vụ
    p("SNV", M, CCHC, DONE, (20_000, 20_000), [
        "Mô hình “Nâng cao chỉ số cải cách hành chính”",
        "Phân công đảng viên theo dõi từng tiêu chí thành phần, hướng dẫn các sở, ngành, địa phương khắc phục hạn chế.",
        "Chỉ số cải cách hành chính của tỉnh được cải thiện ở nhiều tiêu chí thành phần.",
    ]),
    p("SNV", M, PRO, DOING, (40_000, 0), [
        "Mô hình “Số hóa hồ sơ cán bộ, công chức, viên chức”",
        "Số hóa hồ sơ cán bộ, công chức, viên chức và cập nhật vào cơ sở dữ liệu quốc gia.",
        "Đã số hóa khoảng 70% hồ sơ, tiếp tục thực hiện.",
    ]),
    // --- Chi bộ Sở Thông tin và Truyền thông
    p("STTTT", M, CCHC, DONE, (35_000, 34_000), [
        "Mô hình “Tổ công nghệ số cộng đồng”",
        "Hướng dẫn thành lập và hỗ trợ tổ công nghệ số cộng đồng tại thôn, khối phố.",
        "Hơn 2.200 tổ công nghệ số cộng đồng được thành lập và đi vào hoạt động.",
    ]),
    p("STTTT", M, PVND, DONE, (15_000, 14_000), [
        "Mô hình “Hỗ trợ người dân sử dụng dịch vụ công trực tuyến”",
        "Đảng viên trực tại Trung tâm Phục vụ hành chính công, hướng dẫn người dân tạo tài khoản và nộp hồ sơ trực tuyến.",
        "Hỗ trợ hơn 4.000 lượt người dân sử dụng dịch vụ công trực tuyến.",
    ]),
    // --- Chi bộ Sở Công Thương
    p("SCT", W, ASXH, DONE, (330_000, 320_000), [
        "Lắp đặt hệ thống đèn chiếu sáng đường thôn bằng năng lượng mặt trời tại xã Công Sơn, huyện Cao Lộc",
        "Chi bộ vận động doanh nghiệp trong ngành tài trợ, đảng viên trực tiếp khảo sát, giám sát lắp đặt.",
        "Lắp đặt 90 đèn chiếu sáng trên 4,5 km đường thôn, bảo đảm an ninh trật tự và đi lại ban đêm.",
    ]),
    p("SCT", M, PVND, DOING, (30_000, 0), [
        "Mô hình “Hỗ trợ tiêu thụ nông sản qua sàn thương mại điện tử”",
        "Hướng dẫn hợp tác xã, hộ sản xuất đưa sản phẩm lên sàn thương mại điện tử.",
        "Đã đưa 45 sản phẩm lên sàn, tiếp tục hỗ trợ quảng bá.",
    ]),
    // --- Chi bộ Sở Khoa học và Công nghệ
    p("SKHCN", M, PRO, DONE, (45_000, 45_000), [
        "Mô hình “Ứng dụng tiến bộ khoa học kỹ thuật vào sản xuất nông nghiệp”",
        "Chuyển giao quy trình kỹ thuật nhân giống cây trồng cho hộ nông dân tại các huyện vùng cao.",
        "Hơn 300 hộ áp dụng, năng suất cây trồng tăng 10–15%.",
    ]),
    // --- Chi bộ Sở Tài nguyên và Môi trường
    p("STNMT", M, CCHC, DOING, (15_000, 0), [
        "Mô hình “Giải quyết thủ tục đất đai đúng hạn, không phiền hà”",
        "Rà soát, rút ngắn quy trình nội bộ giải quyết thủ tục đất đai, công khai tiến độ hồ sơ.",
        "Đang triển khai, đã giảm 40% hồ sơ trễ hạn so với năm 2021.",
    ]),
    p("STNMT", W, KHAC, REG, (120_000, 0), [
        "Công trình “Con đường xanh” – trồng 500 cây xanh trên tuyến đường vào xã Tam Gia, huyện Lộc Bình",
        "Phối hợp Ủy ban nhân dân xã lựa chọn tuyến đường, vận động đoàn viên, thanh niên tham gia trồng và chăm sóc cây.",
        "Đang hoàn thiện hồ sơ, chờ bố trí kinh phí.",
    ]),
    // --- Chi bộ Sở Lao động – Thương binh và Xã hội
    p("SLDTBXH", W, ASXH, DONE, (200_000, 195_000), [
        "Sửa chữa, nâng cấp nhà ở cho 02 gia đình chính sách tại xã Hoa Thám, huyện Bình Gia",
        "Chi bộ vận động cán bộ, công chức đóng góp, phối hợp với chính quyền xã tổ chức sửa chữa.",
        "02 gia đình chính sách có nhà ở kiên cố, ổn định cuộc sống.",
    ]),
    p("SLDTBXH", M, PVND, DONE, (10_000, 9_000), [
        "Mô hình “Chi trả trợ cấp ưu đãi người có công qua tài khoản”",
        "Hướng dẫn người có công mở tài khoản, phối hợp ngân hàng chi trả trợ cấp không dùng tiền mặt.",
        "Hơn 60% người có công nhận trợ cấp qua tài khoản, bảo đảm kịp thời, chính xác.",
    ]),
    p("SLDTBXH", M, PRO, DOING, (25_000, 0), [
        "Mô hình “Kết nối việc làm cho lao động nông thôn”",
        "Tổ chức phiên giao dịch việc làm lưu động tại các huyện.",
        "Đã tổ chức 6 phiên, tiếp tục thực hiện.",
    ]),
    // --- Chi bộ Thanh tra tỉnh
    p("TTR", M, PVND, DONE, (8_000, 7_500), [
        "Mô hình “Tiếp công dân, giải quyết đơn thư kịp thời, đúng pháp luật”",
        "Bố trí đảng viên có kinh nghiệm tiếp công dân, theo dõi, đôn đốc giải quyết từng đơn thư.",
        "100% đơn thư thuộc thẩm quyền được giải quyết đúng thời hạn.",
    ]),
    // --- Chi bộ Sở Văn hóa, Thể thao và Du lịch
    p("SVHTTDL", W, ASXH, DOING, (185_000, 0), [
        "Xây dựng “Không gian đọc” tại nhà văn hóa thôn xã Thụy Hùng, huyện Văn Lãng",
        "Vận động nguồn xã hội hóa cải tạo nhà văn hóa thôn, bổ sung tủ sách và trang thiết bị.",
        "Đã hoàn thành phần cải tạo, đang bổ sung sách và trang thiết bị.",
    ]),
    p("SVHTTDL", M, VHCS, DONE, (10_000, 10_000), [
        "Mô hình “Cơ quan văn hóa – cán bộ văn minh”",
        "Xây dựng quy tắc ứng xử, tổ chức ký cam kết thực hiện và đánh giá hằng tháng.",
        "Cơ quan được công nhận đạt chuẩn văn hóa năm 2022.",
    ]),
    // --- Chi bộ Ban Dân tộc tỉnh
    p("BDT", M, PVND, DONE, (20_000, 19_000), [
        "Mô hình “Đồng hành cùng người có uy tín trong đồng bào dân tộc thiểu số”",
        "Đảng viên phụ trách địa bàn thường xuyên gặp gỡ, nắm tình hình, phổ biến chính sách cho người có uy tín.",
        "Nắm bắt, kiến nghị giải quyết kịp thời 15 vụ việc phát sinh ở cơ sở.",
    ]),
    p("BDT", M, ASXH, DONE, (40_000, 42_000), [
        "Mô hình “Nâng bước em tới trường”",
        "Vận động cán bộ, công chức ủng hộ học bổng, đồ dùng học tập cho học sinh dân tộc thiểu số nghèo vượt khó.",
        "Trao 60 suất học bổng và đồ dùng học tập cho học sinh tại các xã đặc biệt khó khăn.",
    ]),
    // --- Chi bộ Sở Xây dựng
    p("SXD", W, ASXH, DOING, (780_000, 0), [
        "Xây dựng cầu dân sinh tại xã Hữu Kiên, huyện Chi Lăng",
        "Phối hợp chính quyền địa phương khảo sát, thiết kế; vận động doanh nghiệp xây dựng tài trợ kinh phí.",
        "Đã hoàn thành phần móng, mố cầu; tiếp tục thi công.",
    ]),
    // --- Chi bộ Sở Giao thông vận tải
    p("SGTVT", W, PVND, DOING, (210_000, 0), [
        "Lắp đặt gương cầu lồi, biển cảnh báo tại các điểm cua nguy hiểm trên tuyến đường tỉnh",
        "Khảo sát các điểm cua nguy hiểm, phối hợp đơn vị quản lý đường bộ lắp đặt.",
        "Đã lắp đặt tại 18/30 điểm, tiếp tục thực hiện.",
    ]),
    p("SGTVT", M, CCHC, DONE, (12_000, 11_500), [
        "Mô hình “Cấp đổi giấy phép lái xe trực tuyến”",
        "Hướng dẫn người dân nộp hồ sơ cấp đổi giấy phép lái xe qua dịch vụ công trực tuyến, nhận kết quả qua bưu điện.",
        "Tiếp nhận hơn 5.000 hồ sơ trực tuyến, 100% trả kết quả đúng hạn.",
    ]),
    // --- Đoàn Thanh niên Khối các cơ quan tỉnh
    p("DTN-KHOI", W, ASXH, DONE, (215_000, 210_000), [
        "Công trình thanh niên “Thắp sáng đường quê” tại xã Hoàng Việt, huyện Văn Lãng",
        "Đoàn viên, thanh niên khối cơ quan đóng góp kinh phí, ngày công, trực tiếp lắp đặt hệ thống đèn chiếu sáng.",
        "Lắp đặt 3 km đường điện chiếu sáng liên thôn, được Nhân dân đồng tình, đánh giá cao.",
    ]),
    p("DTN-KHOI", M, PVND, DONE, (10_000, 9_500), [
        "Mô hình “Tình nguyện viên hỗ trợ dịch vụ công trực tuyến”",
        "Đoàn viên thanh niên trực tại bộ phận một cửa, hướng dẫn người dân thực hiện thủ tục trực tuyến.",
        "Hỗ trợ gần 3.000 lượt người dân thực hiện thủ tục hành chính trực tuyến.",
    ]),
    p("DTN-KHOI", W, ASXH, CANC, (150_000, 0), [
        "Xây dựng sân chơi cho trẻ em tại điểm trường xã Châu Sơn, huyện Đình Lập",
        "Vận động nhà tài trợ, đoàn viên thanh niên góp ngày công xây dựng sân chơi.",
        "Nhà tài trợ chưa bố trí được kinh phí, chuyển sang thực hiện năm 2023.",
    ]),
    p("DTN-KHOI", M, KHAC, DOING, (5_000, 0), [
        "Mô hình “Chi đoàn số – tuyên truyền trên không gian mạng”",
        "Xây dựng trang fanpage của Đoàn khối, mỗi đoàn viên chia sẻ thông tin tích cực trên mạng xã hội.",
        "Đã thu hút hơn 5.000 lượt theo dõi, tiếp tục duy trì.",
    ]),
    // --- Công đoàn Viên chức tỉnh
    p("CDVC", W, ASXH, DONE, (160_000, 160_000), [
        "Xây dựng 02 Mái ấm công đoàn tặng đoàn viên có hoàn cảnh khó khăn về nhà ở",
        "Vận động đoàn viên công đoàn đóng góp, kết hợp Quỹ Mái ấm công đoàn hỗ trợ xây nhà.",
        "02 ngôi nhà được khánh thành, bàn giao cho đoàn viên.",
    ]),
    p("CDVC", M, VHCS, DONE, (15_000, 14_500), [
        "Mô hình “Đoàn viên công đoàn thực hiện văn hóa công sở”",
        "Phát động phong trào thi đua thực hiện văn hóa công sở, đánh giá hằng quý.",
        "100% công đoàn cơ sở triển khai, nhiều tập thể được khen thưởng.",
    ]),
    p("CDVC", M, PVND, REG, (8_000, 0), [
        "Mô hình “Tư vấn pháp luật lao động cho đoàn viên”",
        "Tổ chức tư vấn pháp luật lao động trực tiếp và qua điện thoại cho đoàn viên công đoàn.",
        "Chưa triển khai, dự kiến phối hợp với Sở Tư pháp thực hiện trong năm 2023.",
    ]),
    // --- Hội Cựu chiến binh Khối
    p("CCB-KHOI", W, ASXH, DONE, (120_000, 115_000), [
        "Xây dựng Nhà Đại đoàn kết tặng hội viên cựu chiến binh nghèo tại xã Tân Tri, huyện Bắc Sơn",
        "Vận động hội viên cựu chiến binh trong khối ủng hộ kinh phí, phối hợp chính quyền xã thi công.",
        "Ngôi nhà được bàn giao, giúp gia đình hội viên ổn định cuộc sống.",
    ]),
    p("CCB-KHOI", M, KHAC, DONE, (5_000, 5_000), [
        "Mô hình “Cựu chiến binh gương mẫu, tham gia xây dựng Đảng”",
        "Hội viên cựu chiến binh tham gia góp ý xây dựng Đảng, đấu tranh phản bác các quan điểm sai trái.",
        "100% hội viên tham gia, nhiều ý kiến góp ý được tiếp thu.",
    ]),
    // --- Hội Liên hiệp Phụ nữ Khối
    p("PN-KHOI", W, ASXH, DONE, (135_000, 132_000), [
        "Công trình “Bể nước sạch cho điểm trường vùng cao” tại xã Bắc Xa, huyện Đình Lập",
        "Hội viên phụ nữ khối cơ quan đóng góp kinh phí, phối hợp nhà trường thi công bể chứa và hệ thống lọc nước.",
        "Điểm trường có nước sạch sử dụng quanh năm cho 120 học sinh.",
    ]),
    p("PN-KHOI", M, VHCS, REG, (6_000, 0), [
        "Mô hình “Phụ nữ khối cơ quan với văn hóa công sở”",
        "Phát động hội viên thực hiện trang phục, giao tiếp, ứng xử văn minh nơi công sở.",
        "Đang xây dựng kế hoạch, dự kiến triển khai từ quý I/2023.",
    ]),
];

/// Bloc DUK-DN, 2022: a handful of initiatives that must never leak into bloc DUK's figures.
#[rustfmt::skip]
static PLAN_DN_2022: [Plan; 5] = [
    p("DL-LS", W, ASXH, DONE, (800_000, 780_000), [
        "Công trình “Thắp sáng bản làng” – kéo điện lưới về 02 thôn chưa có điện tại xã Mẫu Sơn, huyện Lộc Bình",
        "Đảng ủy công ty huy động nguồn vốn, cán bộ, công nhân trực tiếp thi công đường dây và trạm biến áp.",
        "62 hộ dân được sử dụng điện lưới quốc gia.",
    ]),
    p("DL-LS", M, CCHC, DONE, (20_000, 20_000), [
        "Mô hình “Cấp điện trực tuyến, không cần đến trụ sở”",
        "Tiếp nhận yêu cầu cấp điện qua cổng dịch vụ công trực tuyến, khảo sát và ký hợp đồng điện tử.",
        "100% yêu cầu cấp điện được giải quyết trực tuyến đúng thời gian cam kết.",
    ]),
    p("AGRI-LS", M, PVND, DOING, (30_000, 0), [
        "Mô hình “Tín dụng xanh cho hộ nông dân”",
        "Cán bộ tín dụng là đảng viên trực tiếp xuống thôn, bản tư vấn vay vốn phát triển sản xuất.",
        "Đã giải ngân cho 240 hộ, tiếp tục mở rộng.",
    ]),
    p("CTN-LS", W, ASXH, DONE, (120_000, 118_000), [
        "Lắp đặt hệ thống lọc nước sạch cho Trường Tiểu học xã Tân Mỹ, huyện Văn Lãng",
        "Chi bộ vận động cán bộ, công nhân đóng góp, trực tiếp lắp đặt và bảo dưỡng hệ thống.",
        "Hơn 400 học sinh được sử dụng nước sạch.",
    ]),
    p("DTN-KDN", M, KHAC, REG, (10_000, 0), [
        "Mô hình “Thanh niên doanh nghiệp khởi nghiệp sáng tạo”",
        "Tổ chức cuộc thi ý tưởng khởi nghiệp cho đoàn viên thanh niên khối doanh nghiệp.",
        "Đang xây dựng thể lệ cuộc thi.",
    ]),
];

// ---------------------------------------------------------------------------------------------
// Initiatives: 2021, generated from idea pools
// ---------------------------------------------------------------------------------------------

/// Units of bloc DUK that did not register anything in 2021 (so coverage is below 100%).
const NOT_REGISTERED_2021: [&str; 5] = ["STC-GCS", "SKHCN", "TTR", "SNN-TL", "SXD"];

/// `[title, how, result when completed]`; `{place}` in a title is replaced by a commune.
type Idea = [&'static str; 3];

const PRO_MODELS: &[Idea] = &[
    [
        "Mô hình “Mỗi tháng một sáng kiến cải tiến quy trình công tác”",
        "Mỗi đảng viên đề xuất ít nhất một sáng kiến cải tiến quy trình xử lý công việc, chi bộ lựa chọn để áp dụng.",
        "Có 14 sáng kiến được áp dụng, rút ngắn thời gian xử lý công việc chuyên môn.",
    ],
    [
        "Mô hình “Đảng viên làm việc đúng hạn, không để tồn đọng hồ sơ”",
        "Lập sổ theo dõi tiến độ xử lý công việc của từng đảng viên, kiểm điểm tại sinh hoạt chi bộ hằng tháng.",
        "Không còn hồ sơ, văn bản tồn đọng quá hạn; chất lượng tham mưu được lãnh đạo đánh giá cao.",
    ],
    [
        "Mô hình “Chuyển đổi số trong hoạt động chuyên môn”",
        "Ứng dụng phần mềm quản lý công việc, chia sẻ dữ liệu dùng chung giữa các phòng chuyên môn.",
        "100% hồ sơ công việc được quản lý trên môi trường số.",
    ],
    [
        "Mô hình “Kèm cặp, bồi dưỡng cán bộ trẻ”",
        "Phân công đảng viên có kinh nghiệm kèm cặp cán bộ trẻ theo từng lĩnh vực chuyên môn.",
        "8 cán bộ trẻ được bồi dưỡng, đủ khả năng đảm nhiệm công việc độc lập.",
    ],
    [
        "Mô hình “Nói đi đôi với làm – hoàn thành nhiệm vụ được giao”",
        "Mỗi đảng viên công khai cam kết kết quả công việc, chi bộ đánh giá mức độ hoàn thành hằng quý.",
        "100% đảng viên hoàn thành nhiệm vụ, nhiều đảng viên hoàn thành xuất sắc.",
    ],
    [
        "Mô hình “Sinh hoạt chuyên đề gắn với nhiệm vụ chuyên môn”",
        "Mỗi quý sinh hoạt chi bộ một chuyên đề gắn với khâu yếu, việc khó trong chuyên môn.",
        "Tháo gỡ nhiều vướng mắc, chất lượng sinh hoạt chi bộ được nâng lên.",
    ],
    [
        "Mô hình “Thực hành tiết kiệm, chống lãng phí trong chi tiêu công”",
        "Sửa đổi quy chế chi tiêu nội bộ, công khai kết quả tiết kiệm hằng quý.",
        "Tiết kiệm 8% chi thường xuyên so với dự toán được giao.",
    ],
    [
        "Mô hình “Giám sát chuyên đề gắn với nhiệm vụ trọng tâm”",
        "Chi bộ xây dựng chương trình giám sát chuyên đề việc thực hiện nhiệm vụ trọng tâm của cơ quan.",
        "Kịp thời chấn chỉnh các hạn chế, không để xảy ra sai phạm.",
    ],
];

const CCHC_MODELS: &[Idea] = &[
    [
        "Mô hình “Dịch vụ công trực tuyến toàn trình”",
        "Rà soát, đưa các thủ tục đủ điều kiện lên cung cấp trực tuyến toàn trình, hướng dẫn người dân nộp hồ sơ qua mạng.",
        "Tỷ lệ hồ sơ nộp trực tuyến tăng lên 72%, 100% trả kết quả đúng hạn.",
    ],
    [
        "Mô hình “Ký số, phát hành văn bản điện tử”",
        "Cấp chữ ký số cho lãnh đạo, chuyên viên; phát hành văn bản đi hoàn toàn trên môi trường điện tử.",
        "99% văn bản đi được ký số, tiết kiệm đáng kể chi phí in ấn, gửi văn bản.",
    ],
    [
        "Mô hình “Cắt giảm thời gian giải quyết thủ tục hành chính”",
        "Rà soát quy trình nội bộ, đề xuất cắt giảm thời gian giải quyết thủ tục hành chính.",
        "Cắt giảm bình quân 30% thời gian giải quyết so với quy định.",
    ],
    [
        "Mô hình “Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính”",
        "Số hóa hồ sơ ngay khi tiếp nhận, lưu trữ kết quả giải quyết trên kho dữ liệu điện tử.",
        "100% hồ sơ tiếp nhận mới được số hóa, người dân không phải nộp lại giấy tờ đã có.",
    ],
    [
        "Mô hình “Không hẹn lần thứ hai”",
        "Hướng dẫn đầy đủ, một lần cho tổ chức, cá nhân khi tiếp nhận hồ sơ; công khai xin lỗi khi hồ sơ trễ hạn.",
        "Không có hồ sơ phải bổ sung lần thứ hai, không có phản ánh, kiến nghị.",
    ],
    [
        "Mô hình “Thanh toán phí, lệ phí không dùng tiền mặt”",
        "Niêm yết mã QR, hướng dẫn người dân nộp phí, lệ phí qua tài khoản và cổng thanh toán trực tuyến.",
        "Hơn 80% khoản phí, lệ phí được thanh toán không dùng tiền mặt.",
    ],
    [
        "Mô hình “Bộ phận một cửa thân thiện, chuyên nghiệp”",
        "Bố trí đảng viên trực bộ phận một cửa, niêm yết công khai thủ tục, lấy ý kiến đánh giá của người dân.",
        "Mức độ hài lòng của người dân đạt trên 98%.",
    ],
    [
        "Mô hình “Họp không giấy tờ”",
        "Tổ chức các cuộc họp trên hệ thống điện tử, tài liệu gửi qua phần mềm.",
        "Hơn 90% cuộc họp không sử dụng tài liệu giấy.",
    ],
];

const PVND_MODELS: &[Idea] = &[
    [
        "Mô hình “Lắng nghe và giải quyết kiến nghị của người dân, doanh nghiệp”",
        "Công khai kênh tiếp nhận kiến nghị, phân công đảng viên theo dõi, trả lời từng kiến nghị.",
        "100% kiến nghị được trả lời đúng hạn.",
    ],
    [
        "Mô hình “Đảng viên gương mẫu, tận tụy phục vụ Nhân dân”",
        "Xây dựng tiêu chí phục vụ Nhân dân cho từng vị trí việc làm, lấy ý kiến người dân để đánh giá đảng viên.",
        "Không có phản ánh tiêu cực về thái độ phục vụ của cán bộ, đảng viên.",
    ],
    [
        "Mô hình “Đường dây nóng – tiếp nhận và xử lý phản ánh trong ngày”",
        "Công khai số điện thoại đường dây nóng, phân công đảng viên trực và xử lý phản ánh trong ngày.",
        "Tiếp nhận, xử lý dứt điểm hơn 300 phản ánh.",
    ],
    [
        "Mô hình “Khảo sát sự hài lòng của người dân, doanh nghiệp”",
        "Khảo sát định kỳ bằng phiếu điện tử, công khai kết quả và giải pháp khắc phục.",
        "Chỉ số hài lòng tăng 4,5% so với năm 2020.",
    ],
    [
        "Mô hình “Cán bộ đi cơ sở, nắm bắt tâm tư, nguyện vọng của Nhân dân”",
        "Đảng viên định kỳ về cơ sở, dự sinh hoạt với người dân để nắm bắt tâm tư, nguyện vọng.",
        "Tổng hợp, kiến nghị giải quyết kịp thời nhiều vấn đề bức xúc ở cơ sở.",
    ],
    [
        "Mô hình “Ưu tiên người cao tuổi, người khuyết tật khi giao dịch”",
        "Bố trí quầy ưu tiên, hỗ trợ người cao tuổi, người khuyết tật làm thủ tục.",
        "Hỗ trợ hơn 1.000 lượt người cao tuổi, người khuyết tật.",
    ],
    [
        "Mô hình “Đồng hành cùng doanh nghiệp, hợp tác xã”",
        "Phân công đảng viên làm đầu mối hỗ trợ doanh nghiệp, hợp tác xã tháo gỡ khó khăn.",
        "Tháo gỡ vướng mắc cho 35 doanh nghiệp, hợp tác xã.",
    ],
];

const PVND_WORKS: &[Idea] = &[
    [
        "Lắp đặt biển báo, gương cầu lồi tại các điểm cua nguy hiểm trên đường vào {place}",
        "Khảo sát các điểm nguy hiểm, phối hợp chính quyền địa phương lắp đặt.",
        "Lắp đặt tại 12 điểm, góp phần giảm tai nạn giao thông.",
    ],
    [
        "Xây dựng nhà chờ xe khách tại {place}",
        "Vận động nguồn xã hội hóa, phối hợp chính quyền xã xây dựng nhà chờ.",
        "Nhà chờ được đưa vào sử dụng, thuận tiện cho người dân đi lại.",
    ],
    [
        "Cải tạo khu vực tiếp công dân, bố trí ghế chờ, nước uống miễn phí tại trụ sở cơ quan",
        "Sử dụng kinh phí tiết kiệm chi thường xuyên và đóng góp của cán bộ.",
        "Khu vực tiếp công dân khang trang, thuận tiện.",
    ],
];

const VHCS_MODELS: &[Idea] = &[
    [
        "Mô hình “Công sở sáng – xanh – sạch – đẹp”",
        "Phân công đảng viên phụ trách từng khu vực, duy trì tổng vệ sinh và chăm sóc cây xanh hằng tuần.",
        "Khuôn viên cơ quan luôn xanh, sạch, đẹp.",
    ],
    [
        "Mô hình “Nói không với rác thải nhựa tại công sở”",
        "Thay đồ nhựa dùng một lần bằng vật dụng thân thiện môi trường, phân loại rác tại nguồn.",
        "Cơ quan không sử dụng đồ nhựa dùng một lần trong các cuộc họp.",
    ],
    [
        "Mô hình “Văn hóa giao tiếp, ứng xử nơi công sở”",
        "Ban hành quy tắc ứng xử, đảng viên đi đầu thực hiện, đánh giá hằng tháng.",
        "100% cán bộ thực hiện nghiêm quy tắc ứng xử.",
    ],
    [
        "Mô hình “Ngày thứ Sáu xanh”",
        "Chiều thứ Sáu hằng tuần, toàn thể cán bộ tổng vệ sinh phòng làm việc, chăm sóc cây xanh.",
        "Môi trường làm việc sạch sẽ, thân thiện.",
    ],
    [
        "Mô hình “Cơ quan không khói thuốc lá”",
        "Treo biển cấm hút thuốc, xây dựng quy định và kiểm tra việc thực hiện.",
        "Cơ quan được công nhận đạt chuẩn không khói thuốc lá.",
    ],
    [
        "Mô hình “Góc thư viện trong cơ quan”",
        "Bố trí tủ sách chung, vận động cán bộ góp sách, luân chuyển sách hằng tháng.",
        "Tủ sách có hơn 500 đầu sách, thu hút đông đảo cán bộ đọc.",
    ],
];

const VHCS_WORKS: &[Idea] = &[
    [
        "Cải tạo khuôn viên, trồng cây xanh và thảm cỏ tại trụ sở cơ quan",
        "Huy động kinh phí tự chủ và ngày công của cán bộ, đảng viên.",
        "Khuôn viên cơ quan xanh, sạch, đẹp.",
    ],
    [
        "Lắp đặt hệ thống đèn năng lượng mặt trời trong khuôn viên cơ quan",
        "Sử dụng kinh phí tiết kiệm được, lựa chọn thiết bị tiết kiệm năng lượng.",
        "Tiết kiệm khoảng 20% chi phí điện chiếu sáng.",
    ],
    [
        "Xây dựng phòng truyền thống và “Góc học tập và làm theo Bác” tại trụ sở cơ quan",
        "Sưu tầm tư liệu, hiện vật; cán bộ, đảng viên đóng góp kinh phí và ngày công.",
        "Phòng truyền thống trở thành nơi sinh hoạt chuyên đề, giáo dục truyền thống.",
    ],
];

const ASXH_WORKS: &[Idea] = &[
    [
        "Xây dựng Nhà Đại đoàn kết tặng hộ nghèo tại {place}",
        "Vận động cán bộ, đảng viên ủng hộ ngày lương, phối hợp Mặt trận Tổ quốc huyện lựa chọn hộ được hỗ trợ.",
        "Ngôi nhà được bàn giao, giúp hộ nghèo ổn định cuộc sống.",
    ],
    [
        "Xây dựng phòng đọc sách cho học sinh tại {place}",
        "Vận động nguồn xã hội hóa cải tạo phòng học cũ, bổ sung sách, báo.",
        "Phòng đọc với hơn 1.500 đầu sách phục vụ học sinh.",
    ],
    [
        "Lắp đặt đèn chiếu sáng đường thôn tại {place}",
        "Cán bộ, đảng viên đóng góp kinh phí, Nhân dân góp ngày công lắp đặt.",
        "Hơn 2 km đường thôn được chiếu sáng, bảo đảm an ninh trật tự.",
    ],
    [
        "Xây dựng bể chứa nước sạch cho điểm trường tại {place}",
        "Phối hợp nhà trường khảo sát nguồn nước, thi công bể chứa và hệ thống lọc.",
        "Học sinh và giáo viên có nước sạch sử dụng quanh năm.",
    ],
    [
        "Bê tông hóa đường giao thông nông thôn tại {place}",
        "Vận động doanh nghiệp tài trợ xi măng, Nhân dân hiến đất, góp ngày công.",
        "Tuyến đường hoàn thành, người dân đi lại, vận chuyển nông sản thuận lợi.",
    ],
    [
        "Sửa chữa nhà văn hóa thôn tại {place}",
        "Phối hợp cấp ủy, chính quyền xã sửa chữa mái, nền và bổ sung trang thiết bị.",
        "Nhà văn hóa khang trang, phục vụ sinh hoạt cộng đồng.",
    ],
    [
        "Xây dựng nhà ở bán trú cho học sinh tại {place}",
        "Vận động nguồn xã hội hóa, phối hợp nhà trường xây dựng nhà ở bán trú.",
        "Hơn 60 học sinh có chỗ ở bán trú an toàn.",
    ],
    [
        "Xây dựng công trình vệ sinh cho điểm trường mầm non tại {place}",
        "Cán bộ, đảng viên đóng góp kinh phí, phối hợp nhà trường thi công.",
        "Điểm trường có công trình vệ sinh hợp chuẩn.",
    ],
];

const ASXH_MODELS: &[Idea] = &[
    [
        "Mô hình “Nâng bước em tới trường” – học bổng cho học sinh nghèo vượt khó",
        "Vận động cán bộ, đảng viên ủng hộ học bổng, đồ dùng học tập cho học sinh nghèo vượt khó.",
        "Trao 50 suất học bổng cho học sinh tại các xã khó khăn.",
    ],
    [
        "Mô hình “Đỡ đầu hộ nghèo, giúp hộ nghèo vươn lên”",
        "Mỗi chi bộ nhận đỡ đầu một hộ nghèo, hỗ trợ giống, vốn và hướng dẫn cách làm ăn.",
        "Các hộ được đỡ đầu có thu nhập tăng, 02 hộ thoát nghèo.",
    ],
    [
        "Mô hình “Áo ấm mùa đông cho trẻ em vùng cao”",
        "Quyên góp áo ấm, chăn màn, trao tặng trẻ em vùng cao trước mùa đông.",
        "Trao tặng 400 áo ấm và 100 chăn cho trẻ em vùng cao.",
    ],
];

const KHAC_MODELS: &[Idea] = &[
    [
        "Mô hình “Mỗi đảng viên một việc làm theo Bác”",
        "Mỗi đảng viên đăng ký một việc làm cụ thể, chi bộ đánh giá hằng quý.",
        "100% đảng viên thực hiện, nhiều việc làm được nhân rộng.",
    ],
    [
        "Mô hình “Chi bộ trong sạch, vững mạnh tiêu biểu”",
        "Nâng cao chất lượng sinh hoạt chi bộ, thực hiện nghiêm tự phê bình và phê bình.",
        "Chi bộ được công nhận hoàn thành xuất sắc nhiệm vụ.",
    ],
    [
        "Mô hình “Tuyên truyền trên không gian mạng, bảo vệ nền tảng tư tưởng của Đảng”",
        "Đảng viên tham gia chia sẻ thông tin tích cực, phản bác thông tin sai trái trên mạng xã hội.",
        "Hơn 1.000 lượt chia sẻ thông tin tích cực.",
    ],
    [
        "Mô hình “Sinh hoạt chi bộ kiểu mẫu”",
        "Chuẩn bị kỹ nội dung, đổi mới hình thức sinh hoạt chi bộ, mời cấp ủy cấp trên dự.",
        "Chất lượng sinh hoạt chi bộ được nâng lên rõ rệt.",
    ],
    [
        "Mô hình “Đọc sách cùng đảng viên”",
        "Mỗi quý giới thiệu một cuốn sách về Bác, đảng viên chia sẻ cảm nhận tại sinh hoạt chi bộ.",
        "Duy trì đều đặn, lan tỏa văn hóa đọc trong cơ quan.",
    ],
];

const KHAC_WORKS: &[Idea] = &[
    [
        "Trồng cây phủ xanh đất trống, đồi trọc tại {place}",
        "Phối hợp chính quyền xã lựa chọn địa điểm, vận động đoàn viên tham gia trồng cây.",
        "Trồng mới 2 ha rừng, tỷ lệ cây sống đạt trên 90%.",
    ],
    [
        "Lắp đặt bảng tin điện tử tuyên truyền tại {place}",
        "Vận động nguồn xã hội hóa, phối hợp chính quyền xã lắp đặt và vận hành.",
        "Bảng tin hoạt động thường xuyên, phục vụ công tác tuyên truyền ở cơ sở.",
    ],
];

const PLACES: [&str; 16] = [
    "xã Hoàng Việt, huyện Văn Lãng",
    "xã Tân Mỹ, huyện Văn Lãng",
    "xã Quốc Khánh, huyện Tràng Định",
    "xã Đội Cấn, huyện Tràng Định",
    "xã Hoa Thám, huyện Bình Gia",
    "xã Hồng Phong, huyện Bình Gia",
    "xã Vũ Lăng, huyện Bắc Sơn",
    "xã Chiến Thắng, huyện Bắc Sơn",
    "xã Bắc Xa, huyện Đình Lập",
    "xã Châu Sơn, huyện Đình Lập",
    "xã Tam Gia, huyện Lộc Bình",
    "xã Xuân Dương, huyện Lộc Bình",
    "xã Công Sơn, huyện Cao Lộc",
    "xã Hữu Kiên, huyện Chi Lăng",
    "xã Tràng Phái, huyện Văn Quan",
    "xã Yên Bình, huyện Hữu Lũng",
];

const PROGRESS_NOTES: [&str; 4] = [
    "Đã thực hiện được khoảng hai phần ba khối lượng công việc, tiếp tục triển khai.",
    "Đang triển khai theo kế hoạch, dự kiến sơ kết vào cuối năm.",
    "Đã hoàn thành các bước chuẩn bị, đang tổ chức thực hiện.",
    "Đang triển khai, một số hạng mục chậm so với kế hoạch do khó khăn về kinh phí.",
];

const REGISTERED_NOTES: [&str; 2] = [
    "Đang hoàn thiện kế hoạch chi tiết, chưa triển khai.",
    "Chờ bố trí kinh phí để triển khai.",
];

const CANCELLED_NOTES: [&str; 2] = [
    "Cơ quan điều chỉnh nhiệm vụ trọng tâm nên chuyển sang đăng ký nội dung khác.",
    "Chưa huy động được nguồn kinh phí xã hội hóa.",
];

fn ideas(field: &str, kind: &str) -> &'static [Idea] {
    match (field, kind == W) {
        (PRO, _) => PRO_MODELS,
        (CCHC, _) => CCHC_MODELS,
        (PVND, false) => PVND_MODELS,
        (PVND, true) => PVND_WORKS,
        (VHCS, false) => VHCS_MODELS,
        (VHCS, true) => VHCS_WORKS,
        (ASXH, false) => ASXH_MODELS,
        (ASXH, true) => ASXH_WORKS,
        (_, false) => KHAC_MODELS,
        (_, true) => KHAC_WORKS,
    }
}

fn initiatives_2021() -> Vec<DemoInitiative> {
    const YEAR: i32 = 2021;
    let mut rng = Lcg(YEAR as u64);
    let mut used: Vec<(&str, &str, &str)> = Vec::new();
    let mut out = Vec::new();
    for plan in &PLAN_2022 {
        if NOT_REGISTERED_2021.contains(&plan.unit) {
            continue;
        }
        let key = (plan.unit, plan.field, plan.kind);
        let occurrence = used.iter().filter(|k| **k == key).count();
        used.push(key);
        let ordinal = UNITS
            .iter()
            .position(|u| u.code == plan.unit)
            .unwrap_or_default();
        let pool = ideas(plan.field, plan.kind);
        let [title, how, result] = pool[(ordinal + occurrence) % pool.len()];
        let title = title.replace("{place}", PLACES[rng.below(PLACES.len())]);

        let roll = rng.below(100);
        let status = match roll {
            0..60 => DONE,
            60..88 => DOING,
            88..94 => REG,
            _ => CANC,
        };
        let estimated: i64 = if plan.kind == W {
            120_000_000 + 5_000_000 * rng.below(107) as i64
        } else {
            5_000_000 + 500_000 * rng.below(81) as i64
        };
        let actual = (status == DONE).then(|| {
            let percent = 95 + rng.below(8) as i64;
            (estimated * percent / 100 + 250_000) / 500_000 * 500_000
        });
        let outcome = match status {
            DONE => result,
            DOING => PROGRESS_NOTES[rng.below(PROGRESS_NOTES.len())],
            REG => REGISTERED_NOTES[rng.below(REGISTERED_NOTES.len())],
            _ => CANCELLED_NOTES[rng.below(CANCELLED_NOTES.len())],
        };
        let (start_date, due_date, completion_date) = schedule(YEAR, &mut rng, status == DONE);
        out.push(DemoInitiative {
            unit: plan.unit,
            year: YEAR,
            kind: plan.kind,
            field: plan.field,
            title,
            description: describe(status, how, outcome),
            estimated_cost_vnd: estimated,
            actual_value_vnd: actual,
            status,
            start_date,
            due_date,
            completion_date,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Report settings of bloc DUK
// ---------------------------------------------------------------------------------------------

const RECIPIENTS: &str = "- Ban Thường vụ Tỉnh ủy (b/c),
- Ban Tuyên giáo Tỉnh ủy,
- Các đồng chí Ủy viên Ban Chấp hành Đảng bộ Khối,
- Các đảng bộ, chi bộ cơ sở trực thuộc,
- Lưu Văn phòng Đảng ủy Khối.";

const ASSESSMENT_2022: &str = "\
Ưu điểm: Cấp ủy các cấp trong Đảng bộ Khối đã cụ thể hóa Kết luận số 01-KL/TW của Bộ Chính trị bằng những mô hình, công trình gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị. 100% chi bộ, đảng bộ cơ sở và tổ chức chính trị - xã hội trực thuộc đã đăng ký 94 mô hình, công trình; đến cuối năm đã hoàn thành 61 mô hình, công trình với tổng trị giá hơn 6 tỷ đồng. Nhiều mô hình về cải cách hành chính, phục vụ Nhân dân, xây dựng cơ quan văn hóa và các công trình an sinh xã hội hướng về cơ sở mang lại hiệu quả thiết thực.
Hạn chế: Một số mô hình, công trình còn chậm so với tiến độ đăng ký, chưa hoàn thành trong năm; nội dung đăng ký của một vài nơi còn chung chung, chưa nêu rõ kết quả cần đạt; hồ sơ báo cáo hoàn thành ở một số đơn vị chưa đầy đủ, phải bổ sung trước khi nghiệm thu.
Nguyên nhân: Một số cấp ủy chưa thường xuyên theo dõi, đôn đốc sau khi đăng ký; việc bố trí kinh phí, huy động nguồn lực cho các công trình còn khó khăn; một số công trình có quy mô lớn, thời gian thực hiện kéo dài sang năm sau.";

const NEXT_YEAR_2022: &str = "\
Tiếp tục thực hiện Kết luận số 01-KL/TW gắn với nhiệm vụ trọng tâm năm 2023 của từng cơ quan, đơn vị; mỗi chi bộ, đảng bộ cơ sở chọn nội dung đột phá, đăng ký mô hình, công trình cụ thể, có kết quả đo đếm được, trong thời hạn Ban Thường vụ Đảng ủy Khối quy định.
Chỉ đạo hoàn thành các mô hình, công trình năm 2022 còn dở dang; cấp ủy cơ sở kiểm tra, đôn đốc tiến độ, báo cáo hoàn thành kèm minh chứng kịp thời để Ban Thường vụ Đảng ủy Khối nghiệm thu.
Nhân rộng những mô hình hiệu quả về cải cách hành chính, chuyển đổi số, phục vụ Nhân dân và an sinh xã hội; biểu dương, khen thưởng kịp thời các tập thể, cá nhân tiêu biểu trong học tập và làm theo Bác.";

const ASSESSMENT_2021: &str = "\
Ưu điểm: Phần lớn chi bộ, đảng bộ cơ sở và tổ chức chính trị - xã hội trực thuộc đã đăng ký mô hình, công trình ngay từ đầu năm, bám sát nhiệm vụ chuyên môn và cải cách hành chính; nhiều công trình hoàn thành đúng hạn.
Hạn chế: Còn một số tổ chức đảng trực thuộc chưa đăng ký mô hình, công trình; việc báo cáo kết quả ở một số nơi còn chậm.
Nguyên nhân: Một số cấp ủy chưa quan tâm đúng mức đến việc lựa chọn nội dung đăng ký; công tác kiểm tra, đôn đốc chưa thường xuyên.";

const NEXT_YEAR_2021: &str = "\
Phấn đấu 100% tổ chức đảng, đơn vị trực thuộc đăng ký mô hình, công trình năm 2022 trước thời hạn quy định.
Tập trung vào các mô hình nâng cao chất lượng công tác chuyên môn, cải cách hành chính, phục vụ Nhân dân và các công trình an sinh xã hội hướng về cơ sở.";

/// What bloc DUK's report settings say for each demo year, signed by `signer` (the
/// bloc's secretary in the demo data): number, date (the reporting deadline), Nơi nhận
/// and the written sections. The place is left to the default, the province's.
pub fn report_settings(signer: &str) -> [(i32, StoredSettings); 2] {
    let settings = |number, year, assessment: &str, next_year: &str| StoredSettings {
        document_number: Some(number),
        report_date: Some(date(year, 12, 15)),
        place: String::new(),
        signer_name: signer.to_owned(),
        signer_position: SignerPosition::Secretary,
        recipients: RECIPIENTS.to_owned(),
        assessment: assessment.to_owned(),
        next_year: next_year.to_owned(),
    };
    [
        (2021, settings(19, 2021, ASSESSMENT_2021, NEXT_YEAR_2021)),
        (2022, settings(25, 2022, ASSESSMENT_2022, NEXT_YEAR_2022)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

/// A tiny deterministic LCG (Knuth's MMIX constants); used only for dates and the 2021 set.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn date(year: i32, month: usize, day: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid demo date")
}

/// Start in January–April, due between June and December, completion (if any) in between
/// and no later than 1 December.
fn schedule(
    year: i32,
    rng: &mut Lcg,
    completed: bool,
) -> (NaiveDate, NaiveDate, Option<NaiveDate>) {
    const DUE: [(usize, usize); 8] = [
        (6, 30),
        (9, 30),
        (10, 31),
        (11, 30),
        (12, 15),
        (12, 31),
        (12, 31),
        (12, 31),
    ];
    let start = date(year, 1 + rng.below(4), 1 + rng.below(28));
    let (month, day) = DUE[rng.below(DUE.len())];
    let due = date(year, month, day);
    let completion = completed.then(|| {
        let span = (due - start).num_days();
        let earliest = (span / 3).min(60);
        let offset = earliest + rng.below((span - earliest + 1) as usize) as i64;
        // Done by 1 December at the latest, so the completion can be reported and
        // accepted before the reporting deadline (15 December).
        (start + TimeDelta::days(offset)).min(date(year, 12, 1))
    });
    (start, due, completion)
}

fn describe(status: &str, how: &str, outcome: &str) -> String {
    match status {
        DONE => format!("Cách làm: {how} Kết quả đạt được: {outcome}"),
        DOING => format!("Cách làm: {how} Tiến độ: {outcome}"),
        REG => format!("Cách làm dự kiến: {how} Tình hình: {outcome}"),
        _ => format!("Cách làm dự kiến: {how} Lý do không thực hiện: {outcome}"),
    }
}

fn from_plan(plan: &Plan, year: i32, rng: &mut Lcg) -> DemoInitiative {
    let completed = plan.status == DONE;
    let (start_date, due_date, completion_date) = schedule(year, rng, completed);
    let [title, how, outcome] = plan.text;
    DemoInitiative {
        unit: plan.unit,
        year,
        kind: plan.kind,
        field: plan.field,
        title: title.to_owned(),
        description: describe(plan.status, how, outcome),
        estimated_cost_vnd: plan.est_k * 1_000,
        actual_value_vnd: completed.then_some(plan.actual_k * 1_000),
        status: plan.status,
        start_date,
        due_date,
        completion_date,
    }
}

/// All demo initiatives: bloc DUK 2022 (the article's figures), bloc DUK-DN 2022, bloc DUK 2021.
pub fn initiatives() -> Vec<DemoInitiative> {
    let mut rng = Lcg(2022);
    let mut out: Vec<DemoInitiative> = PLAN_2022
        .iter()
        .chain(PLAN_DN_2022.iter())
        .map(|plan| from_plan(plan, 2022, &mut rng))
        .collect();
    out.extend(initiatives_2021());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use std::collections::{HashMap, HashSet};

    const UNIT_KINDS: [&str; 6] = [PROVINCE, BLOC, COMMITTEE, CELL, ATTACHED, MASS];
    const FIELDS: [&str; 6] = [PRO, CCHC, PVND, VHCS, ASXH, KHAC];
    const STATUSES: [&str; 4] = [REG, DOING, DONE, CANC];

    /// Codes of `root` and all its descendants (relies on parents being listed first).
    fn subtree(root: &str) -> HashSet<&'static str> {
        let mut set = HashSet::new();
        for unit in units() {
            if unit.code == root || unit.parent.is_some_and(|p| set.contains(p)) {
                set.insert(unit.code);
            }
        }
        set
    }

    fn expected_in(root: &str) -> HashSet<&'static str> {
        let tree = subtree(root);
        units()
            .iter()
            .filter(|u| u.expected_to_register && tree.contains(u.code))
            .map(|u| u.code)
            .collect()
    }

    fn of(root: &str, year: i32) -> Vec<DemoInitiative> {
        let tree = subtree(root);
        initiatives()
            .into_iter()
            .filter(|i| i.year == year && tree.contains(i.unit))
            .collect()
    }

    fn completed_value(list: &[DemoInitiative]) -> i64 {
        list.iter()
            .filter(|i| i.status == DONE)
            .map(|i| i.actual_value_vnd.unwrap_or_default())
            .sum()
    }

    fn has_combining_mark(s: &str) -> bool {
        s.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c))
    }

    #[test]
    fn unit_codes_are_unique_and_usable_as_logins() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for unit in units() {
            assert!(codes.insert(unit.code), "duplicate code {}", unit.code);
            assert!(names.insert(unit.name), "duplicate name {}", unit.name);
            assert!(
                !unit.code.is_empty() && unit.code.len() <= 20,
                "{}",
                unit.code
            );
            assert!(
                unit.code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "bad code {}",
                unit.code
            );
            assert!(!unit.code.starts_with('-') && !unit.code.ends_with('-'));
            assert!(UNIT_KINDS.contains(&unit.kind), "bad kind {}", unit.kind);
            assert!(unit.secretary_name.split(' ').count() >= 3);
            assert!(!has_combining_mark(unit.name) && !has_combining_mark(unit.secretary_name));
        }
    }

    #[test]
    fn parents_are_listed_before_children() {
        let mut seen = HashSet::new();
        for unit in units() {
            match unit.parent {
                None => assert_eq!(unit.code, "TU-LS"),
                Some(parent) => assert!(seen.contains(parent), "{} before {parent}", unit.code),
            }
            seen.insert(unit.code);
        }
    }

    #[test]
    fn tree_shape_matches_the_brief() {
        let by_code: HashMap<_, _> = units().iter().map(|u| (u.code, u)).collect();
        assert_eq!(by_code["TU-LS"].kind, PROVINCE);
        assert_eq!(by_code["DUK"].kind, BLOC);
        assert_eq!(by_code["DUK"].parent, Some("TU-LS"));
        assert_eq!(by_code["DUK-DN"].kind, BLOC);
        assert_eq!(by_code["DUK-DN"].parent, Some("TU-LS"));
        for unit in units() {
            let is_top = matches!(unit.kind, PROVINCE | BLOC);
            assert_eq!(unit.expected_to_register, !is_top, "{}", unit.code);
            if unit.kind == ATTACHED {
                let parent = by_code[unit.parent.unwrap()];
                assert_eq!(parent.kind, COMMITTEE, "{}", unit.code);
            }
        }
        let duk = expected_in("DUK");
        assert!(
            (40..=50).contains(&duk.len()),
            "{} expected units",
            duk.len()
        );
        for kind in [COMMITTEE, CELL, ATTACHED, MASS] {
            assert!(duk.iter().any(|c| by_code[c].kind == kind), "no {kind}");
        }
        // Each grassroots committee under DUK has 2–3 attached cells.
        for committee in units()
            .iter()
            .filter(|u| u.kind == COMMITTEE && duk.contains(u.code))
        {
            let cells = units()
                .iter()
                .filter(|u| u.parent == Some(committee.code))
                .count();
            assert!((2..=3).contains(&cells), "{}", committee.code);
        }
        let dn = expected_in("DUK-DN");
        assert!((3..=4).contains(&dn.len()));
        assert!(duk.is_disjoint(&dn));
        assert!(!subtree("DUK").contains("DUK-DN") && !subtree("DUK-DN").contains("DUK"));
    }

    #[test]
    fn year_2022_reproduces_the_article() {
        let list = of("DUK", 2022);
        assert_eq!(list.len(), 94);
        let completed = list.iter().filter(|i| i.status == DONE).count();
        assert_eq!(completed, 61);
        assert_eq!(completed_value(&list), 6_012_500_000);
        let doing = list.iter().filter(|i| i.status == DOING).count();
        let registered = list.iter().filter(|i| i.status == REG).count();
        let cancelled = list.iter().filter(|i| i.status == CANC).count();
        assert_eq!(completed + doing + registered + cancelled, 94);
        assert!(
            doing > registered + cancelled,
            "most open ones are in progress"
        );
        assert!((1..=6).contains(&registered) && (1..=6).contains(&cancelled));

        // 100% coverage, 1–4 per unit, some units with both a model and a work.
        let expected = expected_in("DUK");
        let mut per_unit: HashMap<&str, Vec<&DemoInitiative>> = HashMap::new();
        for i in &list {
            assert!(
                expected.contains(i.unit),
                "{} is not an expected unit",
                i.unit
            );
            per_unit.entry(i.unit).or_default().push(i);
        }
        assert_eq!(per_unit.len(), expected.len(), "coverage must be 100%");
        for (unit, items) in &per_unit {
            assert!((1..=4).contains(&items.len()), "{unit} has {}", items.len());
        }
        let mixed = per_unit
            .values()
            .filter(|items| items.iter().any(|i| i.kind == M) && items.iter().any(|i| i.kind == W))
            .count();
        assert!(
            mixed >= 5,
            "only {mixed} units with both a model and a work"
        );

        // All six fields used, weighted like the article.
        let mut by_field: HashMap<&str, usize> = HashMap::new();
        for i in &list {
            *by_field.entry(i.field).or_default() += 1;
        }
        assert_eq!(by_field.len(), 6);
        let most = by_field.values().copied().max().unwrap();
        assert_eq!(by_field[PRO], most, "professional work leads");
        assert!(FIELDS[..5].iter().all(|f| by_field[f] > by_field[KHAC]));
        assert!(FIELDS[..5].iter().all(|f| by_field[f] >= 10));
    }

    #[test]
    fn statuses_values_and_dates_are_consistent() {
        for i in initiatives() {
            assert!(STATUSES.contains(&i.status), "{}", i.status);
            assert!(FIELDS.contains(&i.field), "{}", i.field);
            assert!(i.kind == M || i.kind == W, "{}", i.kind);
            assert!(i.estimated_cost_vnd >= 0 && i.estimated_cost_vnd % 1_000 == 0);
            let year = i.year;
            let (s, d) = (i.start_date, i.due_date);
            assert_eq!(s.year(), year, "{}", i.title);
            assert!((1..=4).contains(&s.month()), "{}", i.title);
            assert!(d >= s && d.year() == year, "{}", i.title);
            if i.status == DONE {
                let value = i.actual_value_vnd.expect("completed has a value");
                assert!(value > 0 && value % 1_000 == 0);
                let done = i.completion_date.expect("completed has a date");
                assert!(done >= s && done <= d && done.year() == year, "{}", i.title);
                assert!(done <= date(year, 12, 1), "reported in time: {}", i.title);
                // Estimate near the actual value (within 10%).
                assert!((value - i.estimated_cost_vnd).abs() * 10 <= i.estimated_cost_vnd);
                if i.kind == M {
                    assert!(value <= 50_000_000, "cheap model: {}", i.title);
                } else {
                    assert!((100_000_000..=800_000_000).contains(&value), "{}", i.title);
                }
            } else {
                assert_eq!(i.actual_value_vnd, None, "{}", i.title);
                assert_eq!(i.completion_date, None, "{}", i.title);
            }
        }
    }

    #[test]
    fn texts_are_clean_and_unique_within_a_unit() {
        let mut seen = HashSet::new();
        for i in initiatives() {
            assert!(
                seen.insert((i.unit, i.year, i.title.clone())),
                "duplicate: {}",
                i.title
            );
            assert!(!i.title.is_empty() && i.title.chars().count() <= 300);
            assert!(
                !i.title.contains('{') && !i.title.contains('}'),
                "{}",
                i.title
            );
            assert!(!has_combining_mark(&i.title) && !has_combining_mark(&i.description));
            assert_eq!(i.title.trim(), i.title);
            let sentences = i.description.matches(". ").count() + 1;
            assert!((1..=3).contains(&sentences), "{}", i.description);
            assert!(i.description.ends_with('.'), "{}", i.description);
            if i.status == DONE {
                assert!(i.description.starts_with("Cách làm: "), "{}", i.description);
                assert!(
                    i.description.contains(" Kết quả đạt được: "),
                    "{}",
                    i.description
                );
            }
        }
    }

    #[test]
    fn every_initiative_belongs_to_an_expected_unit() {
        let by_code: HashMap<_, _> = units().iter().map(|u| (u.code, u)).collect();
        for i in initiatives() {
            assert!(by_code[i.unit].expected_to_register, "{}", i.unit);
        }
    }

    #[test]
    fn year_2021_is_smaller_and_not_fully_covered() {
        let list = of("DUK", 2021);
        assert!((80..=100).contains(&list.len()), "{}", list.len());
        let expected = expected_in("DUK");
        let covered: HashSet<_> = list.iter().map(|i| i.unit).collect();
        assert!(covered.len() < expected.len() && covered.len() * 10 >= expected.len() * 8);
        for status in STATUSES {
            assert!(
                list.iter().any(|i| i.status == status),
                "no {status} in 2021"
            );
        }
        let fields: HashSet<_> = list.iter().map(|i| i.field).collect();
        assert_eq!(fields.len(), 6);
    }

    #[test]
    fn the_other_bloc_does_not_count_in_duk() {
        let dn = of("DUK-DN", 2022);
        assert!((2..=5).contains(&dn.len()));
        assert!(
            dn.iter()
                .any(|i| i.status == DONE && i.actual_value_vnd.unwrap() > 0)
        );
        let duk = of("DUK", 2022);
        let province = of("TU-LS", 2022);
        assert_eq!(province.len(), duk.len() + dn.len());
        assert_eq!(
            completed_value(&province),
            completed_value(&duk) + completed_value(&dn)
        );
        assert_eq!(duk.len(), 94);
        assert!(of("DUK-DN", 2021).is_empty());
        let dn_units: HashSet<_> = dn.iter().map(|i| i.unit).collect();
        assert!(dn_units.is_disjoint(&subtree("DUK")));
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(initiatives(), initiatives());
        assert_eq!(units().len(), UNITS.len());
    }
}
