"""Incremental resolution: a corpus ingested in batches is resolved, block by block, into the very record one
ingest of it gives, ids included; a rebuild resolves again only the blocks new documents touch."""

from __future__ import annotations

import io
import json
import random
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc

from pactwatch import nlp, track
from pactwatch import pipeline as pipeline_module
from pactwatch.models import (
    Actor,
    Claim,
    DateRange,
    Document,
    Event,
    Extraction,
    Mention,
    WordKeys,
    extraction_digest,
    record_to_dict,
)
from pactwatch.pipeline import _resolve_blocks_with_inference, ingest, rebuild
from pactwatch.resolve import Resolution, blocks, episodes, resolve_blocks
from pactwatch.resolve.blocks import Block, KeyIndex, Unread, partition, repartition
from pactwatch.resolve.copies import CopyIndex, copy_groups, find_copies, groups_since, originals
from pactwatch.resolve.corroboration import merge_claims
from pactwatch.resolve.episodes import text_bounds
from pactwatch.store import Store, open_store
from pactwatch.store.blocks import BlockGone
from pactwatch.track import judge, word_keys

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))

# Dev-style articles about pairs the samples do not cover: one meeting reported by a dated and an undated
# article (whose date only the first can tell), a wire copy, people named in full and by surname, a pledge
# and its keeping, and figures that agree across outlets or contradict each other.
TALLINN = """Estonia and Latvia agree to hold yearly joint cabinet sessions

Estonian Prime Minister Kaja Rannus met Latvian Prime Minister Evika Ozola in Tallinn on Tuesday for talks on
rail links, energy and border security, the Estonian government said in a statement.

The two leaders agreed to hold a joint cabinet session every year, starting in Riga next summer. They also
pledged to raise bilateral trade to 5 billion euros by 2030, up from what officials described as a
disappointing year for exporters on both sides of the border.

Trade between Estonia and Latvia reached 3.2 billion euros last year, the Estonian statistics office said.
Rannus told reporters that the Rail Baltica line would be finished on time and that both governments would
share the cost of new border crossings. Ozola thanked her host for the warm welcome in Tallinn.
"""
ARTICLES: dict[str, tuple[str, dict[str, str]]] = {
    "tallinn": (TALLINN, {"published": "2025-03-06", "outlet": "Baltic Wire"}),
    # The same wire story, reprinted by another paper under a different headline.
    "tallinn-reprint": ("Baltic leaders meet in Tallinn\n\n" + TALLINN.split("\n", 2)[2]
                           + "\nRead more: regional news\n", {"published": "2025-03-07", "outlet": "Tartu Daily"}),
    "riga-undated": ("""Rannus and Ozola discuss rail links

Rannus and Ozola met in Tallinn on Tuesday to discuss rail links and energy, officials said. Ozola said
trade between Estonia and Latvia reached 3.2 billion euros last year and could grow much faster.
""", {"outlet": "Riga Daily"}),
    "riga-session": ("""First joint cabinet session held in Riga

The first joint cabinet session of Estonia and Latvia was held in Riga on June 9, 2025, the Latvian
government said. Prime Minister Kaja Rannus said trade between Estonia and Latvia reached 3.9 billion euros
last year. Evika Ozola said the two governments had signed a memorandum on border crossings.
""", {"published": "2025-06-10", "outlet": "Nordic Times"}),
    "ulaanbaatar": ("""Mongolia and Latvia sign visa agreement

Mongolian Foreign Minister Batbayar Ganzorig visited Riga on Friday and met Latvian Foreign Minister
Andris Kalnins. Mongolia and Latvia signed an agreement on visa-free travel for diplomats, and Mongolia will
open an embassy in Riga in 2026. Trade between Mongolia and Latvia was 40 million dollars last year.
""", {"published": "2025-05-03", "outlet": "Steppe News"}),
    "ganzorig": ("""Ganzorig in Riga

Ganzorig arrived in Riga earlier today for talks with Kalnins on visa-free travel, the ministry said.
""", {"outlet": "Steppe News"}),
}


def _write(folder: Path, name: str) -> Path:
    """One article as a one-line feed, so it carries its outlet and (where it has one) its date."""
    text, meta = ARTICLES[name]
    path = folder / f"{name}.jsonl"
    path.write_text(json.dumps({"text": text, **meta}) + "\n", encoding="utf-8")
    return path


def _by_id(exchange: dict[str, Any]) -> dict[str, Any]:
    """The export keyed by record id: the order records are written in carries no meaning."""
    return {key: {r["id"]: r for r in value} if isinstance(value, list) else value
            for key, value in exchange.items()}


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("articles")
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return [folder / s.name for s in SEEDS] + [_write(folder, name) for name in ARTICLES]


def _ingest_in(db: Path | str, batches: list[list[Path]]) -> Store:
    store = open_store(db)
    for batch in batches:
        report = ingest([str(p) for p in batch], store)
        assert report.ok, report.failed
    return store


@pytest.fixture(scope="module")
def order(articles: list[Path]) -> list[Path]:
    """Interleaved, so later batches bring new sides of earlier episodes, people and figures. Every store reads
    the articles in this one order: where reports tie, the record keeps the first one read."""
    return [articles[i] for i in (5, 0, 7, 1, 9, 2, 6, 3, 10, 8, 4)]


def _batches(order: list[Path]) -> list[list[Path]]:
    return [order[:3], order[3:5], order[5:6], order[6:9], order[9:]]


