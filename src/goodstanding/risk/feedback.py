"""Triage of negative and neutral seller feedback, its trends, and professional reply drafts.

Amazon removes feedback that is obscene, carries personal information (e-mail, phone, full names)
or is *entirely* a product review, and strikes through feedback entirely about the delivery of an
Amazon-fulfilled (FBA) order; anything touching the seller's own service stays (reference §6). A
removal request is possible for about 90 days (UNCONFIRMED, reference §6). Each comment is read
in its own language (English, French, German, Italian, Spanish, Chinese, Japanese) with word lists
for product, delivery and service complaints, and sorted into:

- ``obscene`` / ``personal_info``: eligible for removal;
- ``product_review``: only about the product, eligible for removal;
- ``fba_delivery``: only about delivery of an FBA order, eligible for strike-through;
- ``mixed``: product and service together, stays (answer it);
- ``service_failure``: a real failure of the seller's service (or its own delivery), stays;
- ``unclear``: nothing recognised; read it.

Reply drafts are courteous, in the buyer's language, and never offer anything in exchange for a
changed or removed rating (offering anything for a rating breaks policy, reference §6);
:func:`check_reply` flags such an offer in a text the seller writes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from goodstanding.knowledge.evidence_rules import EvidenceRules, load_evidence_rules

CATEGORIES: Final = (
    "obscene",
    "personal_info",
    "product_review",
    "fba_delivery",
    "mixed",
    "service_failure",
    "unclear",
)
ACTIONS: Final = {
    "obscene": "request_removal",
    "personal_info": "request_removal",
    "product_review": "request_removal",
    "fba_delivery": "request_strike_through",
    "mixed": "contact_buyer",
    "service_failure": "contact_buyer",
    "unclear": "read",
}

# Word lists per language. Matched on the folded comment: whole words for Latin scripts (a
# trailing * allows any ending), substrings for Chinese and Japanese.
_LEXICON: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "en": {
        "product": (
            "broke*",
            "broken",
            "quality",
            "cheap*",
            "flimsy",
            "size",
            "too small",
            "too big",
            "colou*r",
            "material",
            "stopped working",
            "doesn't work",
            "does not work",
            "didn't work",
            "defective",
            "battery",
            "fit*",
            "smell*",
            "works",
            "item is",
            "poor design",
            "useless",
            "tastes",
            "sound",
        ),
        "delivery": (
            "deliver*",
            "arrive*",
            "late",
            "shipping",
            "shipped",
            "package",
            "box damaged",
            "damaged box",
            "parcel",
            "box was",
            "courier",
            "carrier",
            "tracking",
            "never received",
            "lost",
            "took weeks",
            "took ages",
            "days late",
            "dispatch*",
            "ups",
            "dhl",
            "usps",
            "fedex",
        ),
        "service": (
            "seller",
            "customer service",
            "no reply",
            "no response",
            "never replied",
            "didn't respond",
            "did not respond",
            "ignored",
            "refund*",
            "rude",
            "wrong item",
            "sent me",
            "return request",
            "contacted",
            "unprofessional",
            "scam*",
            "missing part*",
            "used item",
            "not new",
            "cancel*",
            "overcharged",
            "fake",
            "counterfeit",
            "knock-off",
            "not genuine",
        ),
        "obscene": (
            "fuck*",
            "shit*",
            "bullshit",
            "asshole",
            "bastard*",
            "bitch*",
            "cunt*",
            "dick*",
            "crap",
            "wtf",
        ),
    },
    "fr": {
        "product": (
            "cassé*",
            "qualité",
            "taille",
            "couleur",
            "matière",
            "ne fonctionne pas",
            "fonctionne plus",
            "défectueux",
            "batterie",
            "nul",
            "fragile",
        ),
        "delivery": (
            "livr*",
            "arrivé*",
            "retard",
            "colis",
            "transporteur",
            "expédi*",
            "jamais reçu",
            "suivi",
            "emballage",
            "carton",
        ),
        "service": (
            "vendeur",
            "service client",
            "aucune réponse",
            "pas de réponse",
            "rembours*",
            "impoli",
            "mauvais article",
            "contacté*",
            "arnaque*",
            "annul*",
            "pas neuf",
            "retour",
            "contrefaçon",
            "faux",
        ),
        "obscene": ("merde", "putain", "connard*", "salaud*", "enculé*", "con", "conne"),
    },
    "de": {
        "product": (
            "kaputt",
            "qualität",
            "größe",
            "farbe",
            "material",
            "funktioniert nicht",
            "defekt",
            "akku",
            "billig",
        ),
        "delivery": (
            "liefer*",
            "angekommen",
            "verspät*",
            "paket",
            "versand*",
            "zusteller",
            "nie erhalten",
            "nicht erhalten",
            "sendungsverfolgung",
            "verpackung",
            "karton",
        ),
        "service": (
            "verkäufer",
            "kundenservice",
            "keine antwort",
            "antwortet nicht",
            "erstatt*",
            "unhöflich",
            "falsche* artikel",
            "kontaktiert",
            "betrug*",
            "storniert",
            "nicht neu",
            "rücksendung",
            "gefälscht",
            "fälschung",
        ),
        "obscene": ("scheiße", "scheisse", "arschloch*", "fick*", "wichser"),
    },
    "it": {
        "product": (
            "rotto",
            "qualità",
            "taglia",
            "colore",
            "materiale",
            "non funziona",
            "difettoso",
            "batteria",
        ),
        "delivery": (
            "consegn*",
            "arrivato",
            "ritardo",
            "pacco",
            "spedizione",
            "corriere",
            "mai ricevuto",
            "tracciamento",
            "imballaggio",
        ),
        "service": (
            "venditore",
            "servizio clienti",
            "nessuna risposta",
            "rimbors*",
            "maleducato",
            "articolo sbagliato",
            "contattato",
            "truffa*",
            "annullat*",
            "non nuovo",
            "reso",
            "contraffatto",
            "falso",
        ),
        "obscene": ("cazzo", "merda", "stronz*", "vaffanculo"),
    },
    "es": {
        "product": (
            "roto",
            "calidad",
            "talla",
            "color",
            "material",
            "no funciona",
            "defectuoso",
            "batería",
        ),
        "delivery": (
            "entreg*",
            "llegó",
            "retraso",
            "paquete",
            "envío",
            "mensajero",
            "nunca recibí",
            "seguimiento",
            "embalaje",
        ),
        "service": (
            "vendedor",
            "atención al cliente",
            "sin respuesta",
            "no responde",
            "reembols*",
            "maleducado",
            "artículo equivocado",
            "contacté",
            "estafa*",
            "cancel*",
            "no es nuevo",
            "devolución",
            "falsificado",
            "falso",
        ),
        "obscene": ("mierda", "joder", "cabrón*", "gilipollas", "puta*"),
    },
    "zh": {
        "product": (
            "质量",
            "坏了",
            "破损",
            "尺寸",
            "颜色",
            "材料",
            "不能用",
            "不工作",
            "电池",
            "做工",
            "味道",
        ),
        "delivery": (
            "物流",
            "快递",
            "送达",
            "到货",
            "发货",
            "包裹",
            "延迟",
            "太慢",
            "没收到",
            "配送",
            "包装",
        ),
        "service": (
            "卖家",
            "客服",
            "不回复",
            "没有回复",
            "退款",
            "态度",
            "发错",
            "联系",
            "骗子",
            "取消",
            "不是新的",
            "退货",
            "假货",
            "仿冒",
        ),
        "obscene": ("他妈的", "妈的", "傻逼", "操你", "去死"),
    },
    "ja": {
        "product": ("品質", "壊れ", "サイズ", "色", "素材", "動かない", "不良", "電池"),
        "delivery": ("配送", "配達", "到着", "届か", "遅延", "遅れ", "荷物", "梱包", "発送"),
        "service": (
            "出品者",
            "販売者",
            "対応",
            "返信",
            "返金",
            "失礼",
            "違う商品",
            "連絡",
            "詐欺",
            "キャンセル",
            "新品ではない",
            "返品",
            "偽物",
        ),
        "obscene": ("くそ", "クソ", "死ね", "バカ野郎"),
    },
}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?\d[\d\s().-]{7,}\d)(?!\d)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")

# Offers of something in exchange for a rating: a benefit word near a rating word.
_BENEFIT = (
    r"refund|voucher|gift|discount|coupon|free|compensat\w*|money back|cash|reward|bonus|"
    r"rembours\w*|bon d'achat|cadeau|réduction|remise|gratuit\w*|gutschein\w*|rabatt|"
    r"erstatt\w*|geschenk|kostenlos|rimbors\w*|buono|sconto|regalo|omaggio|gratis|reembols\w*|"
    r"cupón|descuento|退款|返现|红包|优惠|礼品|赠品|补偿|返金|クーポン|割引|プレゼント|ギフト"
)
_RATING = (
    r"feedback|review|rating|stars?|avis|évaluation|commentaire|bewertung|rezension|"
    r"valutazione|recensione|feedback|valoración|reseña|opinión|评价|评论|反馈|好评|差评|"
    r"評価|レビュー"
)
_CHANGE = (
    r"remove|delete|change|update|revise|modify|retirer|supprimer|modifier|changer|entfernen|"
    r"löschen|ändern|rimuovere|modificare|eliminar|cambiar|modificar|删除|修改|撤销|更改|"
    r"削除|変更"
)
_OFFER = re.compile(
    rf"(?:{_BENEFIT}).{{0,80}}(?:{_RATING})|(?:{_RATING}).{{0,80}}(?:{_BENEFIT})", re.I | re.S
)
_CHANGE_REQUEST = re.compile(rf"(?:{_CHANGE}).{{0,40}}(?:{_RATING})", re.I | re.S)


@dataclass(frozen=True)
class FeedbackEntry:
    """One feedback row, with what the orders say about it."""

    order_id: str
    feedback_date: date
    rating: int
    comment: str
    channel: str | None = None  # afn | mfn, from the order
    asins: tuple[str, ...] = ()
    marketplace: str | None = None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _term_pattern(term: str) -> str:
    if _CJK.search(term) or _KANA.search(term):
        return re.escape(term)
    body = re.escape(term).replace(r"\*", r"\w*")
    return rf"(?<!\w){body}(?!\w)"


_COMPILED: Final = {
    lang: {
        kind: re.compile("|".join(_term_pattern(t) for t in terms)) for kind, terms in kinds.items()
    }
    for lang, kinds in _LEXICON.items()
}

_MARKETPLACE_LANGUAGE: Final = {
    "Amazon.fr": "fr",
    "Amazon.de": "de",
    "Amazon.it": "it",
    "Amazon.es": "es",
    "Amazon.co.jp": "ja",
    "Amazon.cn": "zh",
}


def detect_language(comment: str, marketplace: str | None = None) -> str:
    """The comment's language: script first, then which word list matches most."""
    if _KANA.search(comment):
        return "ja"
    if _CJK.search(comment):
        return "zh"
    folded = _fold(comment)
    hints = {
        "fr": r"\b(?:le|la|les|des|est|pas|très|une|reçu|jamais|je|mon)\b",
        "de": r"\b(?:der|die|das|ist|nicht|und|sehr|ich|kein|nie|mit)\b",
        "it": r"\b(?:il|lo|gli|è|non|molto|mai|sono|della|arrivato)\b",
        "es": r"\b(?:el|los|las|es|muy|nunca|llegó|pero|del|una)\b",
        "en": r"\b(?:the|is|was|not|very|never|and|it|my|of)\b",
    }
    scores = {lang: len(re.findall(pattern, folded)) for lang, pattern in hints.items()}
    for lang in scores:
        scores[lang] += 2 * sum(
            len(pattern.findall(folded)) for pattern in _COMPILED[lang].values()
        )
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return _MARKETPLACE_LANGUAGE.get(marketplace or "", "en")
    return best


