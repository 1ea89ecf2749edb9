"""Actors merged across the corpus: one record per real person, country, organisation and body.

People are clustered on name compatibility (extract.actors.same_person_names): folded spellings, words joined
or split, the family name first, honorifics, initials and particles left out, transliteration variants, and a
name that is a subset of another ("Güler" and "Yasar Guler" join "Yaşar Güler"). Countries are evidence counted
over mentions, never a veto one article can cast: one full name is one person, and only a spelling variant
needs countries that do not disagree. A shared single word is never enough ("Asim Munir" is not "Munir
Karaloglu"); a surname alone joins the one bearer it can mean. Bodies merge when their kind of mechanism and
countries agree and the words of one name (countries as codes, in any order) are among the other's, one of
them is a generic name ("joint ministerial commission"), or both were seen at the same session.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from pactwatch.countries import country_code
from pactwatch.extract.actors import (
    BODY_HEAD_RE,
    body_session,
    fathers,
    name_core,
    same_person_names,
    same_word,
    skeleton,
)
from pactwatch.models import Actor, Extraction, Mention, Role
from pactwatch.text import fold, has_diacritics

GENERIC_BODY_WORDS = {"joint", "ministerial", "bilateral", "annual", "virtual", "high", "level", "the",
                      "intergovernmental", "inter", "governmental", "coordination", "new", "working", "group"}
# Bodies of these kinds are one per pair of countries in practice, however they are named.
ONE_PER_PAIR = {"working group", "summit", "task force"}
# Heads the press uses for one another: a body named the same but for them is one body.
ALIKE_HEADS = {"commission": "committee"}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_actors(extractions: list[Extraction]) -> tuple[list[Actor], dict[str, str]]:
    """Corpus actors, and a map from every per-document actor id to its corpus actor id."""
    actors = [a for x in extractions for a in x.actors]
    by_kind: dict[str, list[Actor]] = {}
    for a in actors:
        by_kind.setdefault(a.kind, []).append(a)
    groupers: dict[str, Callable[[list[Actor]], list[list[Actor]]]] = {
        "person": _group_people, "body": _group_bodies, "country": _group_countries,
        "organization": _group_organizations}
    merged: list[Actor] = []
    mapping: dict[str, str] = {}
    for kind, members in by_kind.items():
        for group in groupers.get(kind, lambda ms: [[m] for m in ms])(members):
            actor = _combine(group)
            merged.append(actor)
            mapping.update({m.id: actor.id for m in group})
    return merged, mapping


# ---------------------------------------------------------------- people


@lru_cache(maxsize=1 << 18)  # the corpus is resolved several times per rebuild, and again on every ingest
def _same_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return _may_be_one(tuple(name_core(list(a))), tuple(name_core(list(b)))) and same_person_names(list(a), list(b))


def _may_be_one(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """False where ``same_person_names`` must be: two names of two words or more, not the same words, where the
    first or the last word of the shorter has no spelling (``variant_keys``) among the longer's words. Most
    pairs a block of common names compares are such ("john smith", "john jones"), and this is set look-ups."""
    if len(a) < 2 or len(b) < 2 or a == b or "".join(a) == "".join(b) or sorted(a) == sorted(b):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return _ends_within(short, long_) or (len(short) == len(long_) and _ends_within(long_, short))


def _ends_within(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    # Only the first and last words: a middle one may be an abbreviation ("zambry abd kadir"), no spelling.
    keys = _name_keys(long_)
    return not _word_keys(short[0]).isdisjoint(keys) and not _word_keys(short[-1]).isdisjoint(keys)


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> frozenset[str]:
    return frozenset(variant_keys(word))


@lru_cache(maxsize=1 << 16)
def _name_keys(core: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_word_keys(w) for w in core))


def _compatible(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


# A surname alone goes to the bearer who is named this many times more often than all the others together.
DOMINANT_SHARE = 2


def _group_people(people: list[Actor]) -> list[list[Actor]]:
    """Clusters of compatible names. Countries are evidence, counted over mentions, never a veto cast by one
    article: one full name is one person whatever country an article attached to it."""
    uf = _UnionFind(len(people))
    cores = [tuple(name_core(fold(p.name).split())) for p in people]
    countries = [set(p.countries) | {r.country for r in p.roles if r.country} for p in people]
    first_of: dict[tuple[tuple[str, ...], bool], int] = {}
    for i, core in enumerate(cores):
        # "bin Salman" (the son, by his father's name) is not "Salman"
        key = (core, len(core) == 1 and bool(fathers(people[i].name)))
        if key in first_of:
            uf.union(first_of[key], i)
        else:
            first_of[key] = i
    multi = [i for (core, _), i in first_of.items() if len(core) >= 2]
    for i, j in _same_name_pairs(cores, multi):
        # The words of one name inside the other's: the same person. A spelling variant needs countries
        # that do not disagree.
        contained = set(cores[i]) <= set(cores[j]) or set(cores[j]) <= set(cores[i])
        if contained or _compatible(countries[i], countries[j]):
            uf.union(i, j)
    _join_surnames(people, cores, countries, multi, uf)
    return _collect(people, uf)


def _same_name_pairs(cores: list[tuple[str, ...]], multi: list[int], fresh: set[int] | None = None,
                     ) -> list[tuple[int, int]]:
    """The pairs of full names (positions in ``cores``, the ones in ``multi``) ``same_person_names`` holds for;
    with ``fresh``, only those with one of them in it."""
    # Only names sharing a word, or the consonants of one (spelling variants), can be one person.
    buckets: dict[str, list[int]] = {}
    for i in multi:
        for key in _buckets(cores[i]):
            buckets.setdefault(key, []).append(i)
    compared: set[tuple[int, int]] = set()
    out = []
    for members in buckets.values():
        for n, i in enumerate(members):
            others = members[n + 1:] if fresh is None or i in fresh else [j for j in members[n + 1:] if j in fresh]
            for j in others:
                if (i, j) not in compared:
                    compared.add((i, j))
                    if _same_names(cores[i], cores[j]):
                        out.append((i, j))
    return out


def _buckets(core: tuple[str, ...]) -> set[str]:
    """What a full name is compared on: its words, their consonants, the first letters of the name run together."""
    return {*core, *(skeleton(w) for w in core if len(skeleton(w)) >= 3), "".join(core)[:4]}


def person_index_keys(person: Actor) -> set[str]:
    """Keys a store finds this person by: every person ``person_links`` may link with it seeks one of them
    (``person_sought_keys``). Lets a store find the people a new name may touch without reading the others."""
    return _person_keys(person, held=True)


def person_sought_keys(person: Actor) -> set[str]:
    """The ``person_index_keys`` of every person ``person_links`` may link with this one seek at least one of."""
    return _person_keys(person, held=False)


def _person_keys(person: Actor, held: bool) -> set[str]:
    # Linked are: one name (pc); a one-word name and each full name with its word, or a spelling of it, among
    # theirs (the full name holds pwn, the one-word name pw1: each seeks the other's); two full names
    # ``_same_names`` holds for, where ``_may_be_one`` requires one's last word to have a spelling among the
    # other's words (the full name holds pwn for every word, pl for its last: each seeks the other) or the two
    # to be one run of letters (pj).
    core = tuple(name_core(fold(person.name).split()))
    keys = {f"pc|{' '.join(core)}"}
    if len(core) >= 2:
        words = {v for w in {*core, "".join(core)} for v in variant_keys(w)}
        last = set(variant_keys(core[-1]))
        keys.add(f"pj|{''.join(core)}")
        if held:
            keys |= {f"pwn|{v}" for v in words} | {f"pl|{v}" for v in last}
        else:
            keys |= {f"pwn|{v}" for v in last} | {f"pl|{v}" for v in words} | {f"pw1|{v}" for v in words}
    elif core:
        keys |= {f"{'pw1' if held else 'pwn'}|{v}" for v in variant_keys(core[0])}
    return keys


def _owner_words(multi: list[int], cores: list[tuple[str, ...]],
                 leave: dict[int, frozenset[str]] | None = None) -> dict[str, list[int]]:
    """Each word of a full name (and the name run together: "narendramodi") -> the full names holding it, but
    the words ``leave`` names for each."""
    owners_of: dict[str, list[int]] = {}
    for i in multi:
        left = (leave or {}).get(i, frozenset())
        for w in dict.fromkeys((*cores[i], "".join(cores[i]))):
            if w not in left:
                owners_of.setdefault(w, []).append(i)
    return owners_of


def _spellings(owners_of: dict[str, list[int]]) -> _VariantIndex:
    """The words of full names a one-word name may be a spelling of (``_join_surnames`` tries them)."""
    return _VariantIndex(w for w in owners_of if len(w) >= 5 and " " not in w)


def person_links(people: list[Actor], fresh: set[int] | None = None) -> list[tuple[int, int]]:
    """Every pair of people (positions in ``people``) whose merging can hang on each other: one name; two full
    names ``same_person_names`` holds for (the only ones ``_group_people`` may join); a one-word name and every
    full name it may belong to (its word, or a spelling of it, among theirs), as the choice is made among all of
    them. People no chain of these joins are resolved alike apart or together (resolve.blocks).

    With ``fresh`` only the pairs with one of them in it are looked for: the caller knows how the others link.
    """
    cores = [tuple(name_core(fold(p.name).split())) for p in people]
    first_of: dict[tuple[str, ...], int] = {}
    links = []
    for i, core in enumerate(cores):
        if (j := first_of.setdefault(core, i)) != i:
            links.append((j, i))
    multi = [i for core, i in first_of.items() if len(core) >= 2]
    links += _same_name_pairs(cores, multi, fresh)
    owners_of = _owner_words(multi, cores)
    new_owners = owners_of if fresh is None else _owner_words([i for i in multi if i in fresh], cores)
    every: _VariantIndex | None = None  # built only if a fresh one-word name needs it
    new = _spellings(new_owners)
    for core, i in first_of.items():
        if len(core) == 1:
            # A fresh name is given among every full name; another only meets the fresh full names anew.
            if fresh is None or i in fresh:
                every = every or _spellings(owners_of)
                owners, spellings = owners_of, every
            else:
                owners, spellings = new_owners, new
            words = {core[0], *(w for w in spellings.candidates(core[0]) if same_word(core[0], w))}
            links += [(i, j) for w in words for j in owners.get(w, ())]
    return links


def _join_surnames(people: list[Actor], cores: list[tuple[str, ...]], countries: list[set[str]], multi: list[int],
                   uf: _UnionFind) -> None:
    """A one-word name joins the full-name person who has that word: the only one, else the only one whose
    countries agree, else the one named in the same article, else the one named far more often than the rest."""
    owners_of = {w: {uf.find(i) for i in held} for w, held in _owner_words(multi, cores).items()}
    # A bare name is no father's name its holder bears after "bin" ("King Salman" is not Mohammed bin Salman);
    # "bin Salman" may be.
    father_words = {i: fathers(people[i].name) for i in multi}
    sons_of = {w: {uf.find(i) for i in held} for w, held in _owner_words(multi, cores, father_words).items()}
    cluster_countries: dict[int, set[str]] = {}
    cluster_docs: dict[int, set[str]] = {}
    weight: Counter[int] = Counter()
    for i, p in enumerate(people):
        root = uf.find(i)
        cluster_countries.setdefault(root, set()).update(countries[i])
        cluster_docs.setdefault(root, set()).update(m.doc for m in p.mentions)
        weight[root] += len(p.mentions) or 1
    variants = _VariantIndex(w for w in owners_of if len(w) >= 5 and " " not in w)
    for i in (i for i, core in enumerate(cores) if len(core) == 1):
        word = cores[i][0]
        holders = owners_of if fathers(people[i].name) else sons_of
        owners = sorted(holders.get(word) or {r for w in variants.candidates(word) if same_word(word, w)
                                              for r in holders.get(w, ())})
        if len(owners) > 1:
            owners = [r for r in owners if _compatible(countries[i], cluster_countries[r])] or owners
        if len(owners) > 1:
            docs = {m.doc for m in people[i].mentions}
            owners = [r for r in owners if cluster_docs[r] & docs] or owners
        if len(owners) > 1:
            top = max(owners, key=lambda r: weight[r])
            owners = [top] if weight[top] >= DOMINANT_SHARE * sum(weight[r] for r in owners if r != top) else owners
        if len(owners) == 1:
            uf.union(owners[0], i)


class _VariantIndex:
    """The words that may be a spelling of a given one, found without comparing it to every word.

    ``same_word`` holds for the same word, one edit apart (Damerau-Levenshtein) or the same consonants; two
    words one edit apart share a form with one letter deleted, so these forms and the consonant skeleton are
    the keys: a superset of the matches, which ``same_word`` then checks.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.by_key: dict[str, set[str]] = {}
        for w in words:
            for key in variant_keys(w):
                self.by_key.setdefault(key, set()).add(w)

    def candidates(self, word: str) -> set[str]:
        return {w for key in variant_keys(word) for w in self.by_key.get(key, ())}


