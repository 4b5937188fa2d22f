"""The demo city of Riverton in Simplified Chinese: what seed_demo writes as each text's
"zh-hans" translation (the English and Spanish texts are in demo_data.py)."""

DEPARTMENTS = {
    "public-works": "公共工程局", "sanitation": "环卫与回收局", "transportation": "交通与停车局",
    "parks": "公园与休闲局", "animal-services": "动物服务处", "code-enforcement": "法规执行处", "water": "供水与排水局",
}

GROUPS = {
    "Streets and sidewalks": "街道和人行道", "Lights and signals": "路灯和信号灯", "Clean and safe": "清洁与安全",
    "Trash and recycling": "垃圾和回收", "Parking": "停车", "Parks": "公园", "Trees": "树木", "Animals": "动物",
    "Property": "房产", "Water": "水务",
}

SERVICES = {
    "pothole": ("坑洞", "街道或小巷中的坑洞或破损路面。"),
    "sidewalk-repair": ("人行道损坏", "人行道或路缘开裂、翘起或缺失。"),
    "streetlight-out": ("路灯不亮", "街道或小巷的路灯不亮、闪烁或白天亮着。"),
    "graffiti": ("清除涂鸦", "公共财产上的涂鸦，或从街上可见的私人财产上的涂鸦。"),
    "street-sweeping": ("街道清扫", "需要扫街车清理的杂物、落叶或玻璃。"),
    "snow-ice": ("街道积雪或结冰", "需要铲雪或撒盐的街道。"),
    "missed-trash": ("漏收垃圾", "您的垃圾桶按时放出但未被清运。"),
    "missed-recycling": ("漏收回收物", "您的回收桶按时放出但未被清运。"),
    "bulk-pickup": ("大件物品回收", "预约回收家具、床垫或电器。"),
    "damaged-cart": ("垃圾桶损坏或被盗", "维修或更换市政垃圾桶或回收桶。"),
    "illegal-dumping": ("非法倾倒", "倾倒在街道、小巷或空地上的垃圾或物品。"),
    "dead-animal": ("清除动物尸体", "街道或人行道上的动物尸体。"),
    "traffic-signal": ("交通信号灯故障", "交通信号灯不亮、卡住或闪烁。"),
    "sign-damaged": ("路牌损坏", "缺失、弯曲或褪色的路牌或交通标志。"),
    "abandoned-vehicle": ("废弃车辆", "在同一地点停放超过 72 小时的车辆。"),
    "parking-violation": ("违章停车", "挡住车道入口、消防栓或人行横道的车辆。"),
    "bike-lane": ("自行车道被占用", "有东西挡住了自行车道。"),
    "park-maintenance": ("公园维护", "公园里损坏的游乐设施、长椅或围栏。"),
    "tree-down": ("树木或树枝倒下", "倒在街道、人行道或公园里的树木或大树枝。"),
    "tree-trim": ("修剪树木", "遮挡路牌、路灯或人行道的市政树木。"),
    "park-restroom": ("公园厕所问题", "公园厕所脏乱、上锁或损坏。"),
    "stray-animal": ("流浪动物", "散放或流浪的动物。"),
    "barking-dog": ("狗吠扰民", "长时间吠叫的狗。"),
    "animal-bite": ("动物咬伤", "报告被狗、猫或野生动物咬伤。"),
    "overgrown-lot": ("地块杂草丛生", "房产上超过 25 厘米的草或杂草。"),
    "noise": ("噪音投诉", "在允许时间以外的大声音乐、聚会或施工。"),
    "vacant-building": ("空置建筑未封闭", "未关闭或未加固的空置建筑。"),
    "water-leak": ("供水主管漏水", "从路面、消防栓或地面流出的水。"),
    "sewer-backup": ("下水道倒灌或异味", "下水道倒灌，或街上有下水道臭味。"),
    "storm-drain": ("雨水口堵塞", "被落叶或垃圾堵住的雨水口。"),
    "hydrant": ("消防栓损坏", "漏水、被打开或被撞倒的消防栓。"),
}

QUESTIONS = {
    "size": ("它有多大？", {"small": "比盘子小", "medium": "最大到汽车轮胎", "large": "比汽车轮胎大"}),
    "hazard": ("它现在对人有危险吗？", {"no": "否", "yes": "是"}),
    "noticed_at": ("您什么时候注意到的？", {}),
    "count": ("有多少？", {}),
    "plate": ("车牌号（如果看得到）", {}),
    "days": ("哪几天会发生？", {"weekday": "工作日", "weekend": "周末", "night": "夜间"}),
    "animal": ("是什么动物？", {"dog": "狗", "cat": "猫", "wildlife": "野生动物", "other": "其他"}),
    "details": ("还有什么需要工作人员知道的吗？", {}),
}

DANGER_NOTICE = "如果现在有人受伤或有危险，请先拨打 911。然后在这里报告，以便工作人员前来修复。"
EMERGENCY_NOTICES = {
    "animal-bite": "如果有人伤势严重，请立即拨打 911。如果咬伤破皮，请用肥皂和清水清洗，并于今天就医。",
    "sewer-backup": "如果闻到煤气味，请离开建筑物并在室外拨打 911。",
}
