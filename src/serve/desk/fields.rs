//! What the desk's forms ask, kind by kind: each front-matter field with its label in a
//! secretary's words, how it is typed in, and how its text becomes YAML and back. The order here
//! is the order of the form, of the law's steps, and of new fields in a file.

use crate::load::Kind;
use crate::model::notice::{CountedBy, MatterKind, Meeting};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    /// A longer text on several lines of the form (still one line in the file).
    Long,
    Int,
    Date,
    Bool,
    /// One of the site's villages.
    Village,
    /// One of the site's audiences, several allowed (a list in the file).
    Audiences,
    /// Items separated by commas (a list in the file).
    List,
    Kind,
    Meeting,
    CountedBy,
    Initiator,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub help: &'static str,
}

/// A fieldset: one step of the procedure, or the document's particulars.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// The path all its fields start with, or "" for the top-level ones.
    pub key: &'static str,
    pub legend: &'static str,
    pub note: &'static str,
    pub fields: &'static [Field],
}

const fn f(path: &'static str, label: &'static str, input: Input, help: &'static str) -> Field {
    Field {
        path,
        label,
        input,
        help,
    }
}

use Input::*;

const NOTICE: &[Group] = &[
    Group {
        key: "",
        legend: "这件事",
        note: "",
        fields: &[
            f(
                "title",
                "标题",
                Text,
                "单独转发到微信群也能看懂，例如：东岭村村道硬化工程决议公开",
            ),
            f("village", "村（社区）", Village, ""),
            f("date", "发布日期", Date, ""),
            f("summary", "一句话说明", Long, "60 字左右，微信分享时显示"),
            f("matter", "事项", Text, "例如：村道硬化工程建设方案"),
            f("kind", "事项类别", Kind, "决定由哪个会议表决、票数按什么算"),
            f("initiated_by", "动议事由", Initiator, ""),
        ],
    },
    Group {
        key: "steps.proposal",
        legend: "第一议：村党组织提议",
        note: "",
        fields: &[
            f("steps.proposal.date", "日期", Date, ""),
            f(
                "steps.proposal.body",
                "提议的组织",
                Text,
                "例如：东岭村党支部委员会",
            ),
            f("steps.proposal.outcome", "提议内容", Long, ""),
        ],
    },
    Group {
        key: "steps.deliberation",
        legend: "第二议：村“两委”会议商议",
        note: "还没开会的步骤空着就行。",
        fields: &[
            f("steps.deliberation.date", "日期", Date, ""),
            f("steps.deliberation.expected", "应到", Int, "人"),
            f("steps.deliberation.present", "实到", Int, "人"),
            f("steps.deliberation.for", "赞成", Int, "票"),
            f("steps.deliberation.against", "反对", Int, "票"),
            f("steps.deliberation.abstain", "弃权", Int, "票"),
            f(
                "steps.deliberation.outcome",
                "结果",
                Text,
                "例如：同意，提交党员大会审议",
            ),
            f(
                "steps.deliberation.combined",
                "书记、主任一肩挑，与提议合并召开",
                Bool,
                "",
            ),
        ],
    },
    Group {
        key: "steps.party_review",
        legend: "第三议：党员大会审议",
        note: "到会要达到有表决权党员的半数，赞成要超过应到会党员的半数。",
        fields: &[
            f("steps.party_review.date", "日期", Date, ""),
            f(
                "steps.party_review.expected",
                "应到（有表决权的党员）",
                Int,
                "人",
            ),
            f("steps.party_review.present", "实到", Int, "人"),
            f("steps.party_review.for", "赞成", Int, "票"),
            f("steps.party_review.against", "反对", Int, "票"),
            f("steps.party_review.abstain", "弃权", Int, "票"),
            f("steps.party_review.outcome", "结果", Text, "例如：审议通过"),
        ],
    },
    Group {
        key: "steps.resolution",
        legend: "第四议：决议",
        note: "会议只列出这个事项、这个村可以用的会议。",
        fields: &[
            f("steps.resolution.meeting", "会议", Meeting, ""),
            f(
                "steps.resolution.counted_by",
                "应到、实到按",
                CountedBy,
                "村务事项的村民会议、村民小组会议可以按户计",
            ),
            f(
                "steps.resolution.announced",
                "会议通知日期",
                Date,
                "村民会议、居民会议、成员大会要提前十日通知",
            ),
            f("steps.resolution.date", "开会日期", Date, ""),
            f(
                "steps.resolution.expected",
                "应到",
                Int,
                "人（按户计时是户）",
            ),
            f("steps.resolution.present", "实到", Int, ""),
            f("steps.resolution.for", "赞成", Int, "票"),
            f("steps.resolution.against", "反对", Int, "票"),
            f("steps.resolution.abstain", "弃权", Int, "票"),
            f(
                "steps.resolution.households",
                "代表的户数",
                Int,
                "成员代表大会才填：代表们代表多少户",
            ),
            f("steps.resolution.outcome", "结果", Text, "例如：表决通过"),
        ],
    },
    Group {
        key: "disclosure",
        legend: "决议公开",
        note: "村民会议、村民代表会议、居民会议的决定公示不少于十五日（村组法第三十五条第四款、居委会组织法第三十四条第三款）；本站的其他公示也按 site.yaml 的 publicity_days。",
        fields: &[
            f("disclosure.from", "公示开始", Date, ""),
            f("disclosure.to", "公示结束", Date, ""),
            f(
                "disclosure.place",
                "公示地点",
                Text,
                "例如：村务公开栏、村民微信群",
            ),
        ],
    },
    Group {
        key: "result",
        legend: "实施结果公开",
        note: "做完以后再填。",
        fields: &[
            f("result.date", "公开日期", Date, ""),
            f("result.content", "实施结果", Long, ""),
            f("result.amount", "金额", Text, "例如：实际支出 12.6 万元"),
            f("result.progress", "进度", Text, ""),
            f("result.supervision", "村务监督委员会意见", Text, ""),
        ],
    },
    Group {
        key: "signature",
        legend: "落款",
        note: "",
        fields: &[
            f("signature.body", "单位", Text, "例如：东岭村村民委员会"),
            f("signature.date", "日期", Date, ""),
        ],
    },
    Group {
        key: "",
        legend: "其他",
        note: "",
        fields: &[
            f(
                "contact",
                "监督、反映电话",
                Text,
                "不填就用全站的（site.yaml 的 supervision）",
            ),
            f(
                "draft",
                "草稿（先不发布）",
                Bool,
                "写好、核对好以后取消勾选，才会发布到网站",
            ),
        ],
    },
];

