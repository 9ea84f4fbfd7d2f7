"""Budget health check: the usual pitfalls of an AI marketing budget (pure, no Django).

`health_findings(plan, thresholds, language)` returns findings with a stable `code`,
a `severity`, the lines or tools concerned, and a message that states the numbers
behind it and a suggested fix, in English or Traditional Chinese.

| code | severity | pitfall |
| --- | --- | --- |
| single_tool_concentration | warning | one tool takes more than `max_tool_share` of the AI tool spend |
| no_privacy_budget | error | a tool processes customer data and nothing is budgeted for data processing and privacy |
| no_kpi | warning | a line (other than the reserve) or a funded tool has no KPI |
| no_reserve | warning | the experiment reserve is below `min_reserve_share` of the plan |
| training_underfunded | warning | training is below `training_per_seat` × seats not yet covered by skilled people |
| no_pilot | warning | a candidate tool is funded for more than `pilot_max_months` months without a pilot |
| no_maintenance | warning | a tool gets integration money but no subscription or maintenance after it |
| no_owner | warning | a line has no owner team |

Money is Decimal in the workspace currency's major unit; shares are fractions 0..1.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from crewplan.lib.language import normalize, pick
from crewplan.lib.money import format_money
from crewplan.planning.budget.plan import (
    AI_TOOL_CATEGORIES,
    ZERO,
    Category,
    Line,
    Plan,
    Tool,
    ToolStatus,
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    max_tool_share: Decimal = Decimal("0.6")
    min_reserve_share: Decimal = Decimal("0.05")
    training_per_seat: Decimal = Decimal(3000)  # per seat whose user still needs training
    pilot_max_months: int = 3


class Finding(NamedTuple):
    code: str
    severity: str  # "error" / "warning"
    subjects: tuple[str, ...]  # line or tool keys
    message: str
    fix: str


TEXTS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "single_tool_concentration": (
        "warning",
        {
            "en": (
                "{tool} takes {share} of the AI tool spend ({amount} of {total}): one tool for everything.",
                "Keep a budget for a second tool or a pilot, or justify why one tool covers every need.",
            ),
            "zh-hant": (
                "{tool} 佔 AI 工具支出的 {share}（{total} 中的 {amount}）：一個工具包辦所有事。",
                "保留預算給第二個工具或試用方案，或說明為何一個工具就能滿足所有需求。",
            ),
        },
    ),
    "no_privacy_budget": (
        "error",
        {
            "en": (
                "{tools} process customer data, but nothing is budgeted for data processing and privacy.",
                "Add a data processing and privacy line (data cleaning, consent, Taiwan PDPA review).",
            ),
            "zh-hant": (
                "{tools} 會處理客戶資料，但「數據處理與隱私」沒有任何預算。",
                "新增「數據處理與隱私」預算（資料清理、同意機制、個資法檢視）。",
            ),
        },
    ),
    "no_kpi": (
        "warning",
        {
            "en": (
                "{subject} ({amount}) has no KPI: nobody can tell whether it worked.",
                "Link it to the KPI it should move, or question the spend.",
            ),
            "zh-hant": (
                "{subject}（{amount}）沒有對應的 KPI：無從判斷有沒有效果。",
                "請連結它應該推動的 KPI，或重新檢討這筆支出。",
            ),
        },
    ),
    "no_reserve": (
        "warning",
        {
            "en": (
                "The experiment reserve is {reserve} ({share} of {total}), below {minimum}: no room to test or "
                "to move money to what works.",
                "Set aside at least {minimum} as an experiment reserve and review it every quarter.",
            ),
            "zh-hant": (
                "實驗預備金只有 {reserve}（佔 {total} 的 {share}），低於 {minimum}："
                "沒有空間測試新做法，也無法把錢移到有效的地方。",
                "至少保留 {minimum} 作為實驗預備金，並每季檢討。",
            ),
        },
    ),
    "training_underfunded": (
        "warning",
        {
            "en": (
                "Training is {training}, but {gap} seats are bought for people not yet able to use the tools "
                "(about {needed} at {per_seat} a seat).",
                "Budget training for those seats, or buy fewer seats until people are trained.",
            ),
            "zh-hant": (
                "教育訓練只有 {training}，但有 {gap} 個席次的使用者還不會使用這些工具"
                "（以每席 {per_seat} 估算，約需 {needed}）。",
                "為這些席次編列訓練預算，或在人員受訓前先少買一些席次。",
            ),
        },
    ),
    "no_pilot": (
        "warning",
        {
            "en": (
                "{tool} is still a candidate but is funded for {months} months ({amount}) without a pilot.",
                "Fund a pilot of at most {limit} months first, then decide on the rest of the year.",
            ),
            "zh-hant": (
                "{tool} 仍在候選階段，卻已編列 {months} 個月的費用（{amount}），沒有先試用。",
                "先編列最多 {limit} 個月的試用，再決定其餘月份。",
            ),
        },
    ),
    "no_maintenance": (
        "warning",
        {
            "en": (
                "{tool} gets {integration} for integration, but no subscription or maintenance after month {month}.",
                "Budget the running and renewal costs that follow the integration.",
            ),
            "zh-hant": (
                "{tool} 編列了 {integration} 的整合費用，但第 {month} 個月之後沒有訂閱或維護費用。",
                "請編列整合完成後的維運與續約費用。",
            ),
        },
    ),
    "no_owner": (
        "warning",
        {
            "en": (
                "{subject} ({amount}) has no owner team: nobody answers for it.",
                "Give the line an owner team.",
            ),
            "zh-hant": (
                "{subject}（{amount}）沒有負責團隊：沒有人為它負責。",
                "請指定這筆預算的負責團隊。",
            ),
        },
    ),
}


class Wording:
    """Numbers as people read them: money with thousands separators in the currency,
    shares as percentages."""

    def __init__(self, language: str, currency: str = "TWD", decimals: int = 0) -> None:
        self.language = normalize(language)
        self.currency = currency
        self.decimals = decimals

    def money(self, amount: Decimal) -> str:
        """As the pages write it: NT$12,000."""
        return format_money(amount, self.currency)

    def share(self, fraction: Decimal) -> str:
        return f"{fraction * 100:.0f}%"

    def names(self, names: Iterable[str]) -> str:
        return pick((", ", "、"), self.language).join(names)


def _finding(code: str, subjects: Iterable[str], words: Wording, **values: object) -> Finding:
    severity, texts = TEXTS[code]
    message, fix = texts[words.language]
    return Finding(code, severity, tuple(subjects), message.format(**values), fix.format(**values))


def _last_month(amounts: tuple[Decimal, ...]) -> int:
    return max((i + 1 for i, a in enumerate(amounts) if a > 0), default=0)


def health_findings(
    plan: Plan,
    thresholds: Thresholds = Thresholds(),
    language: str = "en",
    currency: str = "TWD",
    decimals: int = 0,
) -> list[Finding]:
    words = Wording(language, currency, decimals)
    tools = {t.key: t for t in plan.tools}
    by_tool: dict[str, list[Line]] = {}
    for line in plan.lines:
        if line.tool:
            by_tool.setdefault(line.tool, []).append(line)
    findings: list[Finding] = []
    total = plan.total()

    # One tool for everything.
    ai_spend = {
        key: sum((ln.total for ln in lines if ln.category in AI_TOOL_CATEGORIES), ZERO)
        for key, lines in by_tool.items()
    }
    ai_total = sum(ai_spend.values(), ZERO)
    if ai_total > 0:
        key, amount = max(ai_spend.items(), key=lambda kv: kv[1])
        if amount / ai_total > thresholds.max_tool_share:
            findings.append(
                _finding(
                    "single_tool_concentration",
                    [key],
                    words,
                    tool=_tool_name(tools, key),
                    share=words.share(amount / ai_total),
                    amount=words.money(amount),
                    total=words.money(ai_total),
                )
            )

    # Customer data with no privacy money.
    sensitive = [t for t in plan.tools if t.customer_data and t.status != ToolStatus.RETIRED]
    if sensitive and plan.total(Category.DATA_PRIVACY) == 0:
        findings.append(
            _finding(
                "no_privacy_budget",
                [t.key for t in sensitive],
                words,
                tools=words.names(t.name for t in sensitive),
            )
        )

    # No KPI: lines other than the reserve, and tools that get money.
    for line in plan.lines:
        if not line.kpi.strip() and line.category != Category.EXPERIMENT_RESERVE and line.total > 0:
            linked_tool = tools.get(line.tool)
            if linked_tool is not None and linked_tool.kpi.strip():
                continue  # the tool's KPI covers its lines
            findings.append(
                _finding(
                    "no_kpi", [line.key], words, subject=line.item, amount=words.money(line.total)
                )
            )

    # No reserve.
    reserve = plan.total(Category.EXPERIMENT_RESERVE)
    if total > 0 and reserve / total < thresholds.min_reserve_share:
        findings.append(
            _finding(
                "no_reserve",
                [],
                words,
                reserve=words.money(reserve),
                share=words.share(reserve / total),
                total=words.money(total),
                minimum=words.share(thresholds.min_reserve_share),
            )
        )

    # Training too small for the seats bought.
    gap = sum(
        max(0, t.seats - (t.able_users if t.able_users is not None else 0))
        for t in plan.tools
        if t.status != ToolStatus.RETIRED
    )
    training = plan.total(Category.TRAINING)
    needed = thresholds.training_per_seat * gap
    if gap > 0 and training < needed:
        findings.append(
            _finding(
                "training_underfunded",
                [t.key for t in plan.tools if t.seats],
                words,
                training=words.money(training),
                gap=gap,
                needed=words.money(needed),
                per_seat=words.money(thresholds.training_per_seat),
            )
        )

    for tool in plan.tools:
        lines = by_tool.get(tool.key, [])
        # A candidate funded for the whole year without a pilot.
        if tool.status == ToolStatus.CANDIDATE:
            subscription = [ln for ln in lines if ln.category == Category.TOOL_SUBSCRIPTION]
            months = sum(1 for i in range(12) if any(ln.amounts[i] > 0 for ln in subscription))
            if months > thresholds.pilot_max_months:
                findings.append(
                    _finding(
                        "no_pilot",
                        [tool.key],
                        words,
                        tool=tool.name,
                        months=months,
                        amount=words.money(sum((ln.total for ln in subscription), ZERO)),
                        limit=thresholds.pilot_max_months,
                    )
                )
        # Integration money with nothing to run it afterwards.
        integration = [ln for ln in lines if ln.category == Category.INTEGRATION and ln.total > 0]
        if integration and tool.status != ToolStatus.RETIRED:
            done = max(_last_month(ln.amounts) for ln in integration)
            running = [ln for ln in lines if ln.category == Category.TOOL_SUBSCRIPTION]
            runs_after = any(ln.amounts[m] > 0 for ln in running for m in range(done, 12))
            if not runs_after and (done < 12 or not running):
                findings.append(
                    _finding(
                        "no_maintenance",
                        [tool.key],
                        words,
                        tool=tool.name,
                        integration=words.money(sum((ln.total for ln in integration), ZERO)),
                        month=done,
                    )
                )

    for line in plan.lines:
        if not line.owner.strip() and line.total > 0:
            findings.append(
                _finding(
                    "no_owner", [line.key], words, subject=line.item, amount=words.money(line.total)
                )
            )

    findings.sort(key=lambda f: f.severity != "error")  # stable: errors first
    return findings


def _tool_name(tools: dict[str, Tool], key: str) -> str:
    tool = tools.get(key)
    return tool.name if tool else key
