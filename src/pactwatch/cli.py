"""The command line: ingest, export, show.

Exit status: 0 when everything went well, 1 when some input could not be
ingested (the rest was), 2 for a usage error (bad option value, missing or
unusable database), 130 when interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from pactwatch.export import FORMATS, write_csv, write_json
from pactwatch.models import Corpus, DateRange
from pactwatch.review import reviewed_corpus
from pactwatch.settings import DB_ENV, DEFAULT_DB
from pactwatch.store import Store, StoreError, open_store

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
PROGRESS_MIN = 10  # batches shorter than this finish before a bar is worth drawing
SHOW_KINDS: tuple[str, ...] = ("documents", "actors", "events", "commitments", "claims")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="pactwatch: evidence-backed records of bilateral relations from news articles.")

DbOption = Annotated[str | None, typer.Option(
    "--db", help=f"SQLite database file or postgresql:// URL (default: ${DB_ENV}, else ./{DEFAULT_DB}).",
    show_default=False)]


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _err().print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def _open(db: str | None, *, create: bool) -> Store:
    try:
        return open_store(db, create=create)
    except StoreError as exc:
        _fail(str(exc))


def check_date(value: str) -> str:
    """Refuse a --published value the documents layer would refuse, once, before any work is done."""
    from pactwatch.documents import DocumentError, parse_given_date

    try:
        parse_given_date(value)
    except DocumentError as exc:
        _fail(str(exc))
    return value


class _ProgressBar:
    """A Rich bar on stderr, drawn only for long batches on a terminal."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: Any = None

    def __call__(self, done: int, total: int, source: str) -> None:
        if self._progress is None:
            if total < PROGRESS_MIN or not self._console.is_terminal:
                return
            self._progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), TextColumn("{task.description}"),
                                      console=self._console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task("", total=total)
        self._progress.update(self._task, completed=done, total=total, description=Path(source).name)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .md, .html, .jsonl); - reads stdin.",
                                               show_default=False)],
    published: Annotated[str | None, typer.Option(
        help="Publication date for every document read (YYYY-MM-DD, YYYY-MM or YYYY), overriding the text.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet (publisher) for every document read.")] = None,
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Parse and extract on a local Dask cluster of this many worker processes.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Parse and extract on the workers of the Dask scheduler at this address (tcp://HOST:PORT).")] = None,
) -> None:
    """Read articles, extract their records and store them. Re-ingesting a text changes nothing.

    Example: pactwatch ingest examples/seeds feed.jsonl --db news.db

    Example: curl -s URL | pactwatch ingest - --published 2025-11-07 --outlet Dawn

    Example: pactwatch ingest news/ --scheduler tcp://10.0.0.5:8786   (workers started with `dask worker`)
    """
    from pactwatch import nlp, pipeline  # spaCy loads here, not for `--help` or `show`
    from pactwatch.nlp import ModelMissingError

    nlp.FREEZE_ON_LOAD = True  # this process is the command's own
    if published is not None:
        published = check_date(published)
    if workers and scheduler:
        _fail("give --workers (a local cluster) or --scheduler (an existing one), not both")
    err = _err()
    bar = _ProgressBar(err)
    with _open(db, create=True) as store:
        try:
            if workers or scheduler:
                from pactwatch import cluster  # dask loads only for a cluster ingest

                try:
                    with cluster.connect(workers=workers, scheduler=scheduler) as client:
                        report = cluster.ingest(paths, client, store, published=published, outlet=outlet,
                                                stdin=sys.stdin, progress=bar)
                except cluster.ClusterError as exc:
                    _fail(str(exc))
            else:
                report = pipeline.ingest(paths, store, published=published, outlet=outlet, stdin=sys.stdin,
                                         progress=bar)
        except ModelMissingError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted: the documents stored so far are whole; run the same command again to finish",
                  EXIT_INTERRUPTED)
        finally:
            bar.close()
        counts = store.counts()
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)
    for failure in report.failed:
        err.print(f"failed: {failure}", markup=False)
    typer.echo(f"{len(report.added)} added, {len(report.unchanged)} unchanged, {len(report.failed)} failed; "
               f"{store.location} holds {counts['documents']} documents, {counts['actors']} actors, "
               f"{counts['events']} events, {counts['commitments']} commitments, {counts['claims']} claims")
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json (the pactwatch/1 exchange format) or csv.")
                      ] = "json",
    output: Annotated[str, typer.Option("--output", "-o", help="json: a file, or - for stdout. "
                                        "csv: a directory, which receives documents.csv, actors.csv, events.csv, "
                                        "commitments.csv, claims.csv and mentions.csv.")] = "-",
    db: DbOption = None,
) -> None:
    """Write the stored record as the pactwatch/1 JSON exchange format or as CSV files.

    Example: pactwatch export --format json -o export.json

    Example: pactwatch export --format csv -o export/   (one CSV per record kind plus mentions.csv)
    """
    if format not in FORMATS:
        _fail(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    if format == "csv" and output == "-":
        _fail("csv export writes one file per record kind: give a directory with -o")
    with _open(db, create=False) as store:
        corpus = reviewed_corpus(store)  # analysts' corrections applied, as on the dashboard
    if format == "csv":
        if Path(output).is_file():
            _fail(f"{output} is a file: csv export needs a directory (it writes one CSV per record kind)")
        paths = write_csv(corpus, output)
        typer.echo(f"wrote {len(paths)} CSV files to {output}", err=True)
    elif output == "-":
        _write_json_or_fail(corpus, sys.stdout)
    else:
        try:
            with Path(output).open("w", encoding="utf-8") as f:
                _write_json_or_fail(corpus, f)
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror}")
        typer.echo(f"wrote {len(corpus.documents)} documents, {len(corpus.actors)} actors, "
                   f"{len(corpus.events)} events, {len(corpus.commitments)} commitments, "
                   f"{len(corpus.claims)} claims to {output}", err=True)