def _hits(folded: str, lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, pattern in _COMPILED[lang].items():
        words = sorted({m.group(0) for m in pattern.finditer(folded)})
        if words:
            found[kind] = words
    return found


def classify_feedback(
    comment: str, *, channel: str | None, language: str
) -> tuple[str, dict[str, list[str]]]:
    """The category of one comment and the words that decided it."""
    folded = _fold(comment)
    hits = _hits(folded, language)
    if language != "en":
        # English words turn up in every store ("delivery", "refund").
        for kind, words in _hits(folded, "en").items():
            if kind != "obscene":
                hits.setdefault(kind, []).extend(w for w in words if w not in hits.get(kind, []))
    if "obscene" in hits:
        return "obscene", hits
    personal = _EMAIL.findall(comment) + _PHONE.findall(comment)
    if personal:
        return "personal_info", {**hits, "personal": personal}
    product, delivery, service = ("product" in hits, "delivery" in hits, "service" in hits)
    if service or (delivery and channel != "afn"):
        if product:
            return "mixed", hits
        return "service_failure", hits
    if delivery and product:
        return "mixed", hits
    if delivery:
        return "fba_delivery", hits
    if product:
        return "product_review", hits
    return "unclear", hits


# Reply drafts: (greeting, body per category group, closing). Never a word about the rating.
_REPLIES: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "service": "We are sorry about your experience with order {order}. We take this seriously "
        "and have reviewed what went wrong. Please contact us through Buyer-Seller Messaging so "
        "we can put it right.",
        "delivery": "We are sorry order {order} did not reach you as expected. Delivery of this "
        "order was handled by Amazon; if anything is still missing, please contact us through "
        "Buyer-Seller Messaging and we will help.",
        "product": "Thank you for your comments on order {order}. We are sorry the item did not "
        "meet your expectations and have passed your remarks on to our product team. If you need "
        "help with a return, please contact us through Buyer-Seller Messaging.",
    },
    "fr": {
        "service": "Nous sommes désolés de votre expérience avec la commande {order}. Nous prenons "
        "ce retour au sérieux et avons examiné ce qui s'est passé. Contactez-nous via la "
        "messagerie acheteur-vendeur afin que nous puissions y remédier.",
        "delivery": "Nous sommes désolés que la commande {order} ne vous soit pas parvenue comme "
        "prévu. La livraison a été assurée par Amazon ; si un élément manque encore, "
        "contactez-nous via la messagerie acheteur-vendeur.",
        "product": "Merci pour vos remarques sur la commande {order}. Nous regrettons que "
        "l'article ne corresponde pas à vos attentes et les avons transmises à notre équipe "
        "produit. Pour un retour, contactez-nous via la messagerie acheteur-vendeur.",
    },
    "de": {
        "service": "Es tut uns leid, dass Bestellung {order} nicht wie erwartet verlaufen ist. Wir "
        "nehmen das ernst und haben den Ablauf geprüft. Bitte schreiben Sie uns über den "
        "Käufer-Verkäufer-Nachrichtenservice, damit wir das klären können.",
        "delivery": "Es tut uns leid, dass Bestellung {order} nicht wie erwartet angekommen ist. "
        "Der Versand wurde von Amazon durchgeführt; falls noch etwas fehlt, schreiben Sie uns "
        "bitte über den Käufer-Verkäufer-Nachrichtenservice.",
        "product": "Vielen Dank für Ihre Hinweise zu Bestellung {order}. Es tut uns leid, dass der "
        "Artikel nicht Ihren Erwartungen entsprach; wir haben Ihre Anmerkungen an unser "
        "Produktteam weitergegeben. Für eine Rücksendung schreiben Sie uns bitte.",
    },
    "it": {
        "service": "Ci dispiace per la sua esperienza con l'ordine {order}. Prendiamo la "
        "segnalazione sul serio e abbiamo verificato l'accaduto. Ci contatti tramite la "
        "messaggistica acquirente-venditore per risolvere.",
        "delivery": "Ci dispiace che l'ordine {order} non sia arrivato come previsto. La consegna "
        "è stata gestita da Amazon; se manca ancora qualcosa, ci contatti tramite la "
        "messaggistica acquirente-venditore.",
        "product": "Grazie per i suoi commenti sull'ordine {order}. Ci dispiace che l'articolo non "
        "abbia soddisfatto le sue aspettative; li abbiamo inoltrati al nostro team prodotto. Per "
        "un reso ci contatti tramite la messaggistica.",
    },
    "es": {
        "service": "Lamentamos su experiencia con el pedido {order}. Nos lo tomamos en serio y "
        "hemos revisado lo ocurrido. Contáctenos mediante la mensajería comprador-vendedor para "
        "solucionarlo.",
        "delivery": "Lamentamos que el pedido {order} no llegara como esperaba. La entrega la "
        "gestionó Amazon; si aún falta algo, contáctenos mediante la mensajería "
        "comprador-vendedor.",
        "product": "Gracias por sus comentarios sobre el pedido {order}. Lamentamos que el "
        "artículo no cumpliera sus expectativas; los hemos trasladado a nuestro equipo de "
        "producto. Para una devolución, contáctenos por mensajería.",
    },
    "zh": {
        "service": "很抱歉订单 {order} 给您带来了不好的体验。我们非常重视，已经核查了问题原因。"
        "请通过买家与卖家消息服务联系我们，我们会尽快为您解决。",
        "delivery": "很抱歉订单 {order} 未能按预期送达。该订单由亚马逊负责配送；如仍有问题，"
        "请通过买家与卖家消息服务联系我们。",
        "product": "感谢您对订单 {order} 的意见。很抱歉商品未达到您的期望，我们已将您的意见转达"
        "给产品团队。如需退货，请通过买家与卖家消息服务联系我们。",
    },
    "ja": {
        "service": "ご注文 {order} でご不便をおかけし、申し訳ございません。真摯に受け止め、原因を"
        "確認いたしました。購入者・出品者間メッセージでご連絡いただければ対応いたします。",
        "delivery": "ご注文 {order} が予定どおりに届かず申し訳ございません。配送はAmazonが担当"
        "しました。ご不明な点は購入者・出品者間メッセージでご連絡ください。",
        "product": "ご注文 {order} についてご意見をありがとうございます。ご期待に沿えず申し訳"
        "ございません。商品担当に共有いたしました。返品は購入者・出品者間メッセージでご連絡"
        "ください。",
    },
}
_REPLY_GROUP: Final = {
    "product_review": "product",
    "fba_delivery": "delivery",
    "mixed": "service",
    "service_failure": "service",
    "unclear": "service",
    "obscene": "service",
    "personal_info": "service",
}