def variant_keys(word: str) -> set[str]:
    """Keys any spelling of ``word`` that ``same_word`` accepts shares with it (see ``_VariantIndex``)."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word))), f"~{skeleton(word)}"}


def _collect(items: list[Actor], uf: _UnionFind) -> list[list[Actor]]:
    groups: dict[int, list[Actor]] = {}
    for i, a in enumerate(items):
        groups.setdefault(uf.find(i), []).append(a)
    return list(groups.values())


def _canonical_person_name(group: list[Actor]) -> str:
    """The fullest name, the most often seen spelling of it, with diacritics where any mention has them."""
    forms: Counter[str] = Counter()
    for a in group:
        forms[a.name] += len(a.mentions) or 1
    longest = max(len(fold(f).split()) for f in forms)
    full = [f for f in forms if len(fold(f).split()) == longest]
    by_fold: Counter[str] = Counter()
    for f in full:
        by_fold[fold(f)] += forms[f]
    best = by_fold.most_common(1)[0][0]
    spellings = [f for f in full if fold(f) == best]
    return max(spellings, key=lambda f: (has_diacritics(f), forms[f]))


def _merge_roles(group: list[Actor], countries: list[str]) -> list[Role]:
    """Distinct titles, a country for each where the person has one; a title contained in another is dropped."""
    seen: Counter[tuple[str, str | None]] = Counter()
    first: dict[tuple[str, str | None], Role] = {}
    for a in group:
        for r in a.roles:
            country = r.country or (countries[0] if len(countries) == 1 else None)
            key = (fold(r.title), country)
            seen[key] += 1
            first.setdefault(key, Role(r.title, country, r.organization, r.start, r.end))
    keys = list(first)
    kept = []
    for k in keys:
        words = set(k[0].split())
        richer = any(o != k and o[1] in (k[1], None) and words < set(o[0].split()) for o in keys)
        untied = any(o != k and o[0] == k[0] and k[1] is None and o[1] for o in keys)
        if not richer and not untied:
            kept.append(k)
    kept.sort(key=lambda k: (-seen[k], keys.index(k)))
    return [first[k] for k in kept]


# ---------------------------------------------------------------- bodies


def _body_head(name: str) -> str:
    heads = BODY_HEAD_RE.findall(name)
    return fold(heads[-1]).removesuffix("s") if heads else fold(name)


def _body_words(name: str) -> set[str]:
    """The words of a body's name, its countries as codes in any order ('Egyptian-Saudi' is 'Saudi-Egyptian')."""
    return {country_code(w.capitalize()) or w for w in fold(name).split()} - {"the", "of", "and"}


