"""The demo bakery's shared calendar: work items around today in every state, moved
through the workflow by the people the RACI matrix names (the agency writes, the
in-house team approves), one with a vocabulary finding to fix, one overdue, one with
changes requested. Built through the services, like real data."""

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from crewplan.raci.models import Activity
from crewplan.work import services
from crewplan.workspaces.models import Membership, Workspace


def load(bakery: Workspace) -> None:
    members = {
        m.user.email: m
        for m in Membership.objects.for_workspace(bakery).select_related("user", "team")
    }
    writer = members["content@sparkdigital.example"]  # 李雅婷, agency: R of the posts
    ads = members["ads@sparkdigital.example"]  # 吳宗翰, agency
    manager = members["marketing@maixiang.example"]  # 林佳蓉, in-house: A
    owner = members["owner@maixiang.example"]
    activities = {a.name: a for a in Activity.objects.for_workspace(bakery)}
    # A bakery sells food: risky claims are judged by 食安法 §28, as errors.
    services.rules_save(
        workspace=bakery,
        actor=owner.user,
        rules={
            "product_category": "food",
            "glossary": [{"preferred": "麥香烘焙坊", "forbidden": ["麦香烘焙坊", "麥香麵包店"]}],
        },
    )
    with timezone.override(bakery.time_zone):
        today = timezone.localdate()

        def at(days: int, hour: int = 12) -> datetime:
            return timezone.make_aware(
                datetime.combine(today + timedelta(days=days), time(hour)),
                timezone.get_current_timezone(),
            )

        def item(
            who: Membership, activity: str, steps: list[tuple[Membership, str]], **fields: Any
        ) -> None:
            created = services.item_create(
                workspace=bakery, membership=who, data={"activity": activities[activity], **fields}
            )
            for actor, action in steps:
                note = "請把價格與預購截止日寫清楚" if action == "request_changes" else ""
                services.item_move(
                    item=created,
                    membership=actor,
                    action=action,
                    note=note,
                    revision=created.revision,  # item_move keeps `created` current
                )
            if created.copy:
                services.item_check(item=created, membership=who)

        submit = [(writer, "start"), (writer, "submit")]
        item(
            writer,
            "社群貼文製作",
            [*submit],
            title="聖誕禮盒預購開跑",
            kind="social_post",
            channel="facebook_post",
            copy="麥香聖誕禮盒開放預購！手工奶油酥餅、蔓越莓司康，12/20 前下單享早鳥 9 折。",
            publish_at=at(3),
        )
        item(
            writer,
            "社群貼文製作",
            [(writer, "start")],
            title="跨年蛋糕 IG 貼文",
            kind="social_post",
            channel="instagram_caption",
            copy="跨年就吃麥香草莓蛋糕！看完整製作視頻 👉 #麥香烘焙坊 #跨年蛋糕",
            publish_at=at(10, 18),
        )
        item(
            ads,
            "廣告素材製作",
            [(ads, "start"), (ads, "submit"), (manager, "approve"), (ads, "schedule")],
            title="雙十二 Google 搜尋廣告",
            kind="ad_campaign",
            channel="google_ads_headline",
            copy="麥香烘焙坊雙十二限定\n手工禮盒全館 85 折",
            publish_at=at(5, 9),
        )
        item(
            writer,
            "社群貼文製作",
            [*submit, (manager, "request_changes")],
            title="會員日 LINE 推播",
            kind="social_post",
            channel="line_message",
            copy="會員日限定！全品項第二件半價。",
            publish_at=at(6, 11),
        )
        item(
            writer,
            "社群貼文製作",
            [(writer, "start")],
            title="冬至薑汁桂圓麵包",
            kind="social_post",
            channel="facebook_post",
            copy="冬至限定薑汁桂圓麵包，暖身又能增強免疫力、預防感冒！",  # two food claims
            publish_at=at(12, 12),
        )
        item(
            writer,
            "社群貼文製作",
            [(writer, "start")],
            title="週末門市活動貼文",
            kind="social_post",
            channel="facebook_post",
            copy="本週六門市試吃活動，歡迎全家大小一起來！",
            publish_at=at(-1, 10),  # overdue: still drafting at its publish time
        )
        item(
            ads,
            "儀表板",
            [(ads, "start"), (ads, "submit"), (manager, "approve"), (ads, "publish")],
            title="11 月成效月報",
            kind="data_report",
            channel="other",
            due_on=today - timedelta(days=2),
        )
        item(
            writer,
            "部落格文章撰寫",
            [],
            title="新品上市：鹽可頌的祕密",
            kind="content",
            channel="blog",
            brief="介紹新品鹽可頌的發酵工法與門市限量時段。",
            due_on=today + timedelta(days=14),
        )
