"""The demo city of Riverton in Vietnamese: what seed_demo writes as each text's "vi"
translation (the English and Spanish texts are in demo_data.py)."""

DEPARTMENTS = {
    "public-works": "Công chánh", "sanitation": "Vệ sinh và tái chế", "transportation": "Giao thông và đỗ xe",
    "parks": "Công viên và giải trí", "animal-services": "Dịch vụ động vật", "code-enforcement": "Thực thi quy định",
    "water": "Cấp thoát nước",
}

GROUPS = {
    "Streets and sidewalks": "Đường phố và vỉa hè", "Lights and signals": "Đèn và tín hiệu",
    "Clean and safe": "Sạch sẽ và an toàn", "Trash and recycling": "Rác và tái chế", "Parking": "Đỗ xe",
    "Parks": "Công viên", "Trees": "Cây xanh", "Animals": "Động vật", "Property": "Nhà đất", "Water": "Nước",
}

SERVICES = {
    "pothole": ("Ổ gà", "Một ổ gà hoặc mặt đường bị vỡ trên phố hoặc trong hẻm."),
    "sidewalk-repair": ("Vỉa hè hư hỏng", "Vỉa hè hoặc bó vỉa bị nứt, bị đội lên hoặc bị mất."),
    "streetlight-out": ("Đèn đường bị tắt", "Đèn đường hoặc đèn hẻm bị tắt, nhấp nháy hoặc sáng cả ban ngày."),
    "graffiti": ("Xóa hình vẽ bậy", "Hình vẽ bậy trên tài sản công, hoặc trên tài sản tư nhìn thấy từ đường."),
    "street-sweeping": ("Quét đường", "Rác, lá hoặc mảnh kính cần xe quét đường."),
    "snow-ice": ("Tuyết hoặc băng trên đường", "Một con đường cần cào tuyết hoặc rải muối."),
    "missed-trash": ("Lỡ thu gom rác", "Thùng rác của bạn đã để ra đúng giờ nhưng không được đổ."),
    "missed-recycling": ("Lỡ thu gom đồ tái chế", "Thùng tái chế của bạn đã để ra đúng giờ nhưng không được đổ."),
    "bulk-pickup": ("Thu gom đồ cồng kềnh", "Hẹn lịch thu gom đồ đạc, nệm hoặc thiết bị gia dụng."),
    "damaged-cart": ("Thùng rác hỏng hoặc bị mất", "Sửa hoặc thay thùng rác hay thùng tái chế của thành phố."),
    "illegal-dumping": ("Đổ rác trái phép", "Rác hoặc đồ vật bị vứt trên đường, trong hẻm hoặc bãi đất trống."),
    "dead-animal": ("Dọn xác động vật", "Xác động vật trên đường hoặc vỉa hè."),
    "traffic-signal": ("Sự cố đèn giao thông", "Đèn giao thông bị tắt, bị kẹt hoặc nhấp nháy."),
    "sign-damaged": ("Biển báo hư hỏng", "Biển tên đường hoặc biển giao thông bị mất, bị cong hoặc bị phai."),
    "abandoned-vehicle": ("Xe bị bỏ", "Một chiếc xe đỗ cùng một chỗ hơn 72 giờ."),
    "parking-violation": ("Đỗ xe sai quy định", "Một chiếc xe chắn lối ra vào, trụ cứu hỏa hoặc vạch sang đường."),
    "bike-lane": ("Làn xe đạp bị chắn", "Có vật chắn làn xe đạp."),
    "park-maintenance": ("Bảo trì công viên", "Đồ chơi, ghế hoặc hàng rào bị hỏng trong công viên."),
    "tree-down": ("Cây hoặc cành bị đổ", "Cây hoặc cành lớn đổ trên đường, vỉa hè hoặc trong công viên."),
    "tree-trim": ("Tỉa cây", "Cây của thành phố che biển báo, đèn hoặc vỉa hè."),
    "park-restroom": ("Sự cố nhà vệ sinh công viên", "Nhà vệ sinh công viên bẩn, bị khóa hoặc bị hỏng."),
    "stray-animal": ("Động vật đi lạc", "Một con vật thả rông hoặc đi lạc."),
    "barking-dog": ("Chó sủa", "Một con chó sủa trong thời gian dài."),
    "animal-bite": ("Động vật cắn", "Báo việc bị chó, mèo hoặc động vật hoang dã cắn."),
    "overgrown-lot": ("Lô đất cỏ mọc um tùm", "Cỏ hoặc cỏ dại cao hơn 25 cm trên một khu đất."),
    "noise": ("Khiếu nại tiếng ồn", "Nhạc lớn, tiệc tùng hoặc thi công ngoài giờ cho phép."),
    "vacant-building": ("Nhà bỏ trống để mở", "Một tòa nhà bỏ trống bị để mở hoặc không được khóa."),
    "water-leak": ("Rò rỉ ống nước chính", "Nước chảy ra từ mặt đường, trụ cứu hỏa hoặc mặt đất."),
    "sewer-backup": ("Cống trào hoặc có mùi", "Cống bị trào ngược, hoặc có mùi cống trên đường."),
    "storm-drain": ("Cống thoát nước mưa bị tắc", "Cống thoát nước mưa bị lá hoặc rác làm tắc."),
    "hydrant": ("Trụ cứu hỏa hư hỏng", "Trụ cứu hỏa bị rò rỉ, bị mở hoặc bị đổ."),
}

QUESTIONS = {
    "size": ("Nó lớn cỡ nào?", {"small": "Nhỏ hơn cái đĩa", "medium": "Tới cỡ lốp xe hơi", "large": "Lớn hơn lốp xe hơi"}),
    "hazard": ("Nó có đang gây nguy hiểm cho người không?", {"no": "Không", "yes": "Có"}),
    "noticed_at": ("Bạn thấy nó khi nào?", {}),
    "count": ("Bao nhiêu?", {}),
    "plate": ("Biển số xe (nếu thấy)", {}),
    "days": ("Chuyện này xảy ra vào những ngày nào?", {"weekday": "Ngày thường", "weekend": "Cuối tuần", "night": "Ban đêm"}),
    "animal": ("Loại động vật nào?", {"dog": "Chó", "cat": "Mèo", "wildlife": "Động vật hoang dã", "other": "Khác"}),
    "details": ("Đội cần biết thêm điều gì không?", {}),
}

DANGER_NOTICE = "Nếu có người bị thương hoặc đang gặp nguy hiểm, hãy gọi 911 trước. Sau đó báo tại đây để một đội đến sửa."
EMERGENCY_NOTICES = {
    "animal-bite": ("Nếu có người bị thương nặng, hãy gọi 911 ngay. Nếu vết cắn làm rách da, hãy rửa bằng xà phòng và "
                    "nước rồi đi khám bác sĩ ngay hôm nay."),
    "sewer-backup": "Nếu ngửi thấy mùi gas, hãy ra khỏi tòa nhà và gọi 911 từ bên ngoài.",
}