def _generic_body(name: str) -> bool:
    words = fold(name).split()
    head = _body_head(name).split()
    return all(w in GENERIC_BODY_WORDS or w in head for w in words)


def body_key(body: Actor) -> str:
    """What two bodies must share to be one: the kind of mechanism and the countries (see ``_same_body``)."""
    head = _body_head(body.name)
    return f"{ALIKE_HEADS.get(head, head)}|{','.join(sorted(set(body.countries)))}"


def _same_body(a: Actor, b: Actor) -> bool:
    head, other = _body_head(a.name), _body_head(b.name)
    if set(a.countries) != set(b.countries):
        return False
    if head != other:
        # "Joint Ministerial Commission" in one report, "Joint Ministerial Committee" in another: one body
        return ALIKE_HEADS.get(head, head) == ALIKE_HEADS.get(other, other) \
            and _body_words(a.name) - {head} == _body_words(b.name) - {other}
    if head in ONE_PER_PAIR:
        return True
    fa, fb = _body_words(a.name), _body_words(b.name)
    if fa <= fb or fb <= fa or _generic_body(a.name) or _generic_body(b.name):
        return True
    sa, sb = body_session(a), body_session(b)
    return sa is not None and sa == sb


def _group_bodies(bodies: list[Actor]) -> list[list[Actor]]:
    uf = _UnionFind(len(bodies))
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            if _same_body(bodies[i], bodies[j]):
                uf.union(i, j)
    return _collect(bodies, uf)


