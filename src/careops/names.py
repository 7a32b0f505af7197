"""How a person's name is typed and sorted in Latin letters: full pinyin (张三 -> zhangsan) and initials (zs).

Pure: no database, no printing. pypinyin (~0.26 s to import) is imported only when a name holds Chinese
characters, so Latin names and every command that only reads these keys never pay for it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The reading of a polyphonic character when it opens a Chinese name as its surname (pypinyin reads 单 as
# dan, 曾 as ceng…). Compound surnames first: the longest one that the name starts with wins.
SURNAMES: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "乐": ("yue",),
    "覃": ("qin",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "谌": ("chen",),
    "尉": ("yu",),
    "召": ("shao",),
    "秘": ("bi",),
    "种": ("chong",),
    "员": ("yun",),
    "那": ("na",),
    "折": ("she",),
    "繁": ("po",),
    "句": ("gou",),
    "都": ("du",),
    "薄": ("bo",),
    "隗": ("wei",),
    "阚": ("kan",),
    "洗": ("xian",),
    "卜": ("bu",),
    "佴": ("nai",),
    "藏": ("zang",),
    "黑": ("he",),
    "重": ("chong",),
}
_LONGEST = max(len(s) for s in SURNAMES)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A run of Chinese characters, or a run of other letters (a Latin word); digits and punctuation separate them.
# Compiled on first use (re caches it), not at import: every command imports this module (refs.py).
_TOKEN = rf"([{_HAN}]+)|([^\W\d_{_HAN}]+)"
_REF_NOISE = r"[\s'’\-]+"


def pinyin_key(name: str, *, person: bool = True) -> str:
    """张三 -> "zhangsan", "Wang Fang" -> "wangfang", "王 Fang" -> "wangfang": lowercase letters, no tones.
    A person's name opens with a surname (单 shan); an organisation's does not (区卫生健康委员会: qu…)."""
    return "".join(_words(name or "", person))


def initials(name: str, *, person: bool = True) -> str:
    """张三 -> "zs", 王秀英 -> "wxy", "Wang Fang" -> "wf": the first letter of each syllable or word."""
    return "".join(word[0] for word in _words(name or "", person))


def name_columns(name: str, *, person: bool = True) -> dict[str, str]:
    """The stored forms of a name, for an INSERT or an UPDATE of `party` (a contact is an organisation or an
    office, not a person: `person=False`) or `staff`."""
    return {
        "name_pinyin": pinyin_key(name, person=person),
        "name_initials": initials(name, person=person),
    }


def ref_key(text: str) -> str | None:
    """What a REF typed in pinyin or initials is looked up by ("Zhang San", "xi'an", "zs" -> lowercase letters),
    or None when it is not Latin letters only (an id, a unit, a Chinese name)."""
    key = re.sub(_REF_NOISE, "", text).lower()
    return key if key.isascii() and key.isalpha() else None


@lru_cache(maxsize=4096)
def _words(name: str, person: bool = True) -> tuple[str, ...]:
    """The name as lowercase syllables (a Chinese character each) and words (a Latin run each)."""
    words: list[str] = []
    for number, match in enumerate(re.finditer(_TOKEN, name)):
        han, latin = match.groups()
        if latin:  # José -> jose: typed on any keyboard
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c)
            )
            words.append(plain.lower())
        else:  # only a name's very first characters are read as its surname
            words += _han(han, surname=person and number == 0)
    return tuple(words)


def _han(text: str, *, surname: bool) -> list[str]:
    head: tuple[str, ...] = ()
    if surname:
        for size in range(min(_LONGEST, len(text)), 0, -1):
            # A compound surname needs a given name after it (长孙 alone is not read as one).
            if text[:size] in SURNAMES and (size == 1 or size < len(text)):
                head, text = SURNAMES[text[:size]], text[size:]
                break
    return [*head, *(_syllables(text) if text else ())]


@lru_cache(maxsize=8192)
def _syllables(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL) if s.strip())
