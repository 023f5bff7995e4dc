"""Chinese numerals as a reader reads them: the grammar's forms, the words that are no numbers, and
real sentences from ../shared/corpora/real-articles (its development part; the ids cite the article)."""
import pytest

from pipeline.normalize import normalize
from pipeline.numbers.cn import parse_numeral
from pipeline.numbers.recognizer import Recognizer

R = Recognizer()


def read(text):
    return [(text[n.start:n.end], n.kind, n.value, n.unit, n.approximate) for n in R.find(normalize(text))]


def the(text, span):
    """The number whose text is ``span``."""
    found = [r for r in read(text) if r[0] == span]
    assert found, (text, span, read(text))
    return found[0]


def same(a, b):
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a == pytest.approx(b, rel=1e-9)


# (text, the number's text, kind, value, unit, approximate)
FORMS = [
    # plain numerals, both scripts, financial forms
    ("四亿", "四亿", "number", 400000000, None, False),
    ("一万五千亿", "一万五千亿", "number", 1500000000000, None, False),
    ("两千四百五", "两千四百五", "number", 2450, None, False),
    ("四萬五千六百二十二", "四萬五千六百二十二", "number", 45622, None, False),
    ("九百万零四百", "九百万零四百", "number", 9000400, None, False),
    ("拾万零五十六", "拾万零五十六", "number", 100056, None, False),
    ("两千万点五五四四", "两千万点五五四四", "number", 20000000.5544, None, False),
    ("一百五十四点零", "一百五十四点零", "number", 154, None, False),
    ("二", "二", "number", 2, None, False),
    ("两", "两", "number", 2, None, False),
    ("俩", "俩", "number", 2, None, False),
    ("零", "零", "number", 0, None, False),
    ("十", "十", "number", 10, None, False),
    ("十二", "十二", "number", 12, None, False),
    ("二十", "二十", "number", 20, None, False),
    ("一百零五", "一百零五", "number", 105, None, False),
    ("一百零一", "一百零一", "number", 101, None, False),
    ("一千零十", "一千零十", "number", 1010, None, False),
    ("三千零五", "三千零五", "number", 3005, None, False),
    ("一百万零五", "一百万零五", "number", 1000005, None, False),
    ("十万零一十", "十万零一十", "number", 100010, None, False),
    ("一亿零五十万", "一亿零五十万", "number", 100500000, None, False),
    ("三十万零五", "三十万零五", "number", 300005, None, False),
    ("一千万", "一千万", "number", 10000000, None, False),
    ("十二万", "十二万", "number", 120000, None, False),
    ("两百", "两百", "number", 200, None, False),
    ("两千", "两千", "number", 2000, None, False),
    ("三亿五千万", "三亿五千万", "number", 350000000, None, False),
    ("一亿两千万", "一亿两千万", "number", 120000000, None, False),
    ("十亿", "十亿", "number", 1000000000, None, False),
    ("一千亿", "一千亿", "number", 100000000000, None, False),
    ("一万亿", "一万亿", "number", 1000000000000, None, False),
    ("四亿八千二百万", "四亿八千二百万", "number", 482000000, None, False),
    ("十万八千", "十万八千", "number", 108000, None, False),
    ("两万五千", "两万五千", "number", 25000, None, False),
    ("一千二百三十四万五千六百七十八", "一千二百三十四万五千六百七十八", "number", 12345678, None, False),
    ("十四億七千萬", "十四億七千萬", "number", 1470000000, None, False),
    ("壹萬貳仟", "壹萬貳仟", "number", 12000, None, False),
    ("壹佰贰拾", "壹佰贰拾", "number", 120, None, False),
    ("貳拾", "貳拾", "number", 20, None, False),
    ("伍佰", "伍佰", "number", 500, None, False),
    ("柒拾捌", "柒拾捌", "number", 78, None, False),
    ("陆仟", "陆仟", "number", 6000, None, False),
    ("叁拾叁", "叁拾叁", "number", 33, None, False),
    ("玖仟玖佰玖拾玖", "玖仟玖佰玖拾玖", "number", 9999, None, False),
    ("廿五", "廿五", "number", 25, None, False),
    ("二〇二五", "二〇二五", "number", 2025, None, False),
    ("二零一八", "二零一八", "number", 2018, None, False),
    # the trailing digit that means the next unit down
    ("一百一", "一百一", "number", 110, None, False),
    ("一千二", "一千二", "number", 1200, None, False),
    ("三万五", "三万五", "number", 35000, None, False),
    ("一万五", "一万五", "number", 15000, None, False),
    ("一亿五", "一亿五", "number", 150000000, None, False),
    ("三十万五", "三十万五", "number", 305000, None, False),
    # stacked units and Arabic digits with units
    ("4.78万亿", "4.78万亿", "number", 4780000000000, None, False),
    ("10万万", "10万万", "number", 1000000000, None, False),
    ("5億1萬4千6百", "5億1萬4千6百", "number", 500014600, None, False),
    ("3.5万", "3.5万", "number", 35000, None, False),
    ("2千万", "2千万", "number", 20000000, None, False),
    ("1.2亿", "1.2亿", "number", 120000000, None, False),
    ("30亿亿次", "30亿亿次", "count", 3 * 10 ** 17, "次", False),
    ("1万5", "1万5", "number", 15000, None, False),
    ("8600万", "8600万", "number", 86000000, None, False),
    ("1,234,567.89", "1,234,567.89", "number", 1234567.89, None, False),
    (".5", ".5", "number", 0.5, None, False),
    ("1e10", "1e10", "number", 10000000000, None, False),
    ("1.2E+5", "1.2E+5", "number", 120000, None, False),
    # signs
    ("负0.2", "负0.2", "number", -0.2, None, False),
    ("负3.9%", "负3.9%", "percent", -3.9, "%", False),
    ("负一千", "负一千", "number", -1000, None, False),
    ("負五", "負五", "number", -5, None, False),
    ("负零点五", "负零点五", "number", -0.5, None, False),
    ("-1", "-1", "number", -1, None, False),
    ("+5", "+5", "number", 5, None, False),
    ("降温−3℃", "−3℃", "temperature", -3, "℃", False),
    ("负百分之五", "负百分之五", "percent", -5, "%", False),
    ("百分之负五", "百分之负五", "percent", -5, "%", False),
    # decimals with 点
    ("三点一四", "三点一四", "number", 3.14, None, False),
    ("零点零一", "零点零一", "number", 0.01, None, False),
    ("零点五毫克", "零点五毫克", "measurement", 0.5, "mg", False),
    ("两点八五倍", "两点八五倍", "multiple", 2.85, "×", False),
    ("二点六倍", "二点六倍", "multiple", 2.6, "×", False),
    # approximations
    ("二十幾萬", "二十幾萬", "number", 200000, None, True),
    ("二十幾萬例", "二十幾萬例", "count", 200000, "例", True),
    ("十几", "十几", "number", 10, None, True),
    ("几十", "几十", "number", 10, None, True),
    ("几百万", "几百万", "number", 1000000, None, True),
    ("十几万", "十几万", "number", 100000, None, True),
    ("几万元", "几万元", "money", 10000, "CNY", True),
    ("三十多", "三十多", "number", 30, None, True),
    ("一百余", "一百余", "number", 100, None, True),
    ("十来", "十来", "number", 10, None, True),
    ("二十来岁", "二十来岁", "age", 20, "岁", True),
    ("三十多岁", "三十多岁", "age", 30, "岁", True),
    ("一千五百余", "一千五百余", "number", 1500, None, True),
    ("1万多", "1万多", "number", 10000, None, True),
    ("3千余", "3千余", "number", 3000, None, True),
    ("20多万", "20多万", "number", 200000, None, True),
    ("一百多万年", "一百多万年", "duration", 1000000, "year", True),
    ("100多万人", "100多万人", "count", 1000000, "人", True),
    ("10余万元", "10余万元", "money", 100000, "CNY", True),
    ("10几万元", "10几万元", "money", 100000, "CNY", True),
    ("1000多起", "1000多起", "count", 1000, "起", True),
    ("数十人", "数十人", "count", 10, "人", True),
    ("数百万美元", "数百万美元", "money", 1000000, "USD", True),
    ("百余人", "百余人", "count", 100, "人", True),
    ("零点几", "零点几", "number", 0.1, None, True),
    ("十几倍", "十几倍", "multiple", 10, "×", True),
    ("十几个百分点", "十几个百分点", "percentage_point", 10, "pp", True),
    ("百分之十几", "百分之十几", "percent", 10, "%", True),
    # fractions
    ("三分之一", "三分之一", "ratio", 1 / 3, None, False),
    ("五 分之 壹", "五 分之 壹", "ratio", 0.2, None, False),
    ("16分之5", "16分之5", "ratio", 0.3125, None, False),
    ("2分之1", "2分之1", "ratio", 0.5, None, False),
    ("3又一千分之23", "3又一千分之23", "ratio", 3.023, None, False),
    ("三又三分之一", "三又三分之一", "ratio", 10 / 3, None, False),
    ("一又二分之一", "一又二分之一", "ratio", 1.5, None, False),
    ("负二分之一", "负二分之一", "ratio", -0.5, None, False),
    ("负3又1/2", "负3又1/2", "ratio", -3.5, None, False),
    ("3又1/3", "3又1/3", "ratio", 10 / 3, None, False),
    ("约1/3", "1/3", "ratio", 1 / 3, None, False),
    ("3/4", "3/4", "ratio", 0.75, None, False),
    ("十分之一", "十分之一", "ratio", 0.1, None, False),
    ("三百分之一", "三百分之一", "ratio", 1 / 300, None, False),
    ("十万分之一", "十万分之一", "ratio", 0.00001, None, False),
    ("百万分之零点一", "百万分之零点一", "ratio", 1e-7, None, False),
    ("25万分之一", "25万分之一", "ratio", 4e-6, None, False),
    ("一半", "一半", "ratio", 0.5, None, False),
    # per cent, per mille, per ten thousand, percentage points
    ("百分之五十", "百分之五十", "percent", 50, "%", False),
    ("百分之两千四百五", "百分之两千四百五", "percent", 2450, "%", False),
    ("百分之四十三点五", "百分之四十三点五", "percent", 43.5, "%", False),
    ("百分之一百二十三", "百分之一百二十三", "percent", 123, "%", False),
    ("百分之百", "百分之百", "percent", 100, "%", False),
    ("百分之 3", "百分之 3", "percent", 3, "%", False),
    ("百分之3.5", "百分之3.5", "percent", 3.5, "%", False),
    ("百分之零点四", "百分之零点四", "percent", 0.4, "%", False),
    ("千分之五", "千分之五", "percent", 5, "‰", False),
    ("万分之五", "万分之五", "percent", 5, "‱", False),
    ("3‱", "3‱", "percent", 3, "‱", False),
    ("温度是零下五度", "零下五度", "measurement", -5, "度", False),
    ("零下10℃", "零下10℃", "temperature", -10, "℃", False),
    ("这本书有三百页", "三百页", "count", 300, "页", False),
    ("百分之十到二十", "百分之十到二十", "range", [10, 20], "%", False),
    ("百分之三至百分之五", "百分之三至百分之五", "range", [3, 5], "%", False),
    ("15%～20%", "15%～20%", "range", [15, 20], "%", False),
    ("四點 五個百分點", "四點 五個百分點", "percentage_point", 4.5, "pp", False),
    ("一百五十个百分点", "一百五十个百分点", "percentage_point", 150, "pp", False),
    ("二十个百分点", "二十个百分点", "percentage_point", 20, "pp", False),
    ("5个百分点", "5个百分点", "percentage_point", 5, "pp", False),
    ("上升2个百分点", "2个百分点", "percentage_point", 2, "pp", False),
    # 成 (tenths) and 折 (the share of the price paid)
    ("七成患者", "七成", "percent", 70, "%", False),
    ("2.5成", "2.5成", "percent", 25, "%", False),
    ("三成半", "三成半", "percent", 35, "%", False),
    ("八點五成", "八點五成", "percent", 85, "%", False),
    ("九成九", "九成九", "percent", 99, "%", False),
    ("三成五的人", "三成五", "percent", 35, "%", False),
    ("十成", "十成", "percent", 100, "%", False),
    ("七八成患者", "七八成", "range", [70, 80], "%", False),
    ("三到五成", "三到五成", "range", [30, 50], "%", False),
    ("五五折", "五五折", "percent", 55, "%", False),
    ("三點一折", "三點一折", "percent", 31, "%", False),
    ("七折", "七折", "percent", 70, "%", False),
    ("八五折", "八五折", "percent", 85, "%", False),
    ("九五折", "九五折", "percent", 95, "%", False),
    ("打7折", "打7折", "percent", 70, "%", False),
    ("7.5折", "7.5折", "percent", 75, "%", False),
    ("75折", "75折", "percent", 75, "%", False),
    # multiples
    ("提高了3倍", "3倍", "multiple", 3, "×", False),
    ("三到六倍", "三到六倍", "range", [3, 6], "×", False),
    ("翻了两番", "翻了两番", "multiple", 4, "×", False),
    # counts with measure words, dozens, halves
    ("一只", "一只", "count", 1, "只", False),
    ("两双鞋", "两双", "count", 2, "双", False),
    ("三条建议", "三条", "count", 3, "条", False),
    ("每天一杯", "一杯", "count", 1, "杯", False),
    ("两块钱", "两块钱", "money", 2, "CNY", False),
    ("一块化石", "一块", "count", 1, "块", False),
    ("一打", "一打", "count", 12, "个", False),
    ("半打", "半打", "count", 6, "个", False),
    ("两打鸡蛋", "两打", "count", 24, "个", False),
    ("两个半", "两个半", "count", 2.5, "个", False),
    ("半个苹果", "半个", "count", 0.5, "个", False),
    ("两个半小时", "两个半小时", "duration", 2.5, "hour", False),
    ("一个半月", "一个半月", "duration", 1.5, "month", False),
    ("三年半", "三年半", "duration", 3.5, "year", False),
    ("三岁半", "三岁半", "age", 3.5, "岁", False),
    ("半小时", "半小时", "duration", 0.5, "hour", False),
    ("半个月", "半个月", "duration", 0.5, "month", False),
    ("半年", "半年", "duration", 0.5, "year", False),
    ("每年约四百万人", "四百万人", "count", 4000000, "人", False),
    ("三千五百人", "三千五百人", "count", 3500, "人", False),
    ("两万名", "两万名", "count", 20000, "人", False),
    ("3.5万元", "3.5万元", "money", 35000, "CNY", False),
    ("2546千焦", "2546千焦", "measurement", 2546, "kJ", False),
    # ranges of every kind
    ("3-5万人", "3-5万人", "range", [30000, 50000], "人", False),
    ("10-15万根", "10-15万根", "range", [100000, 150000], "根", False),
    ("1000-2000万元", "1000-2000万元", "range", [10000000, 20000000], "CNY", False),
    ("3万-3.5万元", "3万-3.5万元", "range", [30000, 35000], "CNY", False),
    ("三到五万", "三到五万", "range", [30000, 50000], None, False),
    ("十五到二十万", "十五到二十万", "range", [150000, 200000], None, False),
    ("三到五百人", "三到五百人", "range", [300, 500], "人", False),
    ("五到一百人", "五到一百人", "range", [5, 100], "人", False),
    ("三至七十天", "三至七十天", "range", [3, 70], "day", False),
    ("四至四十八小时", "四至四十八小时", "range", [4, 48], "hour", False),
    ("二十到三十摄氏度", "二十到三十摄氏度", "range", [20, 30], "℃", False),
    ("七八个", "七八个", "range", [7, 8], "个", False),
    ("五六十岁", "五六十岁", "range", [50, 60], "岁", False),
    ("十五六岁", "十五六岁", "range", [15, 16], "岁", False),
    ("三四百万人", "三四百万人", "range", [3000000, 4000000], "人", False),
    ("两三千万元", "两三千万元", "range", [20000000, 30000000], "CNY", False),
    ("一两天", "一两天", "range", [1, 2], "day", False),
    ("两三个月", "两三个月", "range", [2, 3], "month", False),
    ("三五天", "三五天", "range", [3, 5], "day", False),
    ("五六十", "五六十", "range", [50, 60], None, False),
    ("72-96小时", "72-96小时", "range", [72, 96], "hour", False),
    # times and dates written in Chinese
    ("下午三点半", "下午三点半", "date", "T15:30", None, False),
    ("晚上十点", "晚上十点", "date", "T22:00", None, False),
    ("下午3点50分", "下午3点50分", "date", "T15:50", None, False),
    ("九点半", "九点半", "date", "T09:30", None, False),
    ("十一点到学校", "十一点", "date", "T11:00", None, False),
    ("五点钟", "五点钟", "date", "T05:00", None, False),
    ("三点二十分", "三点二十分", "date", "T03:20", None, False),
    ("一点零五分", "一点零五分", "date", "T01:05", None, False),
    ("评分提高一点五分", "一点五分", "measurement", 1.5, "分", False),
    ("音量60分贝", "60分贝", "measurement", 60, "dB", False),
    ("五月五日", "五月五日", "date", "--05-05", None, False),
    ("十二月三十一日", "十二月三十一日", "date", "--12-31", None, False),
    ("三月份", "三月", "date", "--03", None, False),
    ("正月初一", "正月初一", "date", "--01-01", None, False),
    ("腊月十九", "腊月十九", "date", "--12-19", None, False),
    ("11日上午", "11日", "date", "---11", None, False),
    ("行政拘留十日，罚款五百元", "十日", "duration", 10, "day", False),
    ("二〇二五年", "二〇二五年", "date", "2025", None, False),
    # ordinals and headings
    ("第四十九条", "第四十九", "ordinal", 49, None, False),
    ("第一千零二十四条", "第一千零二十四", "ordinal", 1024, None, False),
    ("要点\n三\n网络走险", "三", "ordinal", 3, None, False),
    # a lone numeral after a comparison
    ("等于二，", "二", "number", 2, None, False),
    ("几乎为零，", "零", "number", 0, None, False),
    ("这不是五这是二百零一", "五", "number", 5, None, False),
    ("这不是五这是二百零一", "二百零一", "number", 201, None, False),
    ("排名前三的品牌", "三", "number", 3, None, False),
    # digits mixed with numeral units and 零
    ("3万4000", "3万4000", "number", 34000, None, False),
    ("1千零1", "1千零1", "number", 1001, None, False),
    ("2千零30万", "2千零30万", "number", 20300000, None, False),
    ("7万5千4百", "7万5千4百", "number", 75400, None, False),
    ("3万5", "3万5", "number", 35000, None, False),
    ("1亿3000万", "1亿3000万", "number", 130000000, None, False),
    ("共170万35~75岁的居民", "170万", "number", 1700000, None, False),  # not 1700035
    # spaces between a numeral's characters (PDF and OCR text)
    ("一百 五 十 二", "一百 五 十 二", "number", 152, None, False),
    ("十 余 万", "十 余 万", "number", 100000, None, True),
    ("百 分之 2", "百 分之 2", "percent", 2, "%", False),
    ("七成 六", "七成 六", "percent", 76, "%", False),
    ("7 2 折", "7 2 折", "percent", 72, "%", False),
    # signs before exponents and fractions; mixed fractions; powers
    ("-1e1", "-1e1", "number", -10, None, False),
    ("-12e-1", "-12e-1", "number", -1.2, None, False),
    ("-3/2", "-3/2", "ratio", -1.5, None, False),
    ("约1/3-1/2来自辅食", "1/2", "ratio", 0.5, None, False),
    ("1 4/3", "1 4/3", "ratio", 7 / 3, None, False),
    ("三百五又三分之一", "三百五又三分之一", "ratio", 350 + 1 / 3, None, False),
    ("负3分之负157", "负3分之负157", "ratio", 157 / 3, None, False),
    ("2^5", "2^5", "number", 32, None, False),
    ("2.5^-1", "2.5^-1", "number", 0.4, None, False),
    # colloquial forms
    ("千三", "千三", "number", 1300, None, False),
    ("百三", "百三", "number", 130, None, False),
    ("年过半百", "半百", "number", 50, None, True),
    ("五十打", "五十打", "count", 600, "个", False),
    ("打对折", "打对折", "percent", 50, "%", False),
    ("半折", "半折", "percent", 5, "%", False),
    ("半成", "半成", "percent", 5, "%", False),
    # k, K and M closing a number
    ("40k", "40k", "number", 40000, None, False),
    ("百分之15K", "百分之15K", "percent", 15000, "%", False),
    ("12k个百分点", "12k个百分点", "percentage_point", 12000, "pp", False),
    ("-2.5 M", "-2.5 M", "number", -2500000, None, False),
    # the per-hundred, per-thousand and per-ten-thousand forms agree whatever their script
    ("仟分之贰", "仟分之贰", "percent", 2, "‰", False),
    ("万 分之 5", "万 分之 5", "percent", 5, "‱", False),
]