def _canonical_body_name(group: list[Actor]) -> str:
    """The most specific name: not a generic one where another exists, then the longest."""
    names = [a.name for a in group]
    specific = [n for n in names if not _generic_body(n)] or names
    return max(specific, key=lambda n: (len(fold(n).split()), sum(x == n for x in names), n[:1].isupper()))


# ---------------------------------------------------------------- countries and organisations


def _group_countries(countries: list[Actor]) -> list[list[Actor]]:
    groups: dict[str, list[Actor]] = {}
    for a in countries:
        groups.setdefault(_country_key(a), []).append(a)
    return list(groups.values())


def _country_key(actor: Actor) -> str:
    return actor.countries[0] if actor.countries else actor.name


def grown_country(record: Actor, first: Actor, more: list[Actor]) -> Actor | None:
    """The record of one country's mentions (``record``, combined from members the first of which was ``first``)
    with ``more`` mentions of it after them: what combining every member gives, since a country's record takes
    the first member's name and each member's countries, aliases and mentions in turn. None where ``more`` are
    not all of that country."""
    if any(a.kind != "country" or _country_key(a) != _country_key(first) for a in [first, *more]):
        return None
    return _combine([record, *more])


def _group_organizations(orgs: list[Actor]) -> list[list[Actor]]:
    """Organisations with a name or acronym in common and no conflicting country are one."""
    uf = _UnionFind(len(orgs))
    first: dict[str, int] = {}
    for i, a in enumerate(orgs):
        for n in {a.name, *a.aliases}:
            key = fold(n)
            if not key:
                continue
            j = first.setdefault(key, i)
            if j != i and _compatible(set(orgs[j].countries), set(a.countries)):
                uf.union(j, i)
    return _collect(orgs, uf)


