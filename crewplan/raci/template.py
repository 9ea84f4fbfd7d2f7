"""The built-in "in-house + agency" RACI template (pure data, no Django).

It reproduces the recommended split between a company and its marketing agency:
the company keeps strategy, brand voice, budget, KPI targets and customer service;
the agency executes creation, SEO, ad placement, social content and analysis
tooling; both meet in a monthly review with a stated split. Every activity has
exactly one A and at least one R, so applying it can never produce an error-level
finding as long as its in-house side is an in-house team (an external team there would
hold A on strategy and budget: `external_accountable_strategy`, an error).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from crewplan.lib.language import normalize
from crewplan.raci.validation import Activity, Kind, Matrix, Party, Role, parse_cell

IN_HOUSE = "in_house"
AGENCY = "agency"
TEMPLATE_ROLES = (IN_HOUSE, AGENCY)


@dataclass(frozen=True, slots=True)
class TemplateActivity:
    key: str
    names: Mapping[str, str]  # language -> name
    kind: Kind
    in_house: str  # cell text for the in-house role
    agency: str  # cell text for the agency role
    split: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class TemplateFunction:
    key: str
    names: Mapping[str, str]
    activities: tuple[TemplateActivity, ...]


def _a(
    key: str,
    zh: str,
    en: str,
    kind: Kind,
    in_house: str,
    agency: str,
    split: tuple[str, str] | None = None,
) -> TemplateActivity:
    return TemplateActivity(
        key=key,
        names={"zh-hant": zh, "en": en},
        kind=kind,
        in_house=in_house,
        agency=agency,
        split={"zh-hant": split[0], "en": split[1]} if split else None,
    )


S, B, E = Kind.STRATEGY, Kind.BUDGET, Kind.EXECUTION

IN_HOUSE_AND_AGENCY: tuple[TemplateFunction, ...] = (
    TemplateFunction(
        "content",
        {"zh-hant": "內容", "en": "Content"},
        (
            _a("content_strategy", "內容策略", "Content strategy", S, "R/A", "C"),
            _a("brand_voice", "品牌調性與規範", "Brand voice and guidelines", S, "R/A", "I"),
            _a("content_calendar", "內容行事曆規劃", "Content calendar planning", E, "A", "R"),
            _a("blog_writing", "部落格文章撰寫", "Blog writing", E, "A", "R"),
            _a("visual_design", "視覺設計", "Visual design", E, "A", "R"),
            _a("seo", "SEO 優化", "SEO", E, "A/C", "R"),
        ),
    ),
    TemplateFunction(
        "ads",
        {"zh-hant": "廣告", "en": "Ads"},
        (
            _a("ad_budget", "廣告預算分配", "Ad budget allocation", B, "R/A", "C"),
            _a("kpi_targets", "KPI 目標設定", "KPI targets", S, "R/A", "C"),
            _a("ad_creative", "廣告素材製作", "Ad creative production", E, "A", "R"),
            _a("ad_placement", "廣告投放與出價", "Ad placement and bidding", E, "A", "R"),
            _a("ab_tests", "A/B 測試", "A/B tests", E, "A/C", "R"),
        ),
    ),
    TemplateFunction(
        "social",
        {"zh-hant": "社群", "en": "Social"},
        (
            _a("social_posts", "社群貼文製作", "Social posts", E, "A", "R"),
            _a(
                "community_replies",
                "社群回覆與客服",
                "Community replies and customer service",
                E,
                "R/A",
                "I",
            ),
            _a("social_listening", "社群聆聽", "Social listening", E, "A/I", "R"),
            _a("influencers", "網紅合作", "Influencer partnerships", E, "A", "R/C"),
        ),
    ),
    TemplateFunction(
        "data",
        {"zh-hant": "數據", "en": "Data"},
        (
            _a(
                "tracking_setup",
                "數據蒐集與追蹤設定",
                "Data collection and tracking set-up",
                E,
                "A",
                "R",
            ),
            _a("dashboards", "儀表板", "Dashboards", E, "A/I", "R"),
            _a(
                "monthly_review",
                "每月成效檢討",
                "Monthly performance review",
                E,
                "R/A",
                "R",
                split=(
                    "代理商整理報表與建議，公司內部決定調整方向。",
                    "The agency prepares the report and proposals; "
                    "the in-house team decides the changes.",
                ),
            ),
        ),
    ),
)


def template_activities() -> list[tuple[TemplateFunction, TemplateActivity]]:
    return [(f, a) for f in IN_HOUSE_AND_AGENCY for a in f.activities]


def apply_template(mapping: Mapping[str, Party], language: str = "zh-hant") -> Matrix:
    """The template as a matrix, with each template role (`IN_HOUSE`, `AGENCY`) played by
    the given party. Both roles may map to the same party: its cells are merged."""
    lang = normalize(language)
    parties: dict[str, Party] = {}
    for role in TEMPLATE_ROLES:
        parties.setdefault(mapping[role].key, mapping[role])
    activities = []
    cells: dict[tuple[str, str], frozenset[Role]] = {}
    for function, item in template_activities():
        activities.append(
            Activity(
                key=item.key,
                name=item.names[lang],
                function=function.names[lang],
                kind=item.kind,
                split=item.split[lang] if item.split else "",
            )
        )
        for role, text in ((IN_HOUSE, item.in_house), (AGENCY, item.agency)):
            key = (item.key, mapping[role].key)
            cells[key] = cells.get(key, frozenset()) | parse_cell(text)
    return Matrix(parties=tuple(parties.values()), activities=tuple(activities), cells=cells)