def _write_json_or_fail(corpus: Corpus, out: TextIO) -> None:
    try:
        write_json(corpus, out)
    except ValueError as exc:  # a nan or infinite number: refused rather than written as invalid JSON
        _fail(f"cannot export: a number in the record is not finite ({exc})")


def _date(value: DateRange | None) -> str:
    return str(value) if value else "—"


def _list(values: list[str]) -> str:
    return ", ".join(values) if values else "—"


def _table(title: str, columns: tuple[str, ...], numeric: str | None = None) -> Table:
    """A titled table whose long cells wrap; the one ``numeric`` column is right-aligned."""
    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold", justify="right" if col == numeric else "left")
    return table


_ACTOR_ORDER = {kind: i for i, kind in enumerate(("person", "body", "organization", "country"))}


def _sorted(kind: str, rows: list[Any]) -> list[Any]:
    """People first and the most mentioned on top; events by date: what a reader looks for first."""
    if kind == "actors":
        return sorted(rows, key=lambda a: (_ACTOR_ORDER.get(a.kind, 9), -len(a.mentions), a.name))
    if kind == "events":
        return sorted(rows, key=lambda e: (e.date is None, e.date.start if e.date else date.min))
    return rows


@app.command()
def show(
    kind: Annotated[str, typer.Argument(help=f"What to list: {', '.join(SHOW_KINDS)}.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most N rows (0: all).")] = 0,
    type_: Annotated[str | None, typer.Option("--type", help="Events: PLOVER type (CONSULT); actors: person, body, "
                                              "organization, country; commitments: action, target, recurring; "
                                              "claims: unit (USD, percent).", show_default=False)] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only records about this country (KEN or Kenya).",
                                                show_default=False)] = None,
    pair: Annotated[str | None, typer.Option("--pair", help="Only records about both countries (KEN-TZA).",
                                             show_default=False)] = None,
    status: Annotated[str | None, typer.Option("--status", help="Commitments: met, missed, pending, unknown; "
                                               "claims: corroborated, conflicting, single_source.",
                                               show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only records dated on or after this day "
                                              "(YYYY-MM-DD, YYYY-MM or YYYY).", show_default=False)] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only records dated on or before this day.",
                                              show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Print stored documents or records, one line each (ids whole, the long column clipped to the terminal).

    Example: pactwatch show events --pair KEN-TZA --type CONSULT --since 2025-01 --db demo.db
    """
    from pactwatch import terminal

    if kind not in SHOW_KINDS:
        _fail(f"unknown kind {kind!r}: use one of {', '.join(SHOW_KINDS)}")
    start, end = _range_option(since, "--since"), _range_option(until, "--until")
    try:
        filters = terminal.Filters(type=type_, status=status, country=terminal.country(country) if country else None,
                                   pair=terminal.pair(pair) if pair else None,
                                   since=start.start if start else None, until=end.end if end else None)
        with _open(db, create=False) as store:
            corpus = reviewed_corpus(store)  # analysts' corrections applied, as on the dashboard and in the export
        rows = terminal.select(kind, _sorted(kind, getattr(corpus, kind)), filters)
    except terminal.FilterError as exc:
        _fail(str(exc))
    shown = rows[:limit] if limit else rows
    out = Console(highlight=False, soft_wrap=True)
    for line in terminal.lines(shown, terminal.COLUMNS[kind], out.width):
        out.print(line, markup=False)
    typer.echo(f"{len(shown)} of {len(rows)} {kind}" if limit and len(rows) > limit else f"{len(rows)} {kind}",
               err=True)


# -- dashboard and analyst accounts (web/review) --------------------------------

user_app = typer.Typer(no_args_is_help=True, help="Analyst accounts: who may confirm, reject and correct records.")
app.add_typer(user_app, name="user")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless behind a proxy).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    https_only: Annotated[bool, typer.Option("--https-only", help="Served to browsers over HTTPS (by a TLS proxy): "
                                             "the session cookie is marked Secure and HSTS is sent.")] = False,
    trusted_proxy: Annotated[str | None, typer.Option(help="Address(es) of the reverse proxy, comma-separated, "
                                                      "whose X-Forwarded-For/-Proto are believed (the client's "
                                                      "address counts sign-in failures). Default: none.",
                                                      show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (pages, JSON API under /api, analyst review); it needs no internet.

    Example: pactwatch serve --db demo.db   then open http://127.0.0.1:8000/

    Example: pactwatch serve --https-only --trusted-proxy 127.0.0.1 --db demo.db   (behind a TLS proxy)
    """
    import uvicorn

    from pactwatch.web.app import create_app

    with _open(db, create=False) as store:
        path, location = store.path, store.location
    typer.echo(f"pactwatch dashboard: open http://{host}:{port}/ (database {location}; Ctrl-C stops it)", err=True)
    # Forwarded headers only from the named proxy: believed from anyone, they would let a client pick the
    # address its failed sign-ins are counted against.
    uvicorn.run(create_app(path, https_only=https_only), host=host, port=port, log_level="warning",
                proxy_headers=bool(trusted_proxy), forwarded_allow_ips=trusted_proxy or "")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The analyst's sign-in name.", show_default=False)],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first "
                                                 "line of stdin instead of prompting.")] = False,
    db: DbOption = None,
) -> None:
    """Create an analyst account, or set a new password for an existing one (hashed with argon2).

    Example: pactwatch user add amina --db demo.db
    """
    from pactwatch.review import password_problem, set_password

    if not name.strip():
        _fail("the name must not be empty")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problem := password_problem(password, name.strip()):
        _fail(problem)  # before the database is created or opened: a refused password changes nothing
    with _open(db, create=True) as store:
        existed = set_password(store, name.strip(), password)
    typer.echo(f"{'updated the password of' if existed else 'added'} analyst {name.strip()}", err=True)