# ---------------------------------------------------------------- one record from a group


def _combine(group: list[Actor]) -> Actor:
    head = group[0]
    countries: list[str] = []
    for a in group:
        countries.extend(c for c in a.countries if c not in countries)
        countries.extend(r.country for r in a.roles if r.country and r.country not in countries)
    if head.kind == "person":
        name = _canonical_person_name(group)
        countries = _counted_countries(group)
        roles = _merge_roles(group, countries[:1] if _one_country(group, countries) else countries)
    elif head.kind == "body":
        name, roles = _canonical_body_name(group), []
    else:
        name, roles = head.name, []
    aliases: list[str] = []
    for a in group:
        for alias in (a.name, *a.aliases):
            if alias != name and alias not in aliases:
                aliases.append(alias)
    if head.kind == "body":
        aliases = _session_last(aliases)
    mentions: list[Mention] = sorted({m for a in group for m in a.mentions}, key=lambda m: (m.doc, m.start, m.end))
    return Actor(id=head.id, name=name, kind=head.kind, countries=countries, aliases=aliases, roles=roles,
                 mentions=mentions)


def _country_votes(group: list[Actor]) -> Counter[str]:
    """Each country a person was given, counted by the mentions of the articles that gave it."""
    votes: Counter[str] = Counter()
    for a in group:
        for c in {*a.countries, *(r.country for r in a.roles if r.country)}:
            votes[c] += len(a.mentions) or 1
    return votes


def _counted_countries(group: list[Actor]) -> list[str]:
    """A person's countries, the best attested first: one article's wrong attribution stays last."""
    votes = _country_votes(group)
    return sorted(votes, key=lambda c: -votes[c])


def _one_country(group: list[Actor], countries: list[str]) -> bool:
    """Does the evidence name one country, the others each resting on far fewer mentions?"""
    votes = _country_votes(group)
    return len(countries) == 1 or (len(countries) > 1 and votes[countries[0]] >= DOMINANT_SHARE
                                   * sum(votes[c] for c in countries[1:]))


def _session_last(aliases: list[str]) -> list[str]:
    """Session notes ("session 16") after the names, once each."""
    sessions = sorted({a for a in aliases if re.fullmatch(r"session \d+", a)})
    return [a for a in aliases if a not in sessions] + sessions
