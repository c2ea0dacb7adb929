"""The API's two languages. Every message the server writes reads "中文 / English" (one string,
so a log line, a test and a client that names no language see both). A request that names its
language (Accept-Language: zh-CN or en) gets each error message in that language, with both
under `messages`; the split is the front end's own (frontend/src/locales localiseServerText):
exactly one " / ", Chinese before it and none after."""

import re

CJK = re.compile(r"[\u3400-\u9fff]")
ZH, EN = "zh-CN", "en"


def bilingual_parts(text: str) -> tuple[str, str] | None:
    """(中文, English) of a bilingual message; None for any other text."""
    parts = text.split(" / ")
    if len(parts) != 2:
        return None
    chinese, english = parts
    if not CJK.search(chinese) or CJK.search(english):
        return None
    return chinese.strip(), english.strip()


def localise(text: str, language: str | None) -> str:
    """The message in `language` (ZH or EN); unchanged when it is not bilingual or no language
    was asked for."""
    parts = bilingual_parts(text) if language else None
    if parts is None:
        return text
    return parts[0] if language == ZH else parts[1]


def localise_tree(value, language: str | None):
    """Every bilingual string in a JSON value (field errors: lists in dicts in lists)."""
    if isinstance(value, str):
        return localise(value, language)
    if isinstance(value, list):
        return [localise_tree(item, language) for item in value]
    if isinstance(value, dict):
        return {key: localise_tree(item, language) for key, item in value.items()}
    return value


def request_language(request) -> str | None:
    """ZH or EN from the request's Accept-Language (the first range naming either, by quality),
    None when it names neither: the answer stays bilingual."""
    header = getattr(request, "META", {}).get("HTTP_ACCEPT_LANGUAGE", "")
    ranges = []
    for position, item in enumerate(header.split(",")[:20]):  # a bounded header
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranges.append((-quality, position, tag.strip().lower()))
    for quality, _, tag in sorted(ranges):
        if quality == 0:
            continue
        if tag.startswith("zh"):
            return ZH
        if tag.startswith("en"):
            return EN
    return None
