"""Narratives for the demo records, by theme: the notice's clause an item implements.

Themes are `good1`..`good9` (一(一)1-9), `dishonest1`..`dishonest5` (一(二)1-5),
`commitment` (二(九)) and `tolerable` (三(十)). Placeholders are filled from `narrative_facts`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from server.demo_words import (
    DAILY_SUPPLIES,
    HOSPITALS,
    MEDICAL_SUPPLIES,
    VOLUNTEER_ORGANISATIONS,
    District,
)

_OUTBREAK = date(2020, 1, 20)

# Completes "{unit}关于…的通报" in a commendation's title.
COMMENDATIONS = {
    "good1": "表扬援鄂医疗队队员和派出单位",
    "good2": "表彰抗击新冠肺炎疫情一线先进个人和先进集体",
    "good3": "表扬疫情防控优秀志愿者和志愿服务组织",
    "good4": "表扬转产扩产防疫急需物资企业",
    "good5": "表扬疫情防控爱心捐赠单位和个人",
    "good6": "表扬减免小微企业租金的业主单位",
    "good7": "表彰复工复产先进企业",
    "good8": "表扬生活物资保供稳价重点企业",
    "good9": "表扬支持疫情防控工作的单位和个人",
}
DEFAULT_COMMENDATION = "表扬疫情防控先进典型"

WORK_POSTS = (
    "社区疫情防控卡口值守", "深圳湾口岸入境人员转运", "集中隔离酒店医学观察", "发热门诊接诊",
    "核酸采样", "社区网格排查", "宝安机场入境人员健康筛查", "高速公路入深卡点检疫",
)  # fmt: skip
SERVICES = ("通勤车辆", "餐饮配送", "物流运输", "信息系统开发", "场地消杀")

# (natural person, organisation) narratives of good behaviour.
CONTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "good2": (
        (
            "在{post}岗位连续值守{days}天，累计排查来深人员{m}人次，表现突出。",
            "春节期间主动放弃休假，在{post}一线工作{days}天，未发生一例漏检。",
        ),
        (
            "组织{n}名员工参与{post}，累计服务{m}人次。",
            "承担{district}集中隔离医学观察点后勤保障工作{days}天。",
        ),
    ),
    "good3": (
        (
            "参加{org}疫情防控志愿服务，在{district}{subdistrict}街道社区卡口协助测温登记{hours}小时。",
            "组织社区志愿者为居家隔离人员配送生活物资{n}次，服务{m}户居民。",
        ),
        ("组织志愿者{m}人次参与社区防控、物资配送等志愿服务。",),
    ),
    "good7": (
        ("带领团队率先复工，{month}产能恢复至疫情前的{p}%。",),
        (
            "于{month}率先复工复产，带动上下游{n}家配套企业恢复生产，产能恢复至疫情前的{p}%。",
            "疫情期间坚持生产不停线，{month}起全面复工，保障{n}家下游企业订单交付。",
        ),
    ),
    "good8": (
        ("疫情期间坚持营业，{daily}不断供、不涨价。",),
        (
            "疫情期间保持{n}家门店正常营业，{daily}等主要生活物资不断供、不涨价。",
            "组织{daily}货源{m}吨驰援深圳市场，平抑物价。",
        ),
    ),
    "good9": (
        ("自费采购{supply}{qty}{unit}赠送社区防控人员，协助社区开展防疫宣传。",),
        ("免费为{district}防控一线提供{service}服务{days}天。",),
    ),
}
DEFAULT_CONTRIBUTIONS = (
    ("积极参与疫情防控工作，表现突出。",),
    ("积极支持疫情防控工作，作出重要贡献。",),
)

# (natural person, organisation) narratives of dishonesty.
OFFENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dishonest1": (
        (
            "{date}，当事人从湖北返深后隐瞒旅居史，拒不执行居家隔离措施，多次前往{place}等人员密集场所。",
            "{date}，当事人在{place}拒不配合防疫人员测量体温和登记，并推搡防疫工作人员。",
            "{date}，当事人在微信群编造、散布“{district}出现大量确诊病例”的虚假疫情信息，造成不良社会影响。",
            "{date}，当事人在居家隔离期间擅自拆除门磁、外出活动，拒不执行隔离措施。",
        ),
        (
            "{date}，当事人违反市疫情防控指挥部关于暂停营业的通告，擅自在{place}开门营业并组织人员聚集。",
            "{date}，当事人未如实报告员工疫区旅居史，隐瞒{n}名员工的返深信息。",
            "{date}，当事人拒不配合疾控机构开展流行病学调查，拒绝提供密切接触者名单。",
        ),
    ),
    "dishonest2": (
        (
            "{date}，当事人在{place}销售不符合国家标准的{supply}{qty}{unit}，货值金额人民币{value}元。",
            "{date}，当事人通过网络销售无产品合格证、无中文标签的{supply}{qty}{unit}。",
        ),
        (
            "{date}，当事人在{place}销售不符合国家标准的{supply}{qty}{unit}，货值金额人民币{value}元。",
            "{date}，当事人生产的{supply}经抽样检验不合格，已销售{qty}{unit}，违法所得人民币{income}元。",
            "{date}，当事人以普通产品冒充{supply}对外销售，涉案{qty}{unit}。",
        ),
    ),
    "dishonest3": (
        (
            "{date}，当事人在{hospital}发热门诊候诊时不听劝阻，辱骂并推搡值班医务人员，扰乱医疗秩序。",
            "{date}，当事人明知自己有发热症状且有疫区旅居史，仍隐瞒病情乘坐公共交通工具，危害公共安全。",
            "{date}，当事人在{hospital}因不满隔离安排殴打医护人员，致一人轻微伤。",
        ),
        ("{date}，当事人在{hospital}组织人员聚集滋事，干扰医疗机构正常工作。",),
    ),
    "dishonest4": (
        (
            "{date}，当事人在{place}将进价{cost}元/盒的医用口罩以{price}元/盒的价格对外销售，哄抬价格。",
            "{date}，当事人在{place}非法收购、出售果子狸、竹鼠等野生动物{n}只。",
            "{date}，当事人在{place}违规宰杀、销售活禽{m}只。",
        ),
        (
            "{date}，当事人在{place}将进价{cost}元/盒的医用口罩以{price}元/盒的价格对外销售，哄抬价格。",
            "{date}，当事人在疫情期间囤积{daily}{m}公斤，并大幅提高售价。",
            "{date}，当事人将消毒酒精进价{cost}元/瓶加价至{price}元/瓶销售，哄抬价格。",
        ),
    ),
}
DEFAULT_OFFENCES = (
    ("{date}，当事人在疫情防控期间实施违法行为，被依法查处。",),
    ("{date}，当事人在疫情防控期间实施违法行为，被依法查处。",),
)

# (administrative penalty, criminal judgment) bases.
PENALTY_BASES = {
    "dishonest1": (
        "《中华人民共和国治安管理处罚法》第五十条第一款第（二）项；《中华人民共和国传染病防治法》第七十七条",
        "《中华人民共和国刑法》第三百三十条",
    ),
    "dishonest2": (
        "《中华人民共和国产品质量法》第四十九条、第五十条；《医疗器械监督管理条例》第六十六条",
        "《中华人民共和国刑法》第一百四十五条",
    ),
    "dishonest3": (
        "《中华人民共和国治安管理处罚法》第二十三条第一款第（一）项、第四十三条",
        "《中华人民共和国刑法》第一百一十四条、第二百九十三条",
    ),
    "dishonest4": (
        "《中华人民共和国价格法》第十四条第（三）项、第四十条；《价格违法行为行政处罚规定》第六条",
        "《中华人民共和国刑法》第二百二十五条、第三百四十一条",
    ),
}
DEFAULT_PENALTY_BASIS = ("《中华人民共和国行政处罚法》", "《中华人民共和国刑法》")

COMMITMENT_MATERIALS = ("消防验收合格证明", "场地使用证明", "从业人员健康证明", "环境影响评价文件")
# By commitment type: (natural person, organisation).
COMMITMENT_CONTENTS = {
    "行政许可": (
        "本人承诺所提交的申请材料真实有效，在{months}个月内补齐{material}，如有虚假愿意承担相应法律责任。",
        "本单位承诺所提交的申请材料真实有效，在{months}个月内补齐{material}，并按许可条件开展经营活动。",
    ),
    "疫情防控": (
        "本人承诺如实申报旅居史和健康状况，严格遵守居家隔离14天的规定，隔离期间不外出。",
        "本单位承诺严格落实员工体温检测、佩戴口罩、场所消毒通风等疫情防控措施，发现发热人员立即报告。",
    ),
    "复工复产": (
        "本人承诺复工后落实店铺每日消毒和顾客测温登记，不安排未满隔离期人员上岗。",
        "本单位承诺复工后落实员工健康登记和返岗管理，不安排疫区返深未满14天的员工上岗。",
    ),
}
COMMITMENT_VIOLATIONS = {
    "行政许可": (
        "经核查，当事人未在承诺期限内补齐{material}，且实际经营条件与承诺不符。",
        "经核查，当事人未在承诺期限内补齐{material}，且实际经营条件与承诺不符。",
    ),
    "疫情防控": (
        "当事人在居家隔离期间擅自外出{n}次，前往{place}等场所。",
        "经现场检查，当事人未落实员工体温检测和场所消毒，{n}名员工未佩戴口罩上岗。",
    ),
    "复工复产": (
        "当事人店铺复工后未落实顾客测温登记，安排未满隔离期的帮工上岗。",
        "经核查，当事人安排{n}名疫区返深未满14天的员工上岗，未按承诺落实健康管理。",
    ),
}
EPIDEMIC_IMPACTS = (
    "导致{m}名密切接触者接受集中隔离医学观察，增加了疫情防控成本。",
    "造成所在社区{n}栋楼宇临时封闭管理，增加了疫情防控难度。",
    "存在疫情扩散风险，相关部门组织{m}人进行核酸检测。",
)
LICENSING_IMPACT = "未按许可条件经营，增加了疫情期间的监管和防控成本。"
COMMITMENT_BENEFITS = (
    "容缺受理，先行办理许可",
    "简化审批流程，免于现场核查",
    "办理时限由20个工作日缩短至5个工作日",
    "优先安排复工复产备案",
    "减少现场核查次数",
)

# Notice 三(十): why a firm missed a duty during the epidemic.
ANNUAL_REPORT_CAUSES = (
    "受新冠肺炎疫情影响，企业财务人员滞留湖北未能返深，无法按期报送年度报告。",
    "疫情期间企业停工停产，员工未能按时返岗，未能及时办理年度报告。",
)
ADDRESS_CAUSES = (
    "受新冠肺炎疫情影响，企业暂停在登记住所办公，核查时无人应答。",
    "疫情期间企业实行居家办公，登记的经营场所暂时关闭。",
)


def narrative_facts(district: District, decided: date, rng: random.Random) -> dict[str, str]:
    """The details a record's narratives are filled with, drawn once so they agree."""
    # Acts happen some weeks before the decision, but not before the outbreak was known.
    occurred = max(decided - timedelta(days=rng.randint(7, 60)), min(decided, _OUTBREAK))
    supply, unit = rng.choice(MEDICAL_SUPPLIES)
    many = unit == "只"
    quantity = rng.choice((300, 800, 1500, 3200, 5000, 12000) if many else (50, 120, 300, 600))
    value = quantity * rng.randint(1, 5)
    cost = rng.randint(15, 60)
    facts = {
        "date": f"{occurred.year}年{occurred.month}月{occurred.day}日",
        "month": f"{occurred.year}年{occurred.month}月",
        "district": district.name,
        "subdistrict": rng.choice(district.subdistricts),
        "place": f"{district.name}{rng.choice(district.roads)}",
        "supply": supply,
        "unit": unit,
        "qty": str(quantity),
        "goods": f"{supply}{quantity}{unit}",
        "value": str(value),
        "income": str(value // rng.randint(2, 6)),
        "cost": str(cost),
        "price": str(cost * rng.randint(3, 8)),
        "daily": rng.choice(DAILY_SUPPLIES),
        "hospital": rng.choice(HOSPITALS),
        "post": rng.choice(WORK_POSTS),
        "org": rng.choice(VOLUNTEER_ORGANISATIONS).format(district=district.name),
        "service": rng.choice(SERVICES),
        "n": str(rng.randint(2, 30)),
        "m": str(rng.randint(40, 3000)),
        "days": str(rng.randint(14, 90)),
        "hours": str(rng.randint(20, 600)),
        "p": str(rng.randint(80, 130)),
        "months": str(rng.randint(1, 6)),
        "material": rng.choice(COMMITMENT_MATERIALS),
    }
    # Data items that repeat a detail of the narrative.
    facts |= {
        "work_post": facts["post"],
        "supply_category": facts["daily"],
        "volunteer_organization": facts["org"],
        "service_hours": facts["hours"],
    }
    return facts
