//! Every code qili can report, with its severity and what it means, in one table.
//!
//! Codes are scattered over the stages that find them; this table is where a number is taken,
//! so no two meanings share one. `tests/suite/codes.rs` keeps it equal to the codes the source uses
//! and to the README's tables.

use super::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    /// One line, in the README's words.
    pub meaning: &'static str,
}

const fn error(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        severity: Severity::Error,
        meaning,
    }
}

const fn warning(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        severity: Severity::Warning,
        meaning,
    }
}

/// Sorted by code, so [`lookup`] can search it.
pub static CODES: &[CodeInfo] = &[
    error("E001", "读不到站点配置 site.yaml"),
    error(
        "E002",
        "site.yaml 的设置不对：base_url 不是完整网址、没有受众、编号不合法、重复或是保留名称、按日期登记的成员人数不对",
    ),
    error(
        "E003",
        "site.yaml 的 deploy 里写了密钥：密钥只能放在环境变量里",
    ),
    error(
        "E101",
        "YAML 写法错误：引号或括号没有配对、中文冒号、冒号后少空格、Tab 缩进、同一字段写两次、嵌套太深",
    ),
    error("E102", "未知字段"),
    error(
        "E103",
        "缺少必填字段，或必填字段（标题、日期、事项、落款）是空的",
    ),
    error(
        "E104",
        "类型不对、取值不在可选范围、文字里有看不见的控制字符",
    ),
    error("E105", "日期不存在或格式不对（年份在 1900–2100 之间）"),
    error("E106", "front matter 没有结束"),
    error("E107", "文件是空的，或开头没有 front matter"),
    error("E108", "不是 UTF-8、含 NUL、只保存了一半"),
    error("E109", "读不了文件或目录"),
    error("E110", "文件超过 4 MB，或 front matter 超过 64 KB"),
    error("E111", "content/ 里有符号链接"),
    error("E201", "网址名（slug、版本名）不合法"),
    error("E202", "两个文件的网址相同"),
    error("E203", "受众不存在或没写"),
    error("E204", "::: 区块没有结束"),
    error("E205", "村（社区）不存在"),
    error("E206", "链接的页面不存在或未发布"),
    error("E207", "链接的锚点不存在"),
    error(
        "E208",
        "正文里的 HTML 打开了 <style>、<script>、<textarea> 或 <!-- 却没有结束",
    ),
    error(
        "E209",
        "村规民约的版本名是 poster：与现行版本打印版的网址重复",
    ),
    error(
        "E214",
        "要导出为公众号文章的不是已发布的课程或公开",
    ),
    error(
        "E215",
        "导出的课程没有这个受众的版本，或给公开指定了受众",
    ),
    error("E301", "村民代表会议到会不足组成人员三分之二"),
    error("E302", "村民代表会议赞成未过到会人员半数"),
    error(
        "E303",
        "村民会议到会未过十八周岁以上村民半数（按户：不足三分之二户）",
    ),
    error("E304", "村民会议赞成未过到会半数"),
    error("E305", "村民小组会议到会不足三分之二"),
    error("E306", "村民小组会议赞成未过到会半数"),
    error("E307", "社区居民会议到会未过半数"),
    error("E308", "社区居民会议赞成未过到会半数"),
    error(
        "E309",
        "党员大会到会不足半数（party_quorum: two_thirds 时为三分之二）",
    ),
    error("E310", "党员大会赞成未超过应到会党员半数"),
    error(
        "E311",
        "成员大会（以及代行它的村民会议、村民小组会议）到会不足具有完全民事行为能力的成员三分之二",
    ),
    error(
        "E312",
        "成员大会（以及代行它的村民会议、村民小组会议）赞成不足全体成员三分之二",
    ),
    error(
        "E313",
        "成员代表大会（以及代行它的村民代表会议）赞成不足全体代表三分之二",
    ),
    error("E314", "成员代表大会决定了只能由成员大会决定的事项"),
    error("E315", "成员代表不多于二十人"),
    error("E317", "集体财产事项由无权决定的会议决定"),
    error("E319", "集体财产事项按户计数：应当一人一票"),
    error(
        "E320",
        "不可能的人数：负数、实到多于应到、票数多于实到",
    ),
    error("E321", "日期先后不对"),
    error(
        "E322",
        "村民会议、成员大会（以及代行成员大会的会议）、2026 年起的居民会议没有提前十日通知",
    ),
    error("E323", "四议两公开缺少前一个步骤"),
    error(
        "E325",
        "2026 年起村民会议、村民代表会议、村民小组会议、居民会议的决定公示不足十五日",
    ),
    error("E401", "模板语法错误"),
    error("E402", "模板读到不存在的值"),
    error("E403", "主题的样式表读不了，或不能内联进公众号文章"),
    error(
        "E406",
        "搜索的同义词表 content/search/synonyms.yaml 写得不对：不是一组一组的词、一组少于两个词、词里有空格或标点、太长、或一个词出现在两组里",
    ),
    error("E501", "读写文件失败（磁盘满、没有权限、文件不存在）"),
    error("E502", "端口已被别的程序占用"),
    error("E503", "服务器无法在这个地址上启动"),
    error("E504", "无法监视文件的改动"),
    error("E505", "没有找到 Chromium，无法生成 PDF"),
    error("E506", "Chromium 没能打印一张海报"),
    error("E507", "无法生成编辑台的口令"),
    error("E508", "qili new：没有这个村（社区）"),
    error("E509", "qili new：公开和村规民约要写明属于哪个村"),
    error("E510", "qili new：标题不能为空"),
    error("E511", "无法启动工作线程"),
    error(
        "E601",
        "发布设置不全：site.yaml 没有 deploy、地址或前缀写错、环境变量里没有密钥",
    ),
    error("E602", "发布：存储服务不认这对密钥（AccessKey 或 Secret 不对）"),
    error("E603", "发布：存储桶不存在"),
    error("E604", "发布：连不上存储服务"),
    error("E605", "发布：电脑时间和存储服务相差太多"),
    error("E606", "发布：密钥没有列出、上传或删除对象的权限"),
    error(
        "E607",
        "发布：要删除存储桶里超过三成的对象，没有加 --allow-delete",
    ),
    error("E608", "发布：存储服务出了别的错"),
    warning(
        "W004",
        "base_url 是真实域名，但 site.yaml 的 footer 里没有 ICP 备案号",
    ),
    warning(
        "W112",
        "content/ 里的文件不在 lessons、regulations、notices 目录中，已跳过",
    ),
    warning("W210", "摘要超过 80 字，微信分享时会被截断"),
    warning("W211", "正文里的外部图片不直接显示，只显示为链接"),
    warning("W212", "公众号文章的标题超过 64 字"),
    warning("W213", "公众号文章的摘要超过 120 字"),
    warning(
        "W216",
        "正文里的星号 * 没有成对，页面上会原样显示（不是加粗或斜体）",
    ),
    warning("W316", "成员代表不是一般每五至十五户一名"),
    warning("W318", "会议类型与村、社区不符"),
    warning(
        "W324",
        "成员大会、成员代表大会的应到人数与 site.yaml 中 collective 登记的（会议当天有效的）人数不一致",
    ),
    warning(
        "W330",
        "公示期短于 defaults.publicity_days（本站的要求，默认 7 天）",
    ),
    warning("W331", "本季度没有任何村务公开"),
    warning(
        "W340",
        "村规民约不是村民会议（社区：居民会议）通过",
    ),
    warning("W341", "村规民约没有备案"),
    warning("W342", "村规民约或公开的条文含罚款（含「罚 + 金额」）"),
    warning("W343", "村规民约或公开的条文因上访信访限制权益"),
    warning(
        "W344",
        "村规民约或公开的条文以婚姻状况、户口等限制妇女（和男到女家落户的男子）的集体权益",
    ),
    warning(
        "W345",
        "村规民约或公开的条文以暂停、停止、取消享受或发放集体收益、福利作为处罚",
    ),
    warning(
        "W346",
        "居民公约报乡镇备案：应报不设区的市、市辖区人民政府或者它的派出机关",
    ),
    warning("W350", "公示海报在最小字号下一张 A4 印不下"),
    warning("W351", "公示海报在最小字号下一张 A3 印不下"),
    warning(
        "W352",
        "提出异议、反映意见的办法只写在「## 附件」里：海报不印附件",
    ),
    warning("W353", "金额只写在「## 附件」里：海报不印附件"),
    warning(
        "W404",
        "主题没有搜索页模板 search.html 或搜索脚本 search.js：已使用 qili 内置的",
    ),
    warning(
        "W405",
        "主题的搜索脚本 search.js 是旧版本，和 qili 生成的搜索数据格式不同",
    ),
];