def draft_reply(category: str, language: str, order_id: str) -> str:
    """A courteous public reply in ``language`` that offers nothing for the rating."""
    texts = _REPLIES.get(language, _REPLIES["en"])
    return texts[_REPLY_GROUP[category]].format(order=order_id)


def check_reply(text: str) -> list[str]:
    """Problems in a reply or message: offering a benefit for a rating, or asking to change it.

    Returns the offending passages (empty when the text is fine).
    """
    problems = [m.group(0) for m in _OFFER.finditer(text)]
    problems += [m.group(0) for m in _CHANGE_REQUEST.finditer(text)]
    return problems


def triage_feedback(
    entries: Sequence[FeedbackEntry],
    *,
    as_of: date,
    rules: EvidenceRules | None = None,
) -> dict[str, Any]:
    """Triage negative (1–2) and neutral (3) feedback; positive feedback is skipped.

    Returns ``{"as_of", "window_days", "items": [...], "trends": {...}, "counts": {...}}``; each
    item has its category, the action, whether it is removable, the removal deadline and days
    left, and a reply draft in the buyer's language.
    """
    rules = rules or load_evidence_rules()
    window = rules.threshold("feedback_removal_window_days")
    items = []
    by_asin: dict[str, Counter[str]] = defaultdict(Counter)
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    by_reason: Counter[str] = Counter()
    for entry in sorted(entries, key=lambda e: (e.feedback_date, e.order_id)):
        if entry.rating > 3:
            continue
        language = detect_language(entry.comment, entry.marketplace)
        category, hits = classify_feedback(entry.comment, channel=entry.channel, language=language)
        action = ACTIONS[category]
        removable = action in {"request_removal", "request_strike_through"}
        deadline = entry.feedback_date + timedelta(days=window)
        days_left = (deadline - as_of).days
        reply = draft_reply(category, language, entry.order_id)
        items.append(
            {
                "order_id": entry.order_id,
                "date": entry.feedback_date.isoformat(),
                "rating": entry.rating,
                "kind": "negative" if entry.rating <= 2 else "neutral",
                "comment": entry.comment,
                "language": language,
                "channel": entry.channel,
                "asins": list(entry.asins),
                "category": category,
                "action": action if days_left >= 0 or not removable else "too_late_to_remove",
                "removable": removable,
                "matched": hits,
                "removal_deadline": deadline.isoformat(),
                "days_left": max(0, days_left),
                "window_open": days_left >= 0,
                "reply_draft": reply,
                "reply_check": check_reply(reply),
                "source": rules.raw["feedback"]["source"],
            }
        )
        month = entry.feedback_date.strftime("%Y-%m")
        by_month[month][category] += 1
        by_reason[category] += 1
        for asin in entry.asins or ("unknown",):
            by_asin[asin][category] += 1
    open_removals = [i for i in items if i["removable"] and i["window_open"]]
    return {
        "as_of": as_of.isoformat(),
        "window_days": window,
        "items": items,
        "counts": {
            "total": len(items),
            "negative": sum(1 for i in items if i["kind"] == "negative"),
            "neutral": sum(1 for i in items if i["kind"] == "neutral"),
            "removable_open": len(open_removals),
            "by_category": {c: by_reason.get(c, 0) for c in CATEGORIES},
        },
        "trends": {
            "by_asin": [
                {"asin": asin, "count": sum(c.values()), "by_category": dict(c)}
                for asin, c in sorted(by_asin.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
            ],
            "by_reason": [
                {"category": c, "count": n}
                for c, n in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "by_month": [
                {"month": m, "count": sum(c.values()), "by_category": dict(c)}
                for m, c in sorted(by_month.items())
            ],
        },
    }