@pytest.fixture(scope="module")
def stores(order: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    folder = tmp_path_factory.mktemp("stores")
    at_once = _ingest_in(folder / "once.db", [order])
    batched = _ingest_in(folder / "batched.db", _batches(order))
    yield at_once, batched
    at_once.close()
    batched.close()


def _rows(store: Store) -> dict[str, Counter[tuple[Any, ...]]]:
    """What a store keeps beside each record's data: the columns it is filtered on, its countries and mentions,
    and the partition's state of each document (the rows a rebuild keeps where they did not change)."""
    queries = {"mentions": 'SELECT kind, record_id, role, doc, start, "end" FROM mentions',
               "countries": "SELECT kind, record_id, country FROM record_countries",
               "claims": "SELECT id, subject, value, unit, corroboration, countries FROM claims",
               "actors": "SELECT id, kind, name, countries FROM actors",
               "partitioned": "SELECT doc_id, digest, copy_of FROM block_documents"}
    return {name: Counter(tuple(row) for row in store.execute(sql)) for name, sql in queries.items()}


def _copy_of(store: Store, path: Path) -> Path:
    """A copy of a SQLite store's files: in WAL mode what it holds is in both."""
    for suffix in ("", "-wal"):
        if Path(store.path + suffix).exists():
            shutil.copy(store.path + suffix, str(path) + suffix)
    return path


def test_batches_give_the_record_one_ingest_gives(stores: tuple[Store, Store]) -> None:
    at_once, batched = stores
    once, batches = _by_id(at_once.corpus().to_exchange()), _by_id(batched.corpus().to_exchange())
    assert once["actors"] and once["events"] and once["claims"] and once["commitments"]
    for kind in ("actors", "events", "commitments", "claims"):
        assert batches[kind] == once[kind], kind
    assert _rows(batched) == _rows(at_once)
    # Documents in another order of ingest, with the dates inferred from other articles, are the same too.
    assert batches["documents"] == once["documents"]
    inferred = [d for d in once["documents"].values() if d.get("published_source") == "inferred"]
    assert inferred, "an undated article should be dated by the episode it shares with a dated one"


def test_each_store_keeps_the_blocks_alike(stores: tuple[Store, Store], order: list[Path], db_url: str) -> None:
    """The blocks are kept and rewritten the same way on SQLite and on PostgreSQL."""
    at_once, _ = stores
    with _ingest_in(db_url, _batches(order)) as batched:
        assert _by_id(batched.corpus().to_exchange()) == _by_id(at_once.corpus().to_exchange())
        assert set(batched.resolved_blocks()) == set(at_once.resolved_blocks())
        assert _rows(batched) == _rows(at_once)


def test_incremental_rebuild_equals_a_full_one(stores: tuple[Store, Store]) -> None:
    _, batched = stores
    full = judge(_resolve_blocks_with_inference(batched.documents(), batched.extractions()).corpus)
    assert _by_id(full.to_exchange()) == _by_id(batched.corpus().to_exchange())


def test_an_unchanged_store_resolves_nothing_afresh(stores: tuple[Store, Store]) -> None:
    at_once, _ = stores
    resolution = resolve_blocks(at_once.documents(), at_once.extractions(), at_once.resolved_blocks(),
                                at_once.extraction_digests())
    assert resolution.blocks and not resolution.fresh
    assert at_once.unresolved_documents() == set()


def test_a_new_article_resolves_only_the_blocks_it_touches(stores: tuple[Store, Store], tmp_path: Path) -> None:
    at_once, _ = stores
    with open_store(_copy_of(at_once, tmp_path / "grown.db")) as store:
        before = store.resolved_blocks()
        for block in before.values():
            assert block.records is not None  # read now: the ingest below replaces some of these blocks
        text = ("Estonian Foreign Minister Mart Kivimagi met Latvian Foreign Minister Andris Kalnins in Valga on "
                "Monday. Estonia and Latvia agreed to open two new border crossings.")
        report = ingest(["-"], store, stdin=io.StringIO(text), published="2025-07-08", outlet="Valga News")
        assert report.added
        (new,) = {d.id for d in store.documents() if d.outlet == "Valga News"}
        resolution = resolve_blocks(store.documents(), store.extractions(), before, store.extraction_digests())
        assert resolution.fresh and len(resolution.fresh) < len(resolution.blocks) / 2
        for block in resolution.blocks:
            if block.fingerprint in resolution.fresh:  # resolved again: it holds something of the new article
                assert any(m.doc == new for r in block.records for m in r.mentions), block.stage
        # Only the touched blocks were rewritten: the rest are the very rows stored before.
        kept = set(before) & set(store.resolved_blocks())
        assert kept and len(kept) >= len(before) - len(resolution.fresh)


def test_a_document_whose_events_alone_changed_leaves_its_people_and_figures_as_stored(
        stores: tuple[Store, Store], tmp_path: Path) -> None:
    """A block reads its own stage's records: an article extracted anew (dated anew by another, say) whose people
    and figures came out as before resolves only the episodes it holds again, nor partitions the rest again."""
    at_once, _ = stores
    with open_store(_copy_of(at_once, tmp_path / "redated.db")) as store:
        x = next(x for x in store.extractions() if x.events and x.actors and x.claims)
        document = store.document(x.doc_id)
        assert document is not None
        redated = Extraction.from_dict(x.to_dict())
        redated.events[0].date = DateRange.day(date(2031, 3, 4))
        stored, seen = store.resolved_blocks(), store.partitioned_documents()
        store.update_document(document, redated)
        digests = store.extraction_digests()
        assert digests[x.doc_id] != seen[x.doc_id][0]
        for stage in ("actor", "claim"):
            assert blocks.stage_digest(digests[x.doc_id], stage) == blocks.stage_digest(seen[x.doc_id][0], stage)
        index = KeyIndex(stored, store.rows_with, seen, store.records_with, store.a_row_with)
        resolution = resolve_blocks(store.documents(), store.extractions(), stored, digests, index)
        fresh = [b for b in resolution.blocks if b.fingerprint in resolution.fresh]
        assert fresh and {b.stage for b in fresh} == {"event"}
        full = resolve_blocks(store.documents(), store.extractions())
        assert _by_id(resolution.corpus.to_exchange()) == _by_id(full.corpus.to_exchange())


def test_figures_are_resolved_once_and_only_what_changed_is_indexed_again(
        stores: tuple[Store, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates are inferred from episodes alone: the rounds resolve people and episodes, the figures and pledges
    are resolved once, at the end; the index is written anew only for the articles added or extracted anew."""
    at_once, _ = stores
    with open_store(_copy_of(at_once, tmp_path / "rounds.db")) as store:
        before = store.extraction_digests()
        calls: list[bool] = []
        resolve = pipeline_module.resolve_blocks

        def counted(*args: Any, **kwargs: Any) -> Resolution:
            calls.append(kwargs.get("figures", True))
            return resolve(*args, **kwargs)

        monkeypatch.setattr(pipeline_module, "resolve_blocks", counted)
        saved: list[dict[str, list[tuple[str, str]]]] = []  # the index rows each save writes
        save = store.save_resolution

        def saving(corpus: Any, blocks: Any, rows: Any = None, *rest: Any) -> None:
            saved.append(rows or {})
            save(corpus, blocks, rows, *rest)

        monkeypatch.setattr(store, "save_resolution", saving)
        text = ("Estonian Prime Minister Kaja Rannus and Latvian Prime Minister Evika Ozola met in Tallinn on "
                "Tuesday to discuss rail links and energy.")
        assert ingest(["-"], store, stdin=io.StringIO(text), published="2025-03-05", outlet="Baltic Wire").added
        after = store.extraction_digests()
        changed = {d for d in after if before.get(d) != after[d]}
        assert calls.count(True) == 1 and calls[-1]  # figures once, at the end
        assert saved and set(saved[-1]) <= changed and len(changed) < len(after) / 2


def test_a_round_without_figures_keeps_the_whole_partition_for_the_next(stores: tuple[Store, Store]) -> None:
    """A round of inference leaves the blocks of figures unresolved but partitioned, so the next round, after an
    article is extracted anew, partitions again only what that article touches (not everything)."""
    at_once, _ = stores
    stored, seen = at_once.resolved_blocks(), at_once.partitioned_documents()
    index = KeyIndex(stored, at_once.rows_with, seen, at_once.records_with, at_once.a_row_with)
    documents, extractions, digests = at_once.documents(), at_once.extractions(), at_once.extraction_digests()
    first = resolve_blocks(documents, extractions, stored, digests, index, figures=False)
    assert first.corpus.events and not first.corpus.claims and not first.corpus.commitments
    claims = {c.id for x in extractions for c in x.claims}
    assert claims and {m for r in first.unresolved for m in r.order} == claims
    n, x = [(n, x) for n, x in enumerate(extractions) if x.claims and x.events][-1]  # its blocks sort among others
    redated = Extraction.from_dict(x.to_dict())
    redated.claims[0].period = DateRange.day(date(2031, 3, 4))
    redated.events[0].date = DateRange.day(date(2031, 3, 4))
    extractions = [*extractions[:n], redated, *extractions[n + 1:]]
    copies = find_copies(documents)
    digests = {**digests, x.doc_id: extraction_digest(redated)}
    # The next round from the blocks the round made (``parts``: only what the article touches is read), and from
    # the stored partition alone (every document read): the same blocks, in the same order, kept alike.
    later = index.after([*first.blocks, *first.unresolved], first.index_rows, first.partitioned, first.parts)
    found, by_reading = (repartition(extractions, copies, digests, k) for k in (later, replace(later, parts=None)))
    assert found is not None and by_reading is not None and set(found[1]) == set(by_reading[1]) == {x.doc_id}
    assert any(b.kept is None for b in found[0]["event"]) and any(b.kept for b in found[0]["actor"])
    for stage, parts in found[0].items():
        assert [([m.id for m in b.members], b.kept) for b in parts] == \
            [([m.id for m in b.members], b.kept) for b in by_reading[0][stage]]
    members = lambda parts: {stage: sorted([m.id for m in b.members] for b in found) for stage, found in parts.items()}  # noqa: E731
    assert members(found[0]) == members(partition(extractions, copies))


VILNIUS = ("Latvian and Lithuanian ministers met in Vilnius to discuss rail links. The two countries signed a rail "
           "accord on March 3, 2025, and their prime ministers will meet again on October 14, 2026, officials said.")


def test_what_an_undated_articles_words_prove_of_its_date_is_kept(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolving an episode reads the text bounds of every undated article in it: the store keeps them, so a
    rebuild in a process of its own (a watch tick) does not find every undated text's dates again, and new
    resolution rules work them out again."""
    with open_store(tmp_path / "bounds.db") as store:
        assert ingest(["-"], store, stdin=io.StringIO(VILNIUS), outlet="Baltic Wire").added
        ingest(["-"], store, stdin=io.StringIO("Lithuania and Latvia signed a rail accord in Vilnius on Tuesday."),
               published="2025-03-05", outlet="Vilnius Post")
        undated, dated = sorted(store.documents(), key=lambda d: d.published is not None)
        assert undated.published is None and dated.published_source == "given"
        assert undated.text_bounds == replace(text_bounds(VILNIUS), rules=blocks.RULES)
        assert (undated.text_bounds.low, undated.text_bounds.high) == (date(2025, 3, 3), date(2026, 10, 14))
        assert dated.text_bounds is None  # a given date needs no bounds

        # Later rebuilds take them as kept, though each episode is resolved again.
        episodes._text_bounds_of.cache_clear()
        monkeypatch.setattr(episodes, "text_bounds", lambda text: pytest.fail("worked out again"))
        rebuild(store)
        ingest(["-"], store, stdin=io.StringIO("Latvia and Lithuania agreed rail links in Vilnius, officials said."),
               outlet="Riga Daily")
        monkeypatch.undo()

        # Bounds kept under other rules are worked out again, and kept.
        store.keep_worked_out([replace(undated, text_bounds=replace(undated.text_bounds, low=None, rules="older"))])
        rebuild(store)
        again = store.document(undated.id)
        assert again is not None and again.text_bounds == undated.text_bounds


def test_what_judging_reads_of_a_dated_articles_words_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Judging the commitments reads the countries and sentence stems of every dated article: the store keeps them
    (``models.WordKeys``), so a rebuild in a process of its own (a watch tick) finds only a new article's, the
    judgement is the one the words give, and keys found by other rules are found again."""
    found: list[str] = []

    def counted(document: Document) -> WordKeys:
        found.append(document.id)
        return word_keys(document)

    with open_store(tmp_path / "keys.db") as store:
        ingest(["-"], store, stdin=io.StringIO(VILNIUS), published="2025-03-04", outlet="Baltic Wire")
        ingest(["-"], store, stdin=io.StringIO("Latvian and Lithuanian officials discussed rail links."),
               outlet="Riga Daily")
        ingest(["-"], store, stdin=io.StringIO("The Latvian and Lithuanian prime ministers met again in Riga on "
                                               "October 14, 2026, to review the rail accord."),
               published="2026-10-15", outlet="Vilnius Post")
        documents = store.documents()
        dated = [d for d in documents if d.published_source == "given"]
        assert len(dated) == 2 and all(d.word_keys == word_keys(replace(d, word_keys=None)) for d in dated)
        assert all({"LVA", "LTU"} <= d.word_keys.countries for d in dated if d.word_keys)
        assert all(d.word_keys is None for d in documents if d.published is None)
        corpus = store.corpus()
        assert any(c.evidence for c in corpus.commitments), "the later report should bear on the pledge to meet"
        bare = replace(corpus, documents=[replace(d, word_keys=None) for d in corpus.documents])
        assert judge(bare).commitments == judge(corpus).commitments

        # A later ingest finds the keys of the new article alone, as it stores it: its rebuild has none to keep.
        monkeypatch.setattr(pipeline_module, "word_keys", counted)
        monkeypatch.setattr(track, "word_keys", counted)
        kept: list[str] = []
        keep = store.keep_worked_out
        monkeypatch.setattr(store, "keep_worked_out", lambda docs: (kept.extend(d.id for d in docs), keep(docs)))
        report = ingest(["-"], store, stdin=io.StringIO("Lithuania and Latvia opened a rail link on Monday."),
                        published="2026-11-02", outlet="Baltic Wire")
        assert report.added
        assert found == [d.id for d in store.documents() if d.id not in {k.id for k in documents}]
        assert kept == []
        monkeypatch.undo()

        # Keys kept under other rules are found again, and kept.
        first = dated[0]
        assert first.word_keys is not None
        store.keep_worked_out([replace(first, word_keys=replace(first.word_keys, sentences=(), rules="older"))])
        rebuild(store)
        again = store.document(first.id)
        assert again is not None and again.word_keys == first.word_keys


def test_a_document_whose_words_cannot_be_worked_out_fails_alone(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """What the rebuild reads of a document's words is worked out as it is stored: where that fails, that
    document is reported and left out, and the rest of the batch is stored."""
    broken = "Latvian and Lithuanian envoys met in Riga to discuss the rail accord."

    def bounds(text: str) -> Any:
        if text == broken:
            raise ValueError("no bounds")
        return text_bounds(text)

    monkeypatch.setattr(pipeline_module, "text_bounds", bounds)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": t, "url": f"https://example.lv/{n}"}) + "\n" for n, t in
                            enumerate([broken, "Lithuania and Latvia opened a rail link to Vilnius."])))
    with open_store(tmp_path / "broken.db") as store:
        report = ingest([str(feed)], store)
        assert len(report.added) == 1 and len(report.failed) == 1 and "no bounds" in report.failed[0].message
        assert [d.text for d in store.documents()] == ["Lithuania and Latvia opened a rail link to Vilnius."]


def test_an_article_dated_anew_is_extracted_again_from_its_kept_parse(articles: list[Path], tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An undated article's parse is kept: when a later article dates it, extracting it again under its date
    needs no parser, and the record is the one a full rebuild gives."""
    by_name = {p.stem: p for p in articles}
    with open_store(tmp_path / "kept.db") as store:
        assert ingest([str(by_name["riga-undated"])], store).ok
        (undated,) = store.documents()
        assert undated.published is None and set(store.kept_parses({undated.id})) == {undated.id}
        parsed: list[str] = []
        parse_many = nlp.parse_many

        def counted(texts: Iterable[str | list[str]], batch_size: int = 16) -> Iterator[Doc]:
            texts = list(texts)
            parsed.extend("".join(t) for t in texts)
            return parse_many(texts, batch_size)

        monkeypatch.setattr(nlp, "parse_many", counted)
        assert ingest([str(by_name["tallinn"])], store).ok
        dated = store.document(undated.id)
        assert dated is not None and dated.published_source == "inferred"
        assert len(parsed) == 1  # the new article alone
        full = judge(_resolve_blocks_with_inference(store.documents(), store.extractions()).corpus)
        assert _by_id(full.to_exchange()) == _by_id(store.corpus().to_exchange())


def test_new_resolution_code_resolves_every_block_again(stores: tuple[Store, Store],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An untouched block keeps the fingerprint it was stored under only while the resolution code is the same."""
    at_once, _ = stores

    def again() -> Resolution:
        stored = at_once.resolved_blocks()
        index = KeyIndex(stored, at_once.rows_with, at_once.partitioned_documents())
        return resolve_blocks(at_once.documents(), at_once.extractions(), stored, at_once.extraction_digests(), index)

    assert not again().fresh
    monkeypatch.setattr(blocks, "RULES", "the resolution code of another version")
    other = again()
    assert other.fresh == {b.fingerprint for b in other.blocks} and other.fresh


def test_a_block_replaced_while_a_rebuild_read_the_store_is_told_apart(stores: tuple[Store, Store],
                                                                          tmp_path: Path) -> None:
    """Stored blocks' records are read when first asked for; where another rebuild has replaced the block
    since, the reader is told so (rebuild then reads the store again) rather than given nothing."""
    at_once, _ = stores
    shared = _copy_of(at_once, tmp_path / "shared.db")
    with open_store(shared) as reader, open_store(shared) as writer:
        read = reader.resolved_blocks()
        text = "Estonia and Latvia agreed to open two new border crossings, Prime Minister Kaja Rannus said."
        ingest(["-"], writer, stdin=io.StringIO(text), published="2025-07-08", outlet="Valga News")
        # Figures' records are read with their blocks (every figure is marked): the others when asked for.
        gone = [b for key, b in read.items() if key not in writer.resolved_blocks() and b.stage != "claim"]
        assert gone
        with pytest.raises(BlockGone):
            gone[0].records  # noqa: B018
        rebuild(reader)  # reads the store as it is now
        assert not reader.needs_rebuild()


def test_figures_marked_from_blocks_replaced_since_are_not_saved(stores: tuple[Store, Store], tmp_path: Path) -> None:
    """Every figure is marked from the stored blocks a rebuild read. Where another rebuild has replaced one of
    them since, saving the marks would keep conflicts worked out from figures no longer there: the save is
    refused as a block gone (rebuild then reads the store again)."""
    at_once, _ = stores
    shared = _copy_of(at_once, tmp_path / "shared.db")
    with open_store(shared) as reader, open_store(shared) as writer:
        stored = reader.resolved_blocks()
        resolution = resolve_blocks(reader.documents(), reader.extractions(), stored, reader.extraction_digests(),
                                    KeyIndex(stored, reader.rows_with, reader.partitioned_documents()))
        assert resolution.relied == {key for key, b in stored.items() if b.stage == "claim"}
        text = "Trade between Estonia and Latvia reached 3.2 billion euros last year, Valga News said."
        ingest(["-"], writer, stdin=io.StringIO(text), published="2025-07-08", outlet="Valga News")
        assert resolution.relied - set(writer.resolved_blocks()), "a block of figures the reader read was replaced"
        with pytest.raises(BlockGone):
            reader.save_resolution(resolution.corpus, resolution.blocks, relied=resolution.relied)
        rebuild(reader)
        assert not reader.needs_rebuild()


def test_the_kept_partition_is_the_partition_of_everything(stores: tuple[Store, Store]) -> None:
    """Built batch by batch from the blocks a change can touch (repartition), the partition each store keeps is
    the one partitioning every record at once gives, member for member and in order."""
    for store in stores:
        saved = sorted(tuple(r.order) for r in store.resolved_blocks().values())
        full = partition(store.extractions(), find_copies(store.documents()))
        assert saved == sorted(tuple(m.id for m in b.members) for blocks in full.values() for b in blocks)


def test_an_unchanged_store_partitions_nothing_again(stores: tuple[Store, Store]) -> None:
    _, batched = stores
    extractions, documents = batched.extractions(), batched.documents()
    index = KeyIndex(batched.resolved_blocks(), batched.rows_with, batched.partitioned_documents())
    found = repartition(extractions, find_copies(documents), batched.extraction_digests(), index)
    assert found is not None
    blocks, rows = found
    assert rows == {}

    def members(partitioned: dict[str, list[Block]]) -> dict[str, list[list[str]]]:
        return {stage: [[m.id for m in b.members] for b in found] for stage, found in partitioned.items()}

    assert members(blocks) == members(partition(extractions, find_copies(documents)))
    # Nothing changed: of the records only the events are read (an episode's fingerprint reads its people).
    assert all(isinstance(m, Unread) for stage in ("actor", "claim") for b in blocks[stage] for m in b.members)
    # A document changed since (here: not partitioned at all, as if new) has its blocks partitioned again.
    index.documents.pop(extractions[0].doc_id)
    found = repartition(extractions, find_copies(documents), batched.extraction_digests(), index)
    assert found is not None and set(found[1]) == {extractions[0].doc_id}
    assert members(found[0]) == members(partition(extractions, find_copies(documents)))
    # A document whose original alone changed is partitioned again for its events only: the keys of people and
    # figures read no copies, so their blocks stay units, their members unread.
    index = KeyIndex(batched.resolved_blocks(), batched.rows_with, batched.partitioned_documents())
    copied = next(x for x in extractions if x.actors and x.claims and x.events)
    index.documents[copied.doc_id] = (index.documents[copied.doc_id][0], "another original")
    found = repartition(extractions, find_copies(documents), batched.extraction_digests(), index)
    assert found is not None and set(found[1]) == {copied.doc_id}
    assert members(found[0]) == members(partition(extractions, find_copies(documents)))
    assert all(isinstance(m, Unread) for stage in ("actor", "claim") for b in found[0][stage] for m in b.members)


# ---------------------------------------------------------------- the partition itself


def _m(doc: str, start: int, quote: str = "x") -> Mention:
    return Mention(doc, start, start + len(quote), quote)


def _blocks_of(stage: str, extractions: list[Extraction]) -> list[set[str]]:
    return [{r.id for r in b.members} for b in partition(extractions, {})[stage]]


def test_people_who_may_be_one_share_a_block_and_others_do_not() -> None:
    x = Extraction("d1", actors=[Actor("d1:a1", "Kaja Rannus", "person", ["EST"], mentions=[_m("d1", 0)]),
                                 Actor("d1:a2", "Andris Kalnins", "person", ["LVA"], mentions=[_m("d1", 20)])])
    y = Extraction("d2", actors=[Actor("d2:a1", "Rannuss", "person", [], mentions=[_m("d2", 0)]),  # a misspelt surname
                                 Actor("d2:a2", "Estonia", "country", ["EST"], mentions=[_m("d2", 9)])])
    blocks = _blocks_of("actor", [x, y])
    assert {"d1:a1", "d2:a1"} in blocks
    assert {"d1:a2"} in blocks and {"d2:a2"} in blocks


def test_events_meet_in_a_block_through_a_shared_country_of_their_type() -> None:
    day = DateRange.day(date(2025, 3, 4))

    def event(doc: str, n: int, kind: str, countries: list[str]) -> Event:
        return Event(f"{doc}:e{n}", kind, day, countries, [_m(doc, 10 * n, f"s{doc}{n}")])

    x = Extraction("d1", events=[event("d1", 1, "CONSULT", ["EST", "LVA"]), event("d1", 2, "AGREE", ["EST", "LVA"])])
    y = Extraction("d2", events=[event("d2", 1, "CONSULT", ["LVA", "MNG"]), event("d2", 2, "CONSULT", ["FIN", "SWE"])])
    blocks = _blocks_of("event", [x, y])
    # An episode of Estonia and Latvia may take in a report naming Latvia and Mongolia (their countries join);
    # another type, or other countries, never.
    assert {"d1:e1", "d2:e1"} in blocks and {"d1:e2"} in blocks and {"d2:e2"} in blocks


def test_claims_share_a_block_by_unit_and_value_band() -> None:
    def claim(doc: str, n: int, unit: str, value: float, start: int = 0) -> Claim:
        return Claim(f"{doc}:k{n}", "bilateral trade", value, unit, [_m(doc, start)])

    x = Extraction("d1", claims=[claim("d1", 1, "EUR", 3.2), claim("d1", 2, "percent", 3.2, 40),
                                 claim("d1", 3, "EUR", 3.21, 2000), claim("d1", 4, "EUR", 4.5, 2400)])
    y = Extraction("d2", claims=[claim("d2", 1, "EUR", 3.202), claim("d2", 2, "EUR", 3.18, 300)])
    blocks = _blocks_of("claim", [x, y])
    # Figures of one unit close enough in value to be one figure may merge: one block, through a band between
    # them where need be. A figure of another unit, or far off in value, is another block: which figures
    # contradict each other or share a passage is marked across blocks (resolve.mark_figures).
    assert {"d1:k1", "d1:k3", "d2:k1", "d2:k2"} in blocks
    assert {"d1:k2"} in blocks and {"d1:k4"} in blocks


def _figures(seed: int, n: int, units: tuple[str, ...] = ("USD", "percent", "persons"), articles: int = 12,
             ) -> tuple[list[Claim], dict[str, Document], dict[str, str]]:
    """``n`` figures of a few subjects, units and outlets, in documents of which some copy others: many merge,
    agree, contradict each other or stand in one passage, as the figures of a news corpus do."""
    rng = random.Random(seed)
    subjects = ["bilateral trade", "trade between the two countries", "exports of wheat", "wheat exports",
                "refugees hosted", "troops deployed", "troops", "tariff on steel", "investment", ""]
    docs = [f"d{k:02d}" for k in range(articles)]
    documents = {d: Document(d, "text", d, outlet=rng.choice(["Wire", "Daily", "Times", None])) for d in docs}
    copies = {d: docs[0] for d in docs[1:3]}
    out: list[Claim] = []
    for k in range(n):
        doc, value = rng.choice(docs), rng.choice([1.0, 2.0, 3.2, 3.3, 5.0, 9.0, 10.0, 12.0, 4e9, 5e9, 1.4e9])
        out.append(Claim(f"{doc}:k{k}", rng.choice(subjects), value, rng.choice(units),
                         [_m(doc, rng.randrange(0, 600, 40))], countries=rng.sample(["EST", "LVA"], rng.randint(0, 1)),
                         period=rng.choice([None, None, DateRange.year(2024)]),
                         attributes={"projection": rng.random() < 0.1, "comparison": rng.random() < 0.1,
                                     "kind": rng.choice(["money", "count"])},
                         high=value * 1.2 if rng.random() < 0.1 else None))
    out.sort(key=lambda c: (c.mentions[0].doc, c.mentions[0].start))  # corpus order
    return out, documents, copies


def _money_and_people(seed: int) -> tuple[list[Document], list[Extraction]]:
    """Stored articles with sums of money and shares in percent (one block of figures: the first article sets
    one of each side by side) far from numbers of people (another), and a last article setting a sum of money
    and a number of people side by side (joining the two). The second article's figures are all shares."""
    rng = random.Random(seed)
    docs = [f"d{k}" for k in range(8)]
    documents = [Document(d, "text", d, outlet=rng.choice(["Wire", "Daily", "Times"])) for d in docs]
    subjects = ["bilateral trade", "trade between the two countries", "refugees hosted", "troops deployed"]
    extractions = []
    for n, d in enumerate(docs[:-1]):
        units = ["USD", "percent"] if n == 0 else ["percent"] if n == 1 else ["USD", "persons", "USD"]
        claims = [Claim(f"{d}:k{k}", rng.choice(subjects), rng.choice([3.0, 3.2, 5.0, 9.0]), units[k % len(units)],
                        [_m(d, 40 * k if n == 0 else 400 * k)], period=rng.choice([None, DateRange.year(2024)]))
                  for k in range(rng.randint(2, 6))]
        extractions.append(Extraction(d, claims=claims))
    last = docs[-1]
    extractions.append(Extraction(last, claims=[Claim(f"{last}:k0", "bilateral trade", 3.2, "USD", [_m(last, 0)]),
                                                Claim(f"{last}:k1", "refugees hosted", 5.0, "persons",
                                                      [_m(last, 40)])]))
    return documents, extractions


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("redated", [False, True])
def test_figures_resolved_with_stored_blocks_are_the_figures_resolved_at_once(seed: int, redated: bool) -> None:
    """A new article gives a sum of money and a number of people, some the stored ones give, contradict or
    stand beside in its passage; an older article extracted again (dated anew: its figures' periods differ)
    changes figures of its own. Only the blocks they touch are merged again, every figure is marked across
    blocks, and the record is the one resolving everything at once gives; the stored blocks are left as they
    were (a block whose marks changed is a copy)."""
    documents, extractions = _money_and_people(seed)
    stored = resolve_blocks(documents[:-1], extractions[:-1])
    as_stored = [record_to_dict(c) for c in stored.corpus.claims]
    if redated:  # the second article's figures, as extracted again under a date found for it
        again = extractions[1]
        extractions[1] = replace(again, claims=[replace(c, period=None if c.period else DateRange.year(2023))
                                                for c in again.claims])
    grown = resolve_blocks(documents, extractions, {r.fingerprint: r for r in stored.blocks})
    at_once = resolve_blocks(documents, extractions)
    by_id = lambda claims: {c.id: record_to_dict(c) for c in claims}  # noqa: E731
    assert by_id(grown.corpus.claims) == by_id(at_once.corpus.claims)
    figures = {b.fingerprint for b in grown.blocks if b.stage == "claim"}
    assert figures - grown.fresh, "some blocks of figures taken as stored"
    gone = {b.fingerprint for b in stored.blocks if b.stage == "claim"} - figures
    gone = {b.fingerprint for b in stored.blocks if b.stage == "claim"} - figures
    assert grown.relied == (figures - grown.fresh) | gone
    assert [record_to_dict(c) for c in stored.corpus.claims] == as_stored


@pytest.mark.parametrize("seed", range(80))
def test_figures_resolved_again_after_articles_were_extracted_again_are_the_figures_resolved_at_once(seed: int,
                                                                                                     ) -> None:
    """The generated figures stored, then an older article extracted again (its figures' periods, subjects, units
    and a value changed, as a new date and new rules change them) and a new article added: the figures resolved
    with the stored blocks, and marked anew, are those resolved at once, ids included."""
    units = ("USD", "EUR", "percent", "persons", "t", "km", "ships", "jobs")
    claims, documents, _ = _figures(seed, 300, units, articles=60)
    rng = random.Random(seed)
    documents = {d: replace(doc, text=f"The words of article {d}.") for d, doc in documents.items()}
    spans: set[tuple[str, int]] = set()
    for c in claims:  # each figure its own span, as extracted ones have; some a hair off another's value
        doc, start = c.mentions[0].doc, c.mentions[0].start
        while (doc, start) in spans:
            start += 1
        spans.add((doc, start))
        c.mentions = [_m(doc, start)]
        c.value *= rng.choice([1, 1, 1.003, 0.997])
    docs = sorted(documents)
    extractions = [Extraction(d, claims=[c for c in claims if c.mentions[0].doc == d]) for d in docs]
    stored = resolve_blocks(list(documents.values())[:-1], extractions[:-1])
    for n in rng.sample(range(len(docs) - 1), 1):
        x = extractions[n]
        extractions[n] = replace(x, claims=[replace(c, period=rng.choice([None, DateRange.year(2023)]),
                                                    subject=rng.choice([c.subject, "troops", "wheat exports"]),
                                                    value=c.value * rng.choice([1, 1, 1.003, 10]),
                                                    unit=c.unit if rng.random() < 0.7 else rng.choice(units))
                                            for c in x.claims])
    grown = resolve_blocks(list(documents.values()), extractions, {r.fingerprint: r for r in stored.blocks})
    at_once = resolve_blocks(list(documents.values()), extractions)
    by_id = lambda claims: {c.id: record_to_dict(c) for c in claims}  # noqa: E731
    assert by_id(grown.corpus.claims) == by_id(at_once.corpus.claims)


def test_a_figure_that_contradicted_one_merged_again_is_marked_again() -> None:
    """Two papers give 500 and 700 troops: both conflicting. The second is extracted again and now reads 7,000
    (a figure ten times off contradicts nothing): the first, whose own block is taken as stored, is single-source
    again, as resolving everything at once has it."""
    def claim(doc: str, value: float, unit: str = "persons", subject: str = "troops deployed") -> Claim:
        return Claim(f"{doc}:k0", subject, value, unit, [_m(doc, 0)])

    documents = [Document(d, f"The words of article {d}.", d, outlet=d) for d in ("a", "b", *"cdefghijkl")]
    extractions = [Extraction("a", claims=[claim("a", 500)]), Extraction("b", claims=[claim("b", 700)]),
                   *(Extraction(d, claims=[claim(d, n + 1.0, subject="refugees hosted")])
                     for n, d in enumerate("cdefghijkl"))]
    stored = resolve_blocks(documents, extractions)
    assert {c.value: c.corroboration for c in stored.corpus.claims}[500] == "conflicting"
    extractions[1] = Extraction("b", claims=[claim("b", 7000)])
    grown = resolve_blocks(documents, extractions, {r.fingerprint: r for r in stored.blocks})
    at_once = resolve_blocks(documents, extractions)
    assert {c.value: c.corroboration for c in at_once.corpus.claims}[500] == "single_source"
    by_id = lambda claims: {c.id: record_to_dict(c) for c in claims}  # noqa: E731
    assert by_id(grown.corpus.claims) == by_id(at_once.corpus.claims)
    first = next(b for b in grown.blocks if b.stage == "claim" and any(c.value == 500 for c in b.records))
    assert first.fingerprint in grown.remarked and first.fingerprint not in grown.fresh


def test_the_generated_figures_merge_agree_and_contradict() -> None:
    """What the test above compares: figures of every corroboration, merged from several mentions."""
    merged = [c for seed in range(40) for c in merge_claims(*_figures(seed, 60))]
    assert {c.corroboration for c in merged} == {"corroborated", "conflicting", "single_source"}
    assert sum(c.corroboration == "conflicting" for c in merged) >= 40


def test_full_names_sharing_one_word_stay_apart_until_a_lone_name_may_mean_either() -> None:
    def person(doc: str, n: int, name: str) -> Actor:
        return Actor(f"{doc}:a{n}", name, "person", [], mentions=[_m(doc, 10 * n, name)])

    x = Extraction("d1", actors=[person("d1", 1, "Kaja Rannus"), person("d1", 2, "Kaja Ozolina"),
                                 person("d1", 3, "Mart Rannus")])
    # A shared first or last word is no link: these are three people, each resolved alone.
    assert sorted(map(sorted, _blocks_of("actor", [x]))) == [["d1:a1"], ["d1:a2"], ["d1:a3"]]
    # "Rannus" alone is given to one of the two Rannuses, chosen among both: the three are read together.
    y = Extraction("d2", actors=[person("d2", 1, "Rannus")])
    assert {"d1:a1", "d1:a3", "d2:a1"} in _blocks_of("actor", [x, y])
    assert {"d1:a2"} in _blocks_of("actor", [x, y])


def test_people_resolved_block_by_block_are_the_people_resolved_at_once() -> None:
    from pactwatch.resolve.actors import merge_actors

    names = ["Kaja Rannus", "Kaja Ozolina", "Mart Rannus", "Rannus", "K. Rannus", "Kaja Rannuss", "Ozolina",
             "Evika Ozola", "Ozola", "Evika Ozolla", "Andris Kalnins", "Kalniņš", "Andris Kalninsh", "Mart Kivimagi",
             "Kivimägi", "Mart", "Batbayar Ganzorig", "Ganzorig Batbayar", "Ganzorig", "Batbayarganzorig"]
    extractions = [Extraction(f"d{n % 4}", actors=[]) for n in range(4)]
    for n, name in enumerate(names):
        doc = f"d{n % 4}"
        extractions[n % 4].actors.append(Actor(f"{doc}:a{n}", name, "person", ["EST"] if n % 3 else ["LVA"],
                                               mentions=[_m(doc, 10 * n, name)]))
    _, at_once = merge_actors(extractions)
    blocks = partition(extractions, {})["actor"]
    assert len(blocks) > 1
    by_block: dict[str, str] = {}
    for block in blocks:
        by_block.update(merge_actors([Extraction("", actors=block.members)])[1])
    # The same people: two per-document names share a corpus actor in one exactly when they do in the other.
    groups = lambda mapping: sorted(sorted(m for m in mapping if mapping[m] == head) for head in set(mapping.values()))  # noqa: E731
    assert groups(by_block) == groups(at_once)


PEOPLE = ["Kaja Rannus", "Kaja Ozolina", "Mart Rannus", "Rannus", "K. Rannus", "Kaja Rannuss", "Ozolina",
          "Evika Ozola", "Ozola", "Evika Ozolla", "Andris Kalnins", "Kalniņš", "Andris Kalninsh", "Mart Kivimagi",
          "Kivimägi", "Mart", "Batbayar Ganzorig", "Ganzorig Batbayar", "Ganzorig", "Batbayarganzorig", "Kaja",
          "Dr Evika Ozola", "Ozolinа", "Andris", "Kalninsh Andris", "Rannus Mart", "Ganzorig Bat-Bayar"]


def test_a_person_seeks_an_index_key_of_everyone_it_may_be_linked_with() -> None:
    """What lets a store find the people a new name touches (resolve.blocks.repartition): each pair person_links
    joins shares a key one seeks and the other holds; and a full name does not seek every full name with one of
    its words (that is what made a tick read thousands of people)."""
    from pactwatch.resolve.actors import person_index_keys, person_links, person_sought_keys

    people = [Actor(f"d:a{n}", name, "person", mentions=[_m("d", 10 * n, name)]) for n, name in enumerate(PEOPLE)]
    links = person_links(people)
    assert len(links) >= 15
    for i, j in links:
        for a, b in ((i, j), (j, i)):
            assert person_sought_keys(people[a]) & person_index_keys(people[b]), (PEOPLE[a], PEOPLE[b])
    seeks = lambda a, b: bool(person_sought_keys(people[PEOPLE.index(a)]) & person_index_keys(people[PEOPLE.index(b)]))  # noqa: E731
    assert not seeks("Kaja Rannus", "Kaja Ozolina") and not seeks("Kaja Ozolina", "Kaja Rannus")
    assert not seeks("Mart", "Kaja") and seeks("Kaja", "Kaja Rannus") and seeks("Kaja Rannus", "Kaja")


def test_resolution_leaves_the_extractions_as_extracted(stores: tuple[Store, Store]) -> None:
    """Actors and claims are merged from the members themselves (no copy): none of them may be changed."""
    _, batched = stores
    extractions = batched.extractions()
    before = [x.to_dict() for x in extractions]
    resolve_blocks(batched.documents(), extractions)
    assert [x.to_dict() for x in extractions] == before


@pytest.mark.parametrize("boilerplate", [20, 2])
def test_copies_found_through_the_index_are_the_copies_found_at_once(boilerplate: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents arriving in any cut are compared through the index of those before them (their shingles and
    groups), and the copies are the ones comparing every document with every other gives. With a boilerplate
    limit of 2, the third report of the story makes every shingle it shares boilerplate: the two copies found
    before must part again."""
    monkeypatch.setattr("pactwatch.resolve.copies.BOILERPLATE_DOCS", boilerplate)
    body = TALLINN.split("\n", 2)[2]
    texts = [TALLINN, "Baltic leaders meet in Tallinn\n\n" + body + "\nRead more: regional news\n",
             ARTICLES["riga-session"][0], "Rail and energy on the agenda\n\n" + body, ARTICLES["ulaanbaatar"][0]]
    days = [date(2025, 3, 6), date(2025, 3, 7), date(2025, 6, 10), date(2025, 3, 5), None]
    documents = [Document(f"doc{n}", text, f"src{n}", published=DateRange.day(day) if day else None)
                 for n, (text, day) in enumerate(zip(texts, days, strict=True))]
    at_once = find_copies(documents)
    # Three reports of one story, the one published first the original (it came fourth); or none, as all the
    # shingles they share are held by three documents.
    assert at_once == ({"doc0": "doc3", "doc1": "doc3"} if boilerplate == 20 else {})
    assert find_copies(documents[:2]) == {"doc1": "doc0"}
    for cut in range(len(documents)):
        before = documents[:cut]
        groups, kept = copy_groups(before)
        index = CopyIndex({d.id for d in before},
                          lambda wanted, kept=kept: {h: {d for d, s in kept.items() if h in s} for h in wanted},
                          lambda ids, kept=kept: {d: len(kept[d]) for d in ids},
                          lambda ids, kept=kept: {d: set(kept[d]) for d in ids}, groups)
        found = groups_since(documents, index)
        assert originals(found[0], {d.id: d for d in documents}) == at_once, cut
        assert set(found[1]) <= {d.id for d in documents[cut:]}  # only the new documents are shingled