@pytest.mark.parametrize("text, span, kind, value, unit, approximate", FORMS)
def test_forms(text, span, kind, value, unit, approximate):
    got = the(text, span)
    assert got[1:2] == (kind,) and got[3] == unit and got[4] == approximate, got
    assert same(got[2], value), got


# Numeral characters that are no numbers here: words, idioms, names, a lone digit with no measure word.
NOT_NUMBERS = [
    "一起去", "一旦发现", "半成品", "统一标准", "万一", "一些人", "一下", "一点也不", "一样", "一般来说", "一直", "一定",
    "九死一生", "一石二鸟", "三心二意", "一成不变", "一五一十", "三三两两", "七七八八", "千千万万",
    "十分重要", "千万不要", "万万没想到", "唯一", "之一", "进一步", "一次性", "一口气", "一头雾水", "一部分人",
    "十二指肠", "四肢", "五官", "三七粉", "二氧化碳", "二甲双胍", "三文鱼", "百合", "十字花科蔬菜",
    "股四头肌", "一年四季", "三天两头", "一天到晚", "一本正经", "三倍体西瓜",
    "中国大陆十分接近", "作者：叶 拾", "电动三四轮车", "两部分因素", "向四周延伸",
    "以下三点建议", "百分之几", "星期一", "初一学生", "高三学生", "九九乘法表", "一一对应",
    "（一）", "一、方法", "经过半个世纪", "配低一点\n一般近视", "下一次", "下一步，",
    "四处推广", "将一袋袋蔬菜送给居民",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_words_are_not_numbers(text):
    found = read(text)
    assert found == [], found


@pytest.mark.parametrize("text, value", [("4K超高清频道", 4), ("实验温度为298K。", 298), ("轰-6K战机", 6),
                                          ("0.5 M NaCl", 0.5), ("图3K显示", 3)])
def test_k_and_m_inside_names_and_units_multiply_nothing(text, value):
    assert [abs(r[2]) for r in read(text)] == [value]


def test_a_spaced_list_of_digits_stays_apart():
    assert [r[2] for r in read("一 二 三")] == [1, 2, 3]


# Real sentences: (article id in real-articles, the text as published, the number's text, kind, value, unit,
# approximate). Drawn from the corpus's development part (benchmarks/real/split.py).
REAL = [
    ("weibo_piyao-1293", "但是村民考虑“不怕一万就怕万一”的原则", "一万", "number", 10000, None, False),
    ("wx_yaoyanguolvqi-0148", "网上传播着“柠檬比化疗强一万倍”消息", "一万倍", "multiple", 10000, "×", False),
    ("guokr_rumor-0211", "疟疾最猖狂的时代是一万年前", "一万年", "duration", 10000, "year", False),
    ("weibo_piyao-1215", "但是“损失五万元”不实", "五万元", "money", 50000, "CNY", False),
    ("piyao_org_cn-0833", "这个骗人几十万元所谓的“大仙”", "几十万元", "money", 100000, "CNY", True),
    ("piyao_org_cn-0517", "对王某锋处以二十万元罚款", "二十万元", "money", 200000, "CNY", False),
    ("piyao_org_cn-0731", "所谓十万鸡崽轮流上阵", "十万", "number", 100000, None, False),
    ("kexin_foodhealth-0272", "地下城几十亿人的吃饭问题怎么解决的", "几十亿人", "count", 1000000000, "人", True),
    ("guokr_rumor-0029", "所有哺乳动物的心跳次数都近乎十亿次", "十亿次", "count", 1000000000, "次", False),
    ("weibo_piyao-0096", "该帖展现量有10万余次", "10万余次", "count", 100000, "次", True),
    ("baidu_piyao-0493", "武汉市慈善总会将27亿元善款上缴市财政", "27亿元", "money", 2700000000, "CNY", False),
    ("thepaper-0039", "公司营收同比增长62.48%至19.4亿元", "19.4亿元", "money", 1940000000, "CNY", False),
    ("thepaper-0174", "目前拥有8600万用户", "8600万", "number", 86000000, None, False),
    ("piyao_org_cn-0240", "拦截涉诈电话14.2亿次和涉诈短信15.1亿条", "15.1亿条", "count", 1510000000, "条", False),
    ("piyao_org_cn-0973", "截至案发时共销售5400万瓶", "5400万瓶", "count", 54000000, "瓶", False),
    ("xinhua_foodpiyao-0038", "死亡人数约229万", "229万", "number", 2290000, None, False),
    ("guokr_rumor-0278", "锌锰电池中含汞量的下降是二十多年废旧电池回收运动所得到的", "二十多年", "duration", 20, "year", True),
    ("baidu_piyao-0441", "疾控中心现在要排查3万多人从温州回广东的这批人", "3万多人", "count", 30000, "人", True),
    ("xinhua_foodpiyao-0193", "对于网传视频中“保存400多天西瓜不腐”", "400多天", "duration", 400, "day", True),
    ("xinhua_foodpiyao-0152", "鸡蛋的蛋黄中含有180多毫克的胆固醇", "180多毫克", "measurement", 180, "mg", True),
    ("piyao_org_cn-0042", "调用应急车辆70余辆", "70余辆", "count", 70, "辆", True),
    ("piyao_org_cn-0899", "又被骗30余万后终于醒悟", "30余万", "number", 300000, None, True),
    ("sina_zhuoyaoji-0400", "有100余斤", "100余斤", "measurement", 100, "斤", True),
    ("piyao_org_cn-0176", "“某局长贪污三千万”等三十余条虚假视频", "三千万", "number", 30000000, None, False),
    ("piyao_org_cn-0176", "“某局长贪污三千万”等三十余条虚假视频", "三十余条", "count", 30, "条", True),
    ("piyao_org_cn-0966", "会员数量共计683万余人", "683万余人", "count", 6830000, "人", True),
    ("guokr_rumor-0039", "但这些研究纳入的受试者也不过只有百余人", "百余人", "count", 100, "人", True),
    ("kexin_foodhealth-0270", "以至于几十年前孩子们普遍需要吃宝塔糖驱虫", "几十年", "duration", 10, "year", True),
    ("piyao_org_cn-0229", "还有业主付了10几万元", "10几万元", "money", 100000, "CNY", True),
    ("guokr_rumor-0196", "过十几年来看", "十几年", "duration", 10, "year", True),
    ("kexin_foodhealth-0120", "多的有几千个 /25 克", "几千个", "count", 1000, "个", True),
    ("xinhua_foodpiyao-0164", "目前茶树或茶叶上使用的农药有几十种", "几十种", "count", 10, "种", True),
    ("piyao_org_cn-0458", "超过八成使用了“生鲜灯”照明", "八成", "percent", 80, "%", False),
    ("wx_kexuepiyao-0022", "电池容量就会下降到原有的八成", "八成", "percent", 80, "%", False),
    ("kexin_foodhealth-0452", "逾七成的 “猪油及其他经煎熬的猪脂肪及家禽脂肪”来自台湾", "七成", "percent", 70, "%", False),
    ("people_qiuzhen-0155", "并称可以帮事主以7折的价格订购旅游产品", "7折", "percent", 70, "%", False),
    ("piyao_org_cn-0162", "最高折扣票价只有航司官网价格的2折", "2折", "percent", 20, "%", False),
    ("people_qiuzhen-0155", "以五折的超低价在朋友圈广而告之", "五折", "percent", 50, "%", False),
    ("piyao_org_cn-0741", "中介最后还给打了八折优惠", "八折", "percent", 80, "%", False),
    ("wx_yaoyanguolvqi-0011", "缴纳金额最低可享受九折优惠”的消息在网上传播", "九折", "percent", 90, "%", False),
    ("kexin_foodhealth-0408", "是最高残余限量（百万分之零点一）的十六倍", "百万分之零点一", "ratio", 1e-7, None, False),
    ("kexin_foodhealth-0408", "是最高残余限量（百万分之零点一）的十六倍", "十六倍", "multiple", 16, "×", False),
    ("piyao_org_cn-0863", "目前为10万分之97.1", "10万分之97.1", "ratio", 0.000971, None, False),
    ("kexin_foodhealth-0369", "三分之二的人会在烤火鸡前先清洗一下", "三分之二", "ratio", 2 / 3, None, False),
    ("guokr_rumor-0231", "发生突变的概率大概是万分之一左右", "万分之一", "percent", 1, "‱", False),
    ("kexin_foodhealth-0173", "阳性率万分之 1", "万分之 1", "percent", 1, "‱", False),
    ("guokr_rumor-0123", "已经有六分之一的物种面临灭绝的威胁", "六分之一", "ratio", 1 / 6, None, False),
    ("kexin_foodhealth-0478", "但由于不是百分之百的灭菌", "百分之百", "percent", 100, "%", False),
    ("piyao_org_cn-0004", "支付不低于工资的百分之二百的工资报酬", "百分之二百", "percent", 200, "%", False),
    ("kexin_foodhealth-0429", "整体不合格率不足百分之零点四", "百分之零点四", "percent", 0.4, "%", False),
    ("piyao_org_cn-0851", "相当于扔掉了百分之九十以上的蛋白质", "百分之九十", "percent", 90, "%", False),
    ("people_qiuzhen-0127", "“契税税率为百分之三至百分之五”", "百分之三至百分之五", "range", [3, 5], "%", False),
    ("guokr_rumor-0337", "有害剂量的百分之一甚至千分之一", "千分之一", "percent", 1, "‰", False),
    ("xinhua_foodpiyao-0177", "同比上升0.3个百分点", "0.3个百分点", "percentage_point", 0.3, "pp", False),
    ("sina_zhuoyaoji-0418", "比上年末提高1.06个百分点", "1.06个百分点", "percentage_point", 1.06, "pp", False),
    ("kexin_foodhealth-0455", "泰国当局已于二零一三年年底发出新闻公告驳斥上述谣言", "二零一三年", "date", "2013", None, False),
    ("kexin_foodhealth-0077", "增稠剂有三四种", "三四种", "range", [3, 4], "种", False),
    ("thepaper-0223", "票价均在三四百元人民币左右", "三四百元人民币", "range", [300, 400], "CNY", False),
    ("kexin_foodhealth-0352", "由《规例》开始实施至二零一六年四月十五日", "四月十五日", "date", "--04-15", None, False),
    ("xinhua_foodpiyao-0036", "一两次这样可能没事", "一两次", "range", [1, 2], "次", False),
    ("xinhua_foodpiyao-0167", "近五六年来", "五六年", "range", [5, 6], "year", False),
    ("guokr_rumor-0283", "非常容易就可以喝两三个苹果的量", "两三个", "range", [2, 3], "个", False),
    ("kexin_foodhealth-0195", "布鲁氏菌病的潜伏期一般为五至六十天", "五至六十天", "range", [5, 60], "day", False),
    ("kexin_foodhealth-0126", "通常会在进食受污染食物后三至七十天内出现症状", "三至七十天", "range", [3, 70], "day", False),
    ("sina_zhuoyaoji-0422", "根据《中华人民共和国刑法》第一百九十三条规定", "第一百九十三", "ordinal", 193, None, False),
    ("kexin_foodhealth-0448", "回收行动已于九月二十八日结束", "九月二十八日", "date", "--09-28", None, False),
    ("guokr_rumor-0312", "尽管这个观点提出已有二三十年的时间", "二三十年", "range", [20, 30], "year", False),
    ("xinhua_foodpiyao-0170", "应当认定为刑法第二百四十六条第一款规定的“情节严重”", "第二百四十六", "ordinal", 246, None, False),
    ("guokr_rumor-0126", "吸烟者的患病风险可以是不吸烟者的十几倍", "十几倍", "multiple", 10, "×", True),
    ("kexin_foodhealth-0429", "为最高残余限量（百万分之零点二）的两点八五倍", "两点八五倍", "multiple", 2.85, "×", False),
    ("kexin_foodhealth-0429", "为最高残余限量（百万分之零点二）的两点八五倍", "百万分之零点二", "ratio", 2e-7, None, False),
    ("kexin_foodhealth-0437", "使单产提高了一倍", "一倍", "multiple", 1, "×", False),
    ("baidu_piyao-0335", "工资要是所在地平均工资的三到六倍", "三到六倍", "range", [3, 6], "×", False),
    ("kexin_foodhealth-0496", "并处货值金额二倍以上五倍以下罚款", "五倍", "multiple", 5, "×", False),
    ("piyao_org_cn-0346", "下午五点钟帐篷搭好了", "下午五点钟", "date", "T17:00", None, False),
    ("sina_zhuoyaoji-0229", "唐某于8月21日下午13点带其儿子喻某来到该快递点", "下午13点", "date", "T13:00", None, False),
    ("piyao_org_cn-0786", "每天上午7点到8点之间放出更多当日预约名额", "8点", "date", "T08:00", None, False),
    ("baidu_piyao-0064", "针对各网络平台流传的“11点到下午三点别开门窗", "下午三点", "date", "T15:00", None, False),
    ("baidu_piyao-0064", "针对各网络平台流传的“11点到下午三点别开门窗", "11点", "date", "T11:00", None, False),
    ("weibo_piyao-0450", "到夜里11点半还是人头攒动", "夜里11点半", "date", "T23:30", None, False),
    ("weibo_piyao-1343", "“湘乡市7月1日下午2点半将举行龙舟赛”", "下午2点半", "date", "T14:30", None, False),
    ("kexin_foodhealth-0429", "（《规例》）八月一日生效", "八月一日", "date", "--08-01", None, False),
    ("guokr_rumor-0053", "很明显没办法与端午节所在的五月五日产生关系", "五月五日", "date", "--05-05", None, False),
    ("kexin_foodhealth-0406", "食物环境衞生署食物安全中心（中心）今日（四月三十日）公布", "四月三十日", "date", "--04-30", None, False),
    ("kexin_foodhealth-0429", "今日（十二月十五日）发现一个菜心样本", "十二月十五日", "date", "--12-15", None, False),
    ("guokr_rumor-0194", "慢跑半个小时也才消耗近300千卡的热量", "半个小时", "duration", 0.5, "hour", False),
    ("kexin_foodhealth-0328", "通常在半小时至数小时内", "半小时", "duration", 0.5, "hour", False),
    ("piyao_org_cn-0228", "有的按半年或一年续费", "半年", "duration", 0.5, "year", False),
    ("kexin_foodhealth-0366", "每天吃三到五份水果和蔬菜", "三到五份", "range", [3, 5], "份", False),
    ("kexin_foodhealth-0434", "潜伏期一般为四至四十八小时", "四至四十八小时", "range", [4, 48], "hour", False),
    ("kexin_foodhealth-0355", "从美国进口约二十五万公吨冷藏禽肉", "二十五万", "number", 250000, None, False),
    ("kexin_foodhealth-0355", "及约四亿八千二百万", "四亿八千二百万", "number", 482000000, None, False),
    ("weibo_piyao-1039", "《中华人民共和国刑法》第一百零五条", "第一百零五", "ordinal", 105, None, False),
    ("weibo_piyao-0553", "比如第一千零七十九条规定", "第一千零七十九", "ordinal", 1079, None, False),
    ("piyao_org_cn-0596", "第五百零九条第二款规定", "第五百零九", "ordinal", 509, None, False),
    ("wx_yaoyanguolvqi-0035", "超三亿成年人患有失眠、打鼾等症状的睡眠障碍", "三亿", "number", 300000000, None, False),
    ("weibo_piyao-0326", "#官方辟谣殡仪馆月薪两万招人#", "两万", "number", 20000, None, False),
    ("kexin_foodhealth-0189", "离真正的全谷物还有十万八千里", "十万八千", "number", 108000, None, False),
    ("thepaper-0197", "处以五千元以上二万元以下罚款", "二万元", "money", 20000, "CNY", False),
    ("guokr_rumor-0207", "普通客机的巡航高度大致在两万到五万英尺（6.1千米－1.525万米）之间", "两万到五万", "range", [20000, 50000], None, False),
    ("guokr_rumor-0207", "普通客机的巡航高度大致在两万到五万英尺（6.1千米－1.525万米）之间", "6.1千米－1.525万米", "range", [6100, 15250], "m", False),
    ("guokr_rumor-0045", "如果对总共涉及二十三万多人的68项研究进行总结", "二十三万多人", "count", 230000, "人", True),
    ("piyao_org_cn-0464", "造成被害人损失共计41万余元", "41万余元", "money", 410000, "CNY", True),
    ("thepaper-0047", "向大通中心员工救灾基金捐款100万美元", "100万美元", "money", 1000000, "USD", False),
    ("guokr_rumor-0293", "留给水猿的时间就被压缩到了短短的一百多万年", "一百多万年", "duration", 1000000, "year", True),
    ("xinhua_foodpiyao-0186", "一次最多盗走300多颗牛油果", "300多颗", "count", 300, "颗", True),
    ("baidu_piyao-0463", "同时有三千多人被隔离", "三千多人", "count", 3000, "人", True),
    ("piyao_org_cn-0237", "从去年至今做过十多场直播", "十多场", "count", 10, "场", True),
    ("piyao_org_cn-0541", "被拖欠200余万元租赁费也不敢向司法机关求助", "200余万元", "money", 2000000, "CNY", True),
    ("weibo_piyao-0879", "话题阅读量已累计3300余万", "3300余万", "number", 33000000, None, True),
    ("guokr_rumor-0174", "出现1.3万余病例", "1.3万余", "number", 13000, None, True),
    ("people_qiuzhen-0010", "作案100余起", "100余起", "count", 100, "起", True),
    ("kexin_foodhealth-0376", "一天花几百块钱的人工成本去加保鲜剂", "几百块钱", "money", 100, "CNY", True),
    ("kexin_foodhealth-0385", "低则十几元", "十几元", "money", 10, "CNY", True),
    ("wx_piyaozhushou-0180", "张先生在一年前有几万元的债务问题", "几万元", "money", 10000, "CNY", True),
    ("baidu_piyao-0733", "几十个浇灌的临时房已经吊放在旁边", "几十个", "count", 10, "个", True),
    ("thepaper-0243", "今次24小时降雨量为其六成", "六成", "percent", 60, "%", False),
    ("sina_zhuoyaoji-0310", "被拐卖的比例大概占了八成", "八成", "percent", 80, "%", False),
    ("guokr_rumor-0149", "关联的程度最多也不会超过五成", "五成", "percent", 50, "%", False),
    ("piyao_org_cn-0860", "以正品2折低价售卖", "2折", "percent", 20, "%", False),
    ("kexin_foodhealth-0337", "最富有的五分之一的人群里", "五分之一", "ratio", 0.2, None, False),
    ("guokr_rumor-0173", "发生率约为在25万分之一", "25万分之一", "ratio", 4e-6, None, False),
    ("piyao_org_cn-0567", "就算是百分之一的亚硝酸盐转化为亚硝胺", "百分之一", "percent", 1, "%", False),
    ("sina_zhuoyaoji-0476", "非洲猪瘟病毒对猪的致死率高达百分之百", "百分之百", "percent", 100, "%", False),
    ("sina_zhuoyaoji-0147", "一九八五年起专职写作", "一九八五年", "date", "1985", None, False),
    ("thepaper-0197", "目前有三四个菲佣正在待岗", "三四个", "range", [3, 4], "个", False),
    ("piyao_org_cn-0786", "“我们一天结婚和离婚能办一两百对", "一两百对", "range", [100, 200], "对", False),
    ("guokr_rumor-0342", "低的每公斤可能只含有一二百毫克", "一二百毫克", "range", [100, 200], "mg", False),
    ("xinhua_foodpiyao-0006", "怎么过不了两三个小时就又想吃东西了", "两三个小时", "range", [2, 3], "hour", False),
    ("kexin_foodhealth-0110", "平均到一年三百六十五天", "三百六十五天", "duration", 365, "day", False),
    ("kexin_foodhealth-0453", "食用色素是食物添加剂的二十多种作用类别之一", "二十多种", "count", 20, "种", True),
    ("piyao_org_cn-0641", "其价格就会翻上几十倍甚至上百倍", "几十倍", "multiple", 10, "×", True),
    ("kexin_foodhealth-0408", "是最高残余限量（百万分之零点零五）的二点六倍", "二点六倍", "multiple", 2.6, "×", False),
    ("kexin_foodhealth-0408", "是最高残余限量（百万分之零点零五）的二点六倍", "百万分之零点零五", "ratio", 5e-8, None, False),
    ("guokr_rumor-0029", "这是实验室小鼠寿命的十倍", "十倍", "multiple", 10, "×", False),
    ("baidu_piyao-0744", "广东省中医院于1月21日下午两点左右发布《声明》指出", "下午两点", "date", "T14:00", None, False),
    ("people_qiuzhen-0119", "7月31日下午3点50分在市体育馆接种疫苗", "下午3点50分", "date", "T15:50", None, False),
    ("wx_yaoyanguolvqi-0036", "夏季的上午十点到下午四点是紫外线特别强的时间段", "上午十点", "date", "T10:00", None, False),
    ("wx_yaoyanguolvqi-0036", "夏季的上午十点到下午四点是紫外线特别强的时间段", "下午四点", "date", "T16:00", None, False),
    ("thepaper-0118", "11日上午9点半左右", "11日", "date", "---11", None, False),
    ("thepaper-0118", "11日上午9点半左右", "上午9点半", "date", "T09:30", None, False),
    ("weibo_piyao-0934", "9月8日早上八点半", "早上八点半", "date", "T08:30", None, False),
    ("guokr_rumor-0053", "那么曹娥投江的时间最早也是五月十七日", "五月十七日", "date", "--05-17", None, False),
    ("kexin_foodhealth-0452", "食环署于十月二十九日及十一月七日分别发出第二及第三道《命令》", "十一月七日", "date", "--11-07", None, False),
    ("kexin_foodhealth-0247", "还有半个月的预产期", "半个月", "duration", 0.5, "month", False),
    ("wx_piyaozhushou-0027", "不管是每天排便一到两次", "一到两次", "range", [1, 2], "次", False),
    ("people_qiuzhen-0168", "一般五到十分钟后", "五到十分钟", "range", [5, 10], "minute", False),
    ("guokr_rumor-0284", "一只迷你猪停止生长可能需要三到五年甚至更久", "三到五年", "range", [3, 5], "year", False),
    ("wx_yaoyanguolvqi-0167", "一般一到两周", "一到两周", "range", [1, 2], "week", False),
    ("piyao_org_cn-0005", "第一千零二十五条 行为人为公共利益实施新闻报道", "第一千零二十五", "ordinal", 1025, None, False),
    ("piyao_org_cn-0918", "网友称自己海钓五六年了", "五六年", "range", [5, 6], "year", False),
    ("piyao_org_cn-0660", "这个差距可能会有五六百度", "五六百度", "range", [500, 600], "度", False),
    ("thepaper-0144", "公司每月销售额仅两三千万元", "两三千万元", "range", [20000000, 30000000], "CNY", False),
    ("people_qiuzhen-0185", "先后给从花呗、借呗转出一万五", "一万五", "number", 15000, None, False),
    ("sina_zhuoyaoji-0411", "没说过“我们与美国技术还差两万五千里”", "两万五千", "number", 25000, None, False),
    ("piyao_org_cn-0946", "“酱亚麻蝇”喜欢二十到三十摄氏度", "二十到三十摄氏度", "range", [20, 30], "℃", False),
    ("kexin_foodhealth-0509", "熬一个粥至少需要四五十分钟", "四五十分钟", "range", [40, 50], "minute", False),
    ("piyao_org_cn-0952", "现在步行五六分钟", "五六分钟", "range", [5, 6], "minute", False),
    ("guokr_rumor-0007", "第二个立春是腊月十九", "腊月十九", "date", "--12-19", None, False),
    ("baidu_piyao-0563", "要到2月20日（正月二十七）", "正月二十七", "date", "--01-27", None, False),
    ("piyao_org_cn-0240", "多的时候十来通", "十来", "number", 10, None, True),
    ("kexin_foodhealth-0467", "榨一杯橙汁需要用两个半橙子", "两个半", "count", 2.5, "个", False),
    ("weibo_piyao-0642", "州警方公布近期打击整治网络谣言十起", "十起", "count", 10, "起", False),
    ("piyao_org_cn-0634", "龚某先后十余次购入“哮喘丹”", "十余次", "count", 10, "次", True),
    ("kexin_foodhealth-0282", "通常是每天增加100-300千卡", "100-300千卡", "range", [100, 300], "kcal", False),
    ("guokr_rumor-0077", "其中包含2870千卡的热量", "2870千卡", "measurement", 2870, "kcal", False),
    ("sina_zhuoyaoji-0147", "一九五二年调四川省文联", "一九五二年", "date", "1952", None, False),
    ("guokr_rumor-0126", "居住在无电磁辐射的儿童发病率（1400分之一）高出一倍", "1400分之一", "ratio", 1 / 1400, None, False),
    ("piyao_org_cn-0799", "通过几十个网络账号多次发布", "几十个", "count", 10, "个", True),
    ("people_qiuzhen-0107", "同有关各方联动发布权威辟谣信息1.6万余篇", "1.6万余篇", "count", 16000, "篇", True),
    ("piyao_org_cn-0885", "院内外共卖出6万多帖", "6万多", "number", 60000, None, True),
]


@pytest.mark.parametrize("article, text, span, kind, value, unit, approximate", REAL)
def test_real_sentences(article, text, span, kind, value, unit, approximate):
    got = the(text, span)
    assert got[1:2] == (kind,) and got[3] == unit and got[4] == approximate, got
    assert same(got[2], value), got


def test_real_sentences_are_quoted_from_their_articles(real_articles):
    texts = {a["id"]: a["text"] for a in real_articles}
    missing = [(article, text) for article, text, *_ in REAL if text not in texts.get(article, "")]
    assert missing == []


def test_the_table_is_large_enough():
    assert len(FORMS) + len(NOT_NUMBERS) + len(REAL) >= 300


@pytest.mark.parametrize("numeral, value, approximate", [
    ("三千五百", 3500, False), ("二十几万", 200000, True), ("五六十", [50, 60], False), ("一两", [1, 2], False),
    ("三五", [3, 5], False), ("两千三四百", [2300, 2400], False), ("零点零几", 0.01, True), ("100多万", 1000000, True),
])
def test_parse_numeral(numeral, value, approximate):
    got, approx = parse_numeral(numeral)
    assert same(got, value) and approx == approximate


@pytest.mark.parametrize("bad", ["万", "百", "千万", "几", "一一", "五五", "五百三千", "三点", "3点5", "二十五百"])
def test_parse_numeral_rejects(bad):
    with pytest.raises(ValueError):
        parse_numeral(bad)