/// The entry for `code`, if qili can report it.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &CODES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique_so_lookup_finds_every_entry() {
        for pair in CODES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{pair:?}");
        }
        for c in CODES {
            assert_eq!(lookup(c.code), Some(c));
        }
        assert_eq!(lookup("E999"), None);
        assert_eq!(lookup("e301"), None);
    }

    #[test]
    fn the_letter_is_the_severity() {
        for c in CODES {
            let (letter, digits) = c.code.split_at(1);
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{c:?}"
            );
            let expected = match letter {
                "E" => Severity::Error,
                "W" => Severity::Warning,
                _ => panic!("{c:?}: a code starts with E or W"),
            };
            assert_eq!(c.severity, expected, "{c:?}");
        }
    }

    /// An error and a warning with the same number would read as one finding in talk and notes.
    #[test]
    fn no_number_has_two_meanings() {
        let mut numbers: Vec<&str> = CODES.iter().map(|c| &c.code[1..]).collect();
        numbers.sort_unstable();
        for pair in numbers.windows(2) {
            assert_ne!(pair[0], pair[1], "E{0} and W{0} both exist", pair[0]);
        }
    }

    #[test]
    fn meanings_are_one_line() {
        for c in CODES {
            assert!(!c.meaning.is_empty() && !c.meaning.contains('\n'), "{c:?}");
        }
    }
}
