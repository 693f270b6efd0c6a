"""One plain sentence per metric, in the seller's language ("3 of 412 orders", "safe again on ...").

The sentence is built from a metric entry of the health JSON alone, so the CLI, the web app and
exports all say the same thing. Recovery dates are estimates (§5) and the sentence says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from goodstanding.errors import InputError
from goodstanding.types import LANGUAGES

_LOCALES: Final = {
    "en": "en_GB",
    "zh": "zh_Hans_CN",
    "fr": "fr_FR",
    "it": "it_IT",
    "de": "de_DE",
    "es": "es_ES",
    "ja": "ja_JP",
}

_NAMES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "order_defect_rate": "Order defect rate",
        "negative_feedback_rate": "Negative feedback rate",
        "a_to_z_claim_rate": "A-to-z claim rate",
        "chargeback_rate": "Chargeback rate",
        "late_shipment_rate": "Late shipment rate",
        "pre_fulfillment_cancel_rate": "Cancellation rate",
        "valid_tracking_rate": "Valid tracking rate",
        "on_time_delivery_rate": "On-time delivery rate",
        "late_response_rate": "Late response rate",
    },
    "fr": {
        "order_defect_rate": "Taux de commandes défectueuses",
        "negative_feedback_rate": "Taux de commentaires négatifs",
        "a_to_z_claim_rate": "Taux de réclamations A à z",
        "chargeback_rate": "Taux de rétrofacturations",
        "late_shipment_rate": "Taux d'expéditions en retard",
        "pre_fulfillment_cancel_rate": "Taux d'annulation",
        "valid_tracking_rate": "Taux de suivi valide",
        "on_time_delivery_rate": "Taux de livraison à temps",
        "late_response_rate": "Taux de réponses tardives",
    },
    "de": {
        "order_defect_rate": "Rate fehlerhafter Bestellungen",
        "negative_feedback_rate": "Rate negativer Bewertungen",
        "a_to_z_claim_rate": "A-bis-z-Garantieanträge",
        "chargeback_rate": "Rückbuchungsrate",
        "late_shipment_rate": "Rate verspäteter Lieferungen",
        "pre_fulfillment_cancel_rate": "Stornierungsrate",
        "valid_tracking_rate": "Rate gültiger Sendungsverfolgung",
        "on_time_delivery_rate": "Rate pünktlicher Zustellung",
        "late_response_rate": "Rate verspäteter Antworten",
    },
    "es": {
        "order_defect_rate": "Tasa de pedidos defectuosos",
        "negative_feedback_rate": "Tasa de valoraciones negativas",
        "a_to_z_claim_rate": "Tasa de reclamaciones de la A a la Z",
        "chargeback_rate": "Tasa de contracargos",
        "late_shipment_rate": "Tasa de envíos con retraso",
        "pre_fulfillment_cancel_rate": "Tasa de cancelaciones",
        "valid_tracking_rate": "Tasa de seguimiento válido",
        "on_time_delivery_rate": "Tasa de entregas a tiempo",
        "late_response_rate": "Tasa de respuestas tardías",
    },
    "it": {
        "order_defect_rate": "Tasso di ordini difettosi",
        "negative_feedback_rate": "Tasso di feedback negativi",
        "a_to_z_claim_rate": "Tasso di reclami dalla A alla Z",
        "chargeback_rate": "Tasso di chargeback",
        "late_shipment_rate": "Tasso di spedizioni in ritardo",
        "pre_fulfillment_cancel_rate": "Tasso di cancellazione",
        "valid_tracking_rate": "Tasso di tracciamento valido",
        "on_time_delivery_rate": "Tasso di consegne puntuali",
        "late_response_rate": "Tasso di risposte in ritardo",
    },
    "zh": {
        "order_defect_rate": "订单缺陷率",
        "negative_feedback_rate": "负面反馈率",
        "a_to_z_claim_rate": "A-to-z 索赔率",
        "chargeback_rate": "信用卡拒付率",
        "late_shipment_rate": "迟发率",
        "pre_fulfillment_cancel_rate": "配送前取消率",
        "valid_tracking_rate": "有效追踪率",
        "on_time_delivery_rate": "准时送达率",
        "late_response_rate": "延迟回复率",
    },
    "ja": {
        "order_defect_rate": "注文不良率",
        "negative_feedback_rate": "低評価率",
        "a_to_z_claim_rate": "Aからz保証申請率",
        "chargeback_rate": "チャージバック率",
        "late_shipment_rate": "出荷遅延率",
        "pre_fulfillment_cancel_rate": "出荷前キャンセル率",
        "valid_tracking_rate": "有効な追跡率",
        "on_time_delivery_rate": "予定日配達率",
        "late_response_rate": "返信遅延率",
    },
}

# Per language: units, the count phrase, target words, statuses and the sentence pieces.
_TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "orders": "orders",
        "shipments": "shipments",
        "messages": "messages",
        "count": "{n} of {d} {unit}",
        "days": "{days} days",
        "<": "under {t}",
        ">=": "at least {t}",
        "breach": "target missed",
        "at_risk": "at risk",
        "ok": "on target",
        "info": "part of the order defect rate",
        "no_data": "{name} ({scope}): no {unit} between {start} and {end}, so no rate.",
        "line": "{name} ({scope}): {count} ({value}), target {target}: {status}.",
        "info_line": "{name} ({scope}): {count} ({value}), {status}.",
        "needed": " {n} more defect-free {unit} would bring it back.",
        "safe": " Safe again on {date} if no new defects arrive — an estimate.",
    },
    "fr": {
        "orders": "commandes",
        "shipments": "expéditions",
        "messages": "messages",
        "count": "{n} sur {d} {unit}",
        "days": "{days} jours",
        "<": "moins de {t}",
        ">=": "au moins {t}",
        "breach": "objectif manqué",
        "at_risk": "à surveiller",
        "ok": "dans l'objectif",
        "info": "composante du taux de commandes défectueuses",
        "no_data": "{name} ({scope}) : aucune donnée ({unit}) entre le {start} et le {end}.",
        "line": "{name} ({scope}) : {count} ({value}), objectif {target} : {status}.",
        "info_line": "{name} ({scope}) : {count} ({value}), {status}.",
        "needed": " Encore {n} {unit} sans défaut pour revenir dans la zone sûre.",
        "safe": " Retour en zone sûre le {date} si aucun nouveau défaut n'arrive (estimation).",
    },
    "de": {
        "orders": "Bestellungen",
        "shipments": "Sendungen",
        "messages": "Nachrichten",
        "count": "{n} von {d} {unit}",
        "days": "{days} Tage",
        "<": "unter {t}",
        ">=": "mindestens {t}",
        "breach": "Ziel verfehlt",
        "at_risk": "gefährdet",
        "ok": "im Ziel",
        "info": "Teil der Rate fehlerhafter Bestellungen",
        "no_data": "{name} ({scope}): keine {unit} zwischen {start} und {end}, daher keine Rate.",
        "line": "{name} ({scope}): {count} ({value}), Ziel {target}: {status}.",
        "info_line": "{name} ({scope}): {count} ({value}), {status}.",
        "needed": " Noch {n} fehlerfreie {unit} bringen sie zurück.",
        "safe": " Wieder sicher am {date}, wenn keine neuen Mängel hinzukommen (Schätzung).",
    },
    "es": {
        "orders": "pedidos",
        "shipments": "envíos",
        "messages": "mensajes",
        "count": "{n} de {d} {unit}",
        "days": "{days} días",
        "<": "menos de {t}",
        ">=": "al menos {t}",
        "breach": "objetivo no cumplido",
        "at_risk": "en riesgo",
        "ok": "dentro del objetivo",
        "info": "parte de la tasa de pedidos defectuosos",
        "no_data": "{name} ({scope}): ningún dato ({unit}) entre el {start} y el {end}.",
        "line": "{name} ({scope}): {count} ({value}), objetivo {target}: {status}.",
        "info_line": "{name} ({scope}): {count} ({value}), {status}.",
        "needed": " Con {n} {unit} más sin defectos volvería a la zona segura.",
        "safe": " De nuevo seguro el {date} si no llegan defectos nuevos (estimación).",
    },
    "it": {
        "orders": "ordini",
        "shipments": "spedizioni",
        "messages": "messaggi",
        "count": "{n} su {d} {unit}",
        "days": "{days} giorni",
        "<": "sotto {t}",
        ">=": "almeno {t}",
        "breach": "obiettivo mancato",
        "at_risk": "a rischio",
        "ok": "nell'obiettivo",
        "info": "parte del tasso di ordini difettosi",
        "no_data": "{name} ({scope}): nessun dato ({unit}) tra il {start} e il {end}.",
        "line": "{name} ({scope}): {count} ({value}), obiettivo {target}: {status}.",
        "info_line": "{name} ({scope}): {count} ({value}), {status}.",
        "needed": " Altri {n} {unit} senza difetti lo riportano nella zona sicura.",
        "safe": " Di nuovo sicuro il {date} se non arrivano nuovi difetti (stima).",
    },
    "zh": {
        "orders": "订单",
        "shipments": "包裹",
        "messages": "消息",
        "count": "{d} 个{unit}中有 {n} 个",
        "days": "{days} 天",
        "<": "低于 {t}",
        ">=": "至少 {t}",
        "breach": "未达标",
        "at_risk": "有风险",
        "ok": "达标",
        "info": "属于订单缺陷率的组成部分",
        "no_data": "{name}（{scope}）：{start} 至 {end} 期间没有数据，无法计算。",
        "line": "{name}（{scope}）：{count}（{value}），目标{target}：{status}。",
        "info_line": "{name}（{scope}）：{count}（{value}），{status}。",
        "needed": "再有 {n} 个无缺陷的{unit}即可恢复。",
        "safe": "如无新的缺陷，预计 {date} 恢复安全（估算）。",
    },
    "ja": {
        "orders": "注文",
        "shipments": "出荷",
        "messages": "メッセージ",
        "count": "{d}件の{unit}のうち{n}件",
        "days": "{days}日間",
        "<": "{t}未満",
        ">=": "{t}以上",
        "breach": "目標未達",
        "at_risk": "要注意",
        "ok": "目標達成",
        "info": "注文不良率の内訳",
        "no_data": "{name}（{scope}）：{start}から{end}までのデータがありません。",
        "line": "{name}（{scope}）：{count}（{value}）、目標は{target}：{status}。",
        "info_line": "{name}（{scope}）：{count}（{value}）、{status}。",
        "needed": "不良のない{unit}があと{n}件あれば回復します。",
        "safe": "新たな不良がなければ{date}に安全圏に戻る見込みです（推定）。",
    },
}

_UNITS: Final = {
    "valid_tracking_rate": "shipments",
    "on_time_delivery_rate": "shipments",
    "late_response_rate": "messages",
}


def _percent(value: float, locale: str) -> str:
    # babel is imported on first use: a health run that never explains does not pay for it.
    from babel.numbers import format_decimal

    return f"{format_decimal(value * 100, format='#,##0.##', locale=locale)} %"


def _count(number: int, locale: str) -> str:
    # Grouped as the language writes it: 393,191 · 393 191 · 393.191.
    from babel.numbers import format_decimal

    return str(format_decimal(number, locale=locale))


def _day(iso: str, locale: str) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(iso), format="medium", locale=locale)


def explain_metric(metric: Mapping[str, Any], lang: str = "en") -> str:
    """One plain sentence about a metric entry of the health JSON, in language ``lang``.

    Args:
        metric: one entry of a marketplace's ``metrics`` list.
        lang: one of ``goodstanding.types.LANGUAGES``.

    Raises:
        InputError: the language is not one goodstanding speaks.

    Example:
        >>> explain_metric({"id": "order_defect_rate", "channel": "mfn", "window_days": 60,
        ...     "window_start": "2020-09-06", "window_end": "2020-11-04", "numerator": 3,
        ...     "denominator": 412, "value": 3 / 412, "target": {"op": "<", "value": 0.01},
        ...     "status": "ok", "recovery": {}})
        'Order defect rate (MFN, 60 days): 3 of 412 orders (0.73 %), target under 1 %: on target.'
    """
    if lang not in LANGUAGES:
        raise InputError(
            f"Language {lang!r} is not available.", hint=f"Use one of {', '.join(LANGUAGES)}."
        )
    texts, locale = _TEXTS[lang], _LOCALES[lang]
    metric_id = str(metric["id"])
    name = _NAMES[lang].get(metric_id, metric_id)
    unit = texts[_UNITS.get(metric_id, "orders")]
    days = texts["days"].format(days=metric["window_days"])
    channel = str(metric.get("channel") or "")
    scope = days if channel in {"", "all"} else f"{channel.upper()}, {days}"
    status = str(metric["status"])
    if status == "no_data" or metric.get("value") is None:
        return texts["no_data"].format(
            name=name,
            scope=scope,
            unit=unit.strip(),
            start=_day(str(metric["window_start"]), locale),
            end=_day(str(metric["window_end"]), locale),
        )
    count = texts["count"].format(
        n=_count(int(metric["numerator"]), locale),
        d=_count(int(metric["denominator"]), locale),
        unit=unit,
    )
    value = _percent(float(metric["value"]), locale)
    target = metric.get("target")
    if not target:
        return texts["info_line"].format(
            name=name, scope=scope, count=count, value=value, status=texts["info"]
        )
    sentence = texts["line"].format(
        name=name,
        scope=scope,
        count=count,
        value=value,
        target=texts[str(target["op"])].format(t=_percent(float(target["value"]), locale)),
        status=texts[status],
    )
    recovery = metric.get("recovery") or {}
    needed = recovery.get("clean_orders_needed")
    if status in {"breach", "at_risk"} and needed:
        sentence += texts["needed"].format(n=_count(int(needed), locale), unit=unit)
    ok_date = recovery.get("expected_ok_date")
    if status in {"breach", "at_risk"} and ok_date:
        sentence += texts["safe"].format(date=_day(str(ok_date), locale))
    return sentence