# -- commitment tracker and briefing (track.py, report.py) ------------------------


def _range_option(value: str | None, option: str) -> DateRange | None:
    """--as-of/--from/--to: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY; the caller takes the first or last day."""
    from pactwatch.review import parse_range

    if not value:
        return None
    try:
        return parse_range(value)
    except ValueError:
        _fail(f"bad {option} {value!r}: use YYYY-MM-DD (or YYYY-MM, YYYY-Qn, YYYY)")


def _pair_option(value: str) -> tuple[str, str]:
    import re

    from pactwatch.countries import country_code

    parts = [p for p in re.split(r"[-,/ ]+", value.strip()) if p]
    codes = [country_code(p) or country_code(p.upper()) for p in parts]
    if len(parts) != 2 or None in codes or codes[0] == codes[1]:
        _fail(f"bad --pair {value!r}: give two countries as ISO3 codes, e.g. PAK-TUR")
    return codes[0], codes[1]  # type: ignore[return-value]


@app.command()
def track(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge as of this date (default: the newest "
                                              "document's date).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Judge every commitment (met, missed, pending, unknown) and show due date, progress, overdue flag and evidence.

    Example: pactwatch track --as-of 2026-01-31 --db demo.db
    """
    from pactwatch.review import apply_corrections
    from pactwatch.store import review as review_store
    from pactwatch.terminal import commitment_lines
    from pactwatch.track import judge

    day = _range_option(as_of, "--as-of")
    with _open(db, create=False) as store:
        machine, corrections = store.corpus(), review_store.corrections(store)
    # The machine's judgment as of the day, with the analysts' corrections on top (as on the dashboard).
    corpus = apply_corrections(judge(machine, day.end if day else None), corrections)
    out = Console(highlight=False, soft_wrap=True)
    for line in commitment_lines(corpus.commitments, {d.id: d for d in corpus.documents}, day.end if day else None,
                                 out.width):
        out.print(line, markup=False)


@app.command()
def report(
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; with --format all, the stem of "
                                        "FILE.md, FILE.html and FILE.pdf.", show_default=False)],
    pair: Annotated[str, typer.Option("--pair", help="The two countries, as ISO3 codes.")] = "PAK-TUR",
    start: Annotated[str | None, typer.Option("--from", help="First day of the period (default: the first "
                                              "record's).", show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day of the period; statuses are judged as of it "
                                            "(default: the newest document's date).", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md, html, pdf (needs headless Chromium) or all."
                                        )] = "md",
    db: DbOption = None,
) -> None:
    """Write a briefing for a pair of countries and a period: summary, timeline, commitments, figures, sources.

    Example: pactwatch report --pair PAK-TUR --from 2025-01 --to 2025-12 --format all -o briefing --db demo.db
    """
    from pactwatch.report import FORMATS, build_briefing, write_briefing
    from pactwatch.review import reviewed_corpus

    if format not in FORMATS:
        _fail(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    codes = _pair_option(pair)
    first, last = _range_option(start, "--from"), _range_option(end, "--to")
    if first and last and first.start > last.end:
        _fail("--from is after --to")
    with _open(db, create=False) as store:
        corpus = reviewed_corpus(store)
    briefing = build_briefing(corpus, codes, first.start if first else None, last.end if last else None)
    try:
        written = write_briefing(briefing, output, format)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    for note in written.notes:
        typer.echo(note, err=True)
    for path in written.paths:
        typer.echo(f"wrote {path} ({briefing.counts['events']} events, {briefing.counts['commitments']} "
                   f"commitments, {briefing.counts['claims']} figures, {briefing.counts['documents']} sources)",
                   err=True)
    if not written.paths:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def watch(
    feeds: Annotated[str, typer.Argument(help="A file of RSS/Atom feed addresses, one a line, each optionally "
                                         "followed by a label; # starts a comment.", show_default=False)],
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and stop (for cron).")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between two polls when not --once.", min=1)] = 900,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server before retrying.", min=0.1)] = 20,
    host_interval: Annotated[float, typer.Option(help="Least seconds between two requests to one host.",
                                                 min=0)] = 1.0,
    db: DbOption = None,
) -> None:
    """Follow news feeds: read each new article once, update the record, raise and deliver alerts.

    Example: pactwatch watch feeds.txt --once --db news.db
    """
    from pactwatch import nlp
    from pactwatch import watch as watching
    from pactwatch.nlp import ModelMissingError

    nlp.FREEZE_ON_LOAD = True  # this process is the command's own
    try:
        specs = watching.read_feed_list(feeds)
    except watching.WatchError as exc:
        _fail(str(exc))
    policy = watching.FetchPolicy(timeout=timeout, host_interval=host_interval)
    err = _err()
    failed = False
    with _open(db, create=True) as store, watching.Fetcher(policy) as fetcher:
        try:
            while True:
                report = watching.tick(store, specs, fetcher, log=lambda line: err.print(line, markup=False))
                failed = failed or bool(report.feed_errors or report.failed)
                typer.echo(f"{report.polled} feeds polled ({len(report.feed_errors)} failed), {report.queued} new "
                           f"items, {len(report.added)} added, {report.duplicates} duplicates, {report.copies} "
                           f"copies, {len(report.failed)} failed; {report.alerts} alerts raised, "
                           f"{report.delivered} delivered")
                if once:
                    break
                time.sleep(interval)
        except ModelMissingError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted: what was read is stored; the next run goes on from there", EXIT_INTERRUPTED)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


alerts_app = typer.Typer(no_args_is_help=True, help="Alert rules, delivery channels and the alert log.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("add")
def alerts_add(
    kind: Annotated[str, typer.Argument(help="new_commitment, due_within, overdue, status_changed, "
                                        "conflicting_claim, new_event or new_session.", show_default=False)],
    days: Annotated[int | None, typer.Option(help="due_within: how many days ahead.", show_default=False)] = None,
    types: Annotated[str | None, typer.Option(help="new_event: PLOVER types, comma-separated (default: any).",
                                              show_default=False)] = None,
    pair: Annotated[str | None, typer.Option(help="Only records about both countries (e.g. KEN-TZA).",
                                             show_default=False)] = None,
    country: Annotated[str | None, typer.Option(help="Only records about this country.", show_default=False)] = None,
    topic: Annotated[str | None, typer.Option(help="Only records on this topic.", show_default=False)] = None,
    actor: Annotated[str | None, typer.Option(help="Only records naming this actor (id or part of a name).",
                                              show_default=False)] = None,
    channel: Annotated[list[str] | None, typer.Option(help="Deliver to this channel only (repeatable; default: "
                                                      "every channel).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Add an alert rule.

    Example: pactwatch alerts add due_within --days 30 --pair KEN-TZA --db news.db
    """
    from pactwatch import alerts

    with _open(db, create=True) as store:
        try:
            rule_id = alerts.add_rule(store, kind, days=days, types=(types or "").split(","), pair=pair,
                                      country=country, topic=topic, actor=actor, channels=channel or [])
        except alerts.RuleError as exc:
            _fail(str(exc))
    typer.echo(f"rule {rule_id} added")


@alerts_app.command("list")
def alerts_list(db: DbOption = None) -> None:
    """The alert rules and the delivery channels."""
    from pactwatch.alerts import Rule

    with _open(db, create=False) as store:
        rules, channels = [Rule.of(r) for r in store.rules()], store.channels()
    table = _table("Alert rules", ("id", "rule", "channels"))
    for rule in rules:
        table.add_row(str(rule.id), rule.describe(), ", ".join(rule.channels) or "all")
    Console().print(table)
    table = _table("Channels", ("name", "kind", "to", "mode"))
    for c in channels:
        table.add_row(c.name, c.kind, str(c.config.get("url") or c.config.get("to")), str(c.config.get("mode", "")))
    Console().print(table)


@alerts_app.command("remove")
def alerts_remove(rule_id: Annotated[int, typer.Argument(help="The rule's id (see `alerts list`).")],
                  db: DbOption = None) -> None:
    """Remove an alert rule; the alerts it raised stay in the log."""
    with _open(db, create=False) as store:
        if not store.remove_rule(rule_id):
            _fail(f"no alert rule {rule_id}")
    typer.echo(f"rule {rule_id} removed")


@alerts_app.command("webhook")
def alerts_webhook(
    name: Annotated[str, typer.Argument(help="A name for the channel.")],
    url: Annotated[str, typer.Argument(help="The address alerts are POSTed to as JSON.")],
    secret: Annotated[str, typer.Option(help="Shared secret: each POST carries its HMAC-SHA256 in "
                                        "X-Pactwatch-Signature.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Add (or change) a webhook channel.

    Example: pactwatch alerts webhook ops https://hooks.example.org/pactwatch --secret s3cret --db news.db
    """
    _add_channel(db, name, "webhook", {"url": url, "secret": secret})


@alerts_app.command("email")
def alerts_email(
    name: Annotated[str, typer.Argument(help="A name for the channel.")],
    to: Annotated[str, typer.Argument(help="The address alerts are mailed to.")],
    smtp_host: Annotated[str, typer.Option(help="SMTP server.")] = "localhost",
    smtp_port: Annotated[int, typer.Option(help="SMTP port.")] = 25,
    sender: Annotated[str, typer.Option("--from", help="The From address.")] = "pactwatch@localhost",
    digest: Annotated[bool, typer.Option("--digest", help="One message a day instead of one per alert.")] = False,
    starttls: Annotated[bool, typer.Option("--starttls", help="Upgrade the connection with STARTTLS.")] = False,
    db: DbOption = None,
) -> None:
    """Add (or change) an email channel.

    Example: pactwatch alerts email desk desk@example.org --smtp-host mail.example.org --digest --db news.db
    """
    _add_channel(db, name, "email", {"to": to, "host": smtp_host, "port": smtp_port, "sender": sender,
                                     "mode": "digest" if digest else "immediate", "starttls": starttls})


def _add_channel(db: str | None, name: str, kind: str, config: dict[str, Any]) -> None:
    from pactwatch import alerts

    with _open(db, create=True) as store:
        try:
            alerts.add_channel(store, name, kind, config)
        except alerts.RuleError as exc:
            _fail(str(exc))
    typer.echo(f"channel {name} added")


@alerts_app.command("remove-channel")
def alerts_remove_channel(name: Annotated[str, typer.Argument(help="The channel's name.")],
                          db: DbOption = None) -> None:
    """Remove a delivery channel (what it had not yet delivered is dropped)."""
    with _open(db, create=False) as store:
        if not store.remove_channel(name):
            _fail(f"no channel named {name!r}")
    typer.echo(f"channel {name} removed")


@alerts_app.command("log")
def alerts_log(limit: Annotated[int, typer.Option(help="How many, newest first.", min=1)] = 50,
               db: DbOption = None) -> None:
    """The alerts raised, newest first, with the record each names and where it was delivered."""
    with _open(db, create=False) as store:
        rows = [(a, store.deliveries_of(a.id)) for a in store.alerts(limit)]
    table = _table("Alerts", ("id", "raised", "alert", "record", "deliveries"))
    for alert, deliveries in rows:
        table.add_row(str(alert.id), alert.raised_at, alert.title, f"{alert.record_kind} {alert.record_id}",
                      ", ".join(f"{c}: {state}" for c, state, _, _ in deliveries))
    Console().print(table)


@alerts_app.command("deliver")
def alerts_deliver(db: DbOption = None) -> None:
    """Send the alerts still waiting for a channel whose turn has come (the watcher does this each poll)."""
    from pactwatch import alerts

    with _open(db, create=False) as store:
        sent = alerts.deliver(store)
        waiting = store.pending_delivery_count()
    typer.echo(f"{sent} delivered, {waiting} waiting")


if __name__ == "__main__":  # pragma: no cover
    app()