const LESSON: &[Group] = &[Group {
    key: "",
    legend: "这一课",
    note: "",
    fields: &[
        f("title", "标题", Text, "单独转发到微信群也能看懂"),
        f("date", "日期", Date, ""),
        f(
            "audiences",
            "给哪些读者看",
            Audiences,
            "正文里 ::: 受众 … ::: 之间的内容只给这些读者看",
        ),
        f("summary", "摘要", Long, "60 字左右，微信分享时显示"),
        f("laws", "引用的法律", List, "用逗号隔开"),
        f("tags", "标签", List, "用逗号隔开"),
        f("village", "案例所在的村", Village, "可以不填"),
        f("weight", "排序", Int, "数字小的排在前面，可以不填"),
        f("draft", "草稿（先不发布）", Bool, ""),
    ],
}];

const REGULATION: &[Group] = &[
    Group {
        key: "",
        legend: "村规民约",
        note: "",
        fields: &[
            f("title", "标题", Text, "例如：东岭村村规民约"),
            f("village", "村（社区）", Village, ""),
            f(
                "version",
                "版本名",
                Text,
                "只用小写字母、数字和连字符，例如 2025",
            ),
            f("summary", "摘要", Long, ""),
        ],
    },
    Group {
        key: "history.solicit",
        legend: "征集民意",
        note: "",
        fields: &[
            f("history.solicit.date", "日期", Date, ""),
            f(
                "history.solicit.note",
                "怎么征集的",
                Text,
                "例如：入户征求意见",
            ),
        ],
    },
    Group {
        key: "history.draft",
        legend: "拟定草案",
        note: "",
        fields: &[f("history.draft.date", "日期", Date, "")],
    },
    Group {
        key: "history.review",
        legend: "提请审核",
        note: "",
        fields: &[
            f("history.review.date", "日期", Date, ""),
            f(
                "history.review.body",
                "审核机关",
                Text,
                "例如：七里镇党委、政府",
            ),
        ],
    },
    Group {
        key: "history.vote",
        legend: "审议表决",
        note: "村规民约由村民会议（社区：居民会议）表决。",
        fields: &[
            f("history.vote.date", "日期", Date, ""),
            f("history.vote.meeting", "会议", Meeting, ""),
            f("history.vote.expected", "应到", Int, ""),
            f("history.vote.present", "实到", Int, ""),
            f("history.vote.for", "赞成", Int, ""),
            f("history.vote.against", "反对", Int, ""),
            f("history.vote.abstain", "弃权", Int, ""),
        ],
    },
    Group {
        key: "history.filing",
        legend: "备案",
        note: "",
        fields: &[
            f("history.filing.date", "日期", Date, ""),
            f(
                "history.filing.body",
                "备案机关",
                Text,
                "例如：七里镇人民政府",
            ),
        ],
    },
    Group {
        key: "",
        legend: "其他",
        note: "",
        fields: &[
            f("effective", "施行日期", Date, ""),
            f("changes", "与上一版相比改了什么", Long, ""),
            f("draft", "草稿（先不发布）", Bool, ""),
        ],
    },
];

pub fn groups(kind: Kind) -> &'static [Group] {
    match kind {
        Kind::Notice => NOTICE,
        Kind::Lesson => LESSON,
        Kind::Regulation => REGULATION,
    }
}

