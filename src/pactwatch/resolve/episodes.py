"""Events merged into episodes; publication dates inferred from them.

An episode is every interaction of one type between the same countries on
overlapping dates at a compatible place, within an article and across
articles. Events whose date is unknown (an undated article's "on Tuesday")
join an episode only on stronger evidence: the same session of a standing
body ("16th session"), or a shared person at the same place. That link is
also what dates an undated article: it reported as recent an episode that
a dated article fixes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from pactwatch.models import DateRange, Document, Event, Extraction, Location, Mention

# How long after a day-precise event an article reporting it as recent is taken to appear.
PUBLICATION_LAG_DAYS = 1
# Modes from most to least specific: a merged episode keeps the most telling one.
MODE_RANK = ("mediated talks", "summit", "virtual summit", "visit", "call", "meeting", "talks")


@dataclass
class _Cluster:
    type: str
    countries: set[str]
    date: DateRange | None
    members: list[Event] = field(default_factory=list)
    weak: set[str] = field(default_factory=set)  # documents linked only as the one candidate

    @property
    def docs(self) -> set[str]:
        return {m.doc for e in self.members for m in e.mentions}

    @property
    def place(self) -> Location | None:
        return next((e.location for e in self.members if e.location and e.location.country), None)

    @property
    def actors(self) -> set[str]:
        return {a for e in self.members for a in e.actors}

    @property
    def sessions(self) -> set[int]:
        return {e.attributes["session"] for e in self.members if e.attributes.get("session")}


def _doc_of(event: Event) -> str:
    return event.mentions[0].doc if event.mentions else event.id.split(":")[0]


def _countries_fit(a: set[str], b: set[str], same_doc: bool) -> bool:
    """Equal sets, or one inside the other sharing a core pair (any overlap inside one article)."""
    if a == b:
        return True
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return small <= big and (len(small) >= 2 or (same_doc and len(small) >= 1))


def _strong_link(cluster: _Cluster, event: Event) -> bool:
    """Evidence that an undated mention is the same episode: the same session, or a shared person at one place."""
    session = event.attributes.get("session")
    if session and session in cluster.sessions:
        return True
    place = cluster.place
    return bool(set(event.actors) & cluster.actors and place and event.location
                and place.country == event.location.country)


def _fits(cluster: _Cluster, event: Event) -> float:
    """How well an event joins a cluster (0: not at all)."""
    if cluster.type != event.type:
        return 0.0
    doc = _doc_of(event)
    same_doc = doc in cluster.docs
    if not _countries_fit(cluster.countries, set(event.countries), same_doc):
        return 0.0
    place = cluster.place
    if place and event.location and event.location.country and place.country != event.location.country:
        return 0.0
    if cluster.date is not None and event.date is not None:
        if not cluster.date.overlaps(event.date):
            return 0.0
    elif not same_doc and not _strong_link(cluster, event):
        # An undated article's "recent" report may still be this episode; merge_events links it
        # only when it is the one candidate.
        if not (cluster.date is not None and len(event.countries) >= 2 and event.attributes.get("recent")
                and set(event.countries) == cluster.countries):
            return 0.0
        return 0.5 + 0.3 * len(set(event.actors) & cluster.actors)
    score = 1.0 + (0.5 if same_doc else 0.0) + 0.3 * len(set(event.actors) & cluster.actors)
    if event.attributes.get("session") and event.attributes["session"] in cluster.sessions:
        score += 1.0
    return score


def _mark_link(cluster: _Cluster, event: Event, weak: bool) -> None:
    """Remember which articles joined by elimination alone; shared evidence from any of their mentions clears it."""
    doc = _doc_of(event)
    if weak and doc not in cluster.docs:
        cluster.weak.add(doc)
    elif not weak and doc in cluster.weak and (event.attributes.get("session") or set(event.actors) & cluster.actors):
        cluster.weak.discard(doc)


def _add(cluster: _Cluster, event: Event) -> None:
    cluster.members.append(event)
    cluster.countries |= set(event.countries)
    if event.date is not None:
        cluster.date = event.date if cluster.date is None else (cluster.date.intersection(event.date)
                                                                 or cluster.date)


def _episode_id(first: Mention) -> str:
    digest = hashlib.sha1(f"{first.doc}:{first.start}:{first.end}".encode()).hexdigest()[:10]
    return f"ev_{digest}"


def _mode(members: list[Event]) -> str | None:
    modes = [e.mode for e in members if e.mode]
    if not modes:
        return None
    return min(modes, key=lambda m: MODE_RANK.index(m) if m in MODE_RANK else len(MODE_RANK))


def _episode(cluster: _Cluster, documents: dict[str, Document]) -> Event:
    mentions: list[Mention] = []
    for e in cluster.members:
        mentions += [m for m in e.mentions if m not in mentions]
    lead = min(cluster.members, key=lambda e: (e.attributes.get("date_source") not in ("text", "inherited"),
                                               e.mentions[0].start if e.mentions else 0))
    actors: list[str] = []
    topics: list[str] = []
    for e in cluster.members:
        actors += [a for a in e.actors if a not in actors]
        topics += [t for t in e.topics if t not in topics]
    attributes: dict[str, object] = {"docs": sorted({m.doc for m in mentions})}
    if cluster.sessions:
        attributes["session"] = min(cluster.sessions)
    if cluster.weak:
        attributes["weak_links"] = sorted(cluster.weak)
    return Event(id=_episode_id(mentions[0]), type=cluster.type, date=cluster.date,
                 countries=sorted(cluster.countries), mentions=mentions, mode=_mode(cluster.members),
                 location=cluster.place, actors=actors, topics=topics, summary=lead.summary, attributes=attributes)


def _order(event: Event, documents: dict[str, Document]) -> tuple[int, str, int]:
    """Dated mentions first, so undated ones meet episodes whose date is already known."""
    doc = documents.get(_doc_of(event))
    dated = 0 if event.date is not None else 1
    return dated, doc.source if doc else _doc_of(event), event.mentions[0].start if event.mentions else 0


def merge_events(events: list[Event], documents: dict[str, Document]) -> tuple[list[Event], dict[str, str]]:
    """Episodes, and a map from every per-document event id to its episode id."""
    clusters: list[_Cluster] = []
    owner: dict[str, _Cluster] = {}
    for event in sorted(events, key=lambda e: _order(e, documents)):
        best, best_score, tied = None, 0.0, False
        for cluster in clusters:
            score = _fits(cluster, event)
            if score > best_score:
                best, best_score, tied = cluster, score, False
            elif score and score == best_score and best is not None and best.date != cluster.date:
                tied = True
        if tied and best_score < 1.0:  # an undated report that fits two dated episodes equally: link neither
            best = None
        if best is None:
            best = _Cluster(event.type, set(), None)
            clusters.append(best)
        else:
            _mark_link(best, event, weak=best_score < 1.0)
        _add(best, event)
        owner[event.id] = best
    episodes: dict[int, Event] = {}
    out: list[Event] = []
    for cluster in clusters:
        episode = _episode(cluster, documents)
        episodes[id(cluster)] = episode
        out.append(episode)
    return out, {eid: episodes[id(c)].id for eid, c in owner.items()}


# ---------- publication dates ----------

def _dated(document: Document | None) -> bool:
    return document is not None and document.published is not None


def _publication_from(event_date: DateRange) -> DateRange:
    """When an article reporting an event of ``event_date`` as recent appeared."""
    if event_date.precision == "day" and event_date.days <= 7:
        return DateRange(event_date.end, event_date.end + timedelta(days=PUBLICATION_LAG_DAYS), "day")
    return event_date


def infer_publication_dates(documents: dict[str, Document], extractions: list[Extraction],
                            episodes: list[Event]) -> dict[str, DateRange]:
    """Publication dates for undated documents, from the episodes they share with dated ones."""
    by_mention: dict[tuple[str, int, int, str], Event] = {
        (m.doc, m.start, m.end, e.type): e for x in extractions for e in x.events for m in e.mentions[:1]}
    undated = {d.id for d in documents.values() if d.published_source in (None, "inferred")}
    candidates: dict[str, list[tuple[bool, DateRange]]] = {}
    for episode in episodes:
        keys = [(m.doc, m.start, m.end, episode.type) for m in episode.mentions]
        members = [by_mention[k] for k in keys if k in by_mention]
        for doc_id in {_doc_of(e) for e in members} & undated:
            own = [e for e in members if _doc_of(e) == doc_id and e.attributes.get("recent")]
            if not own:
                continue
            weak = doc_id in (episode.attributes.get("weak_links") or ())
            others = [e.date for e in members if _doc_of(e) != doc_id and e.date is not None
                      and _dated(documents.get(_doc_of(e)))]
            fixed = _tightest(others)
            if fixed is not None:
                candidates.setdefault(doc_id, []).append((weak, _publication_from(fixed)))
    out = {}
    for doc_id, found in candidates.items():
        # Links on shared evidence (a session, a person at one place) outweigh links by elimination.
        strong = [r for weak, r in found if not weak]
        out[doc_id] = _choose(strong or [r for _, r in found])
    return out


def _tightest(ranges: list[DateRange]) -> DateRange | None:
    if not ranges:
        return None
    out = min(ranges, key=lambda r: r.days)
    for r in ranges:
        out = out.intersection(r) or out
    return out


def _choose(ranges: list[DateRange]) -> DateRange:
    """The range most episodes agree on; the narrowest among equals."""
    counts = Counter(ranges)
    return min(counts, key=lambda r: (-sum(1 for o in ranges if o.overlaps(r)), r.days, r.start))