pub fn all(kind: Kind) -> impl Iterator<Item = &'static Field> {
    groups(kind).iter().flat_map(|g| g.fields.iter())
}

/// The form's field name of the Markdown body.
pub const BODY: &str = "body";

/// What each kind of matter means, in plain words, for the list the secretary picks from.
pub fn kind_meaning(kind: MatterKind) -> &'static str {
    match kind {
        MatterKind::Allowance => "村干部等人的误工补贴：给谁、给多少",
        MatterKind::CollectiveIncome => "集体的收入怎么用（集体财产）",
        MatterKind::PublicWorks => "修路、修渠等公益事业，怎么筹钱筹劳、谁来建",
        MatterKind::LandContract => "土地承包经营方案（只能由成员大会决定）",
        MatterKind::CollectiveProject => "集体经济项目的立项、承包（集体财产）",
        MatterKind::Homestead => "宅基地怎么分、怎么用（只能由成员大会决定）",
        MatterKind::LandCompensation => "征地补偿费怎么用、怎么分（只能由成员大会决定）",
        MatterKind::DisposeProperty => "把集体的东西借出、租出、卖掉（集体财产）",
        MatterKind::OtherVillagerInterest => "其他涉及村民利益的事",
        MatterKind::CollectiveCharter => "集体经济组织的章程（只能由成员大会决定）",
        MatterKind::MembershipConfirmation => "确认谁是集体经济组织成员（只能由成员大会决定）",
        MatterKind::CollectiveShares => "承包地、宅基地、份额量化方案（只能由成员大会决定）",
        MatterKind::CompensationDistribution => "土地补偿费怎么分（只能由成员大会决定）",
        MatterKind::MergeSplit => "集体经济组织合并、分立（只能由成员大会决定）",
        MatterKind::CollectivePropertyOther => "集体财产的其他事：经营、租赁、收益分配等",
        MatterKind::Community => "社区居民会议讨论的事",
        MatterKind::Other => "以上都不是",
    }
}

/// The choices of a list, as (value, label shown).
pub fn choices(input: Input) -> Vec<(&'static str, String)> {
    match input {
        Kind => MatterKind::ALL
            .iter()
            .map(|k| (k.label(), format!("{}：{}", k.label(), kind_meaning(*k))))
            .collect(),
        Meeting => Meeting::ALL
            .iter()
            .map(|m| (m.label(), m.label().to_string()))
            .collect(),
        CountedBy => [CountedBy::Persons, CountedBy::Households]
            .iter()
            .map(|c| {
                let v = if *c == CountedBy::Persons {
                    "人数"
                } else {
                    "户数"
                };
                (v, v.to_string())
            })
            .collect(),
        Initiator => ["党员群众建议", "村干部提议", "上级安排"]
            .iter()
            .map(|v| (*v, v.to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

impl Input {
    /// The text of a form field as the form compares it: trimmed, lists in one spelling.
    pub fn normalize(self, text: &str) -> String {
        match self {
            Bool => if text.trim() == "true" {
                "true"
            } else {
                "false"
            }
            .to_string(),
            // One spelling of a number (`030`, `+30` are 30), which is how the file gets it.
            Int => match text.trim().parse::<i64>() {
                Ok(n) => n.to_string(),
                Err(_) => text.trim().to_string(),
            },
            List | Audiences => text
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            // Several lines typed into a one-line field become one line.
            Long => text.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => text.trim().to_string(),
        }
    }

    /// A normalized, non-empty value as YAML. Numbers and dates that are not numbers or dates
    /// are quoted, so the check says what is wrong with them next to the field.
    pub fn yaml(self, text: &str) -> String {
        use super::yaml::quote;
        match self {
            Bool => text.to_string(),
            Int if text.parse::<i64>().is_ok() => text.to_string(),
            Date if is_date(text) => text.to_string(),
            List | Audiences => format!(
                "[{}]",
                text.split(", ").map(quote).collect::<Vec<_>>().join(", ")
            ),
            _ => quote(text),
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The value at a dotted path of a front matter, as the form shows it: `None` when the file has
/// something there the form cannot show (a mapping where a value goes).
fn text_of(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items) => items
            .iter()
            .map(text_of)
            .collect::<Option<Vec<_>>>()?
            .join(", "),
        Value::Tagged(t) => return text_of(&t.value),
        Value::Mapping(_) => return None,
    })
}

/// Every form field's value in `yaml`, normalized; fields the file does not have are empty
/// (`false` for a checkbox). An error when the front matter is not YAML at all.
pub fn values(
    kind: crate::load::Kind,
    yaml: &str,
) -> Result<BTreeMap<&'static str, String>, String> {
    let root: Value = if yaml.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())?
    };
    let mut out = BTreeMap::new();
    for f in all(kind) {
        let mut v = Some(&root);
        for seg in f.path.split('.') {
            v = v.and_then(|v| v.get(seg));
        }
        let text = v.and_then(text_of).unwrap_or_default();
        out.insert(f.path, f.input.normalize(&text));
    }
    Ok(out)
}
