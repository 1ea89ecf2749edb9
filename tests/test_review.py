"""Analyst review: the corrections overlay, accounts, sign-in with CSRF, and the dashboard equal to the export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactwatch import review
from pactwatch.cli import app as cli
from pactwatch.models import Corpus, DateRange, record_to_dict
from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.store.review import Correction
from pactwatch.web.app import create_app
from webcorpus import build_store, corpus

AUTHOR = "ana"
PASSWORD = "correct horse battery"


def fix(cid: int, kind: str, record_id: str, action: str, field: str | None = None, new: Any = None,
        undone: bool = False) -> Correction:
    return Correction(cid, kind, record_id, action, field, None, new, AUTHOR, f"2025-10-0{cid}T10:00:00+00:00",
                      "2025-10-09T10:00:00+00:00" if undone else None)


def get(c: Corpus, kind: str, record_id: str) -> Any:
    records = {"actor": c.actors, "event": c.events, "commitment": c.commitments, "claim": c.claims}[kind]
    return next((r for r in records if r.id == record_id), None)


@pytest.mark.parametrize(("corrections", "kind", "record_id", "field", "expected"), [
    ([fix(1, "event", "ev-agree", "correct", "type", "COOPERATE")], "event", "ev-agree", "type", "COOPERATE"),
    ([fix(1, "event", "ev-jc", "correct", "date", DateRange.month(2025, 8).to_dict())], "event", "ev-jc", "date",
     DateRange.month(2025, 8)),
    ([fix(1, "commitment", "com-post", "correct", "status", "met")], "commitment", "com-post", "status", "met"),
    ([fix(1, "claim", "clm-1-4", "correct", "value", 1.5e9)], "claim", "clm-1-4", "value", 1.5e9),
    ([fix(1, "actor", "act-mr-mrisho", "correct", "name", "Juma K. Mrisho")], "actor", "act-mr-mrisho", "name",
     "Juma K. Mrisho"),
    # The later correction of a field wins; an undone one counts for nothing.
    ([fix(1, "commitment", "com-post", "correct", "status", "met"),
      fix(2, "commitment", "com-post", "correct", "status", "pending")], "commitment", "com-post", "status", "pending"),
    ([fix(1, "commitment", "com-post", "correct", "status", "met", undone=True)], "commitment", "com-post", "status",
     "missed"),
    # A correction of a record a rebuild no longer has is ignored, not an error.
    ([fix(1, "event", "ev-gone", "correct", "type", "AID")], "event", "ev-agree", "type", "AGREE"),
])
def test_a_correction_changes_one_field(corrections: list[Correction], kind: str, record_id: str, field: str,
                                        expected: Any) -> None:
    machine = corpus()
    before = json.dumps(machine.to_exchange(), sort_keys=True)
    out = review.apply_corrections(machine, corrections)
    assert getattr(get(out, kind, record_id), field) == expected
    assert json.dumps(machine.to_exchange(), sort_keys=True) == before  # the machine's record is untouched


@pytest.mark.parametrize(("corrections", "kind", "record_id", "kept", "state"), [
    ([fix(1, "claim", "clm-1-4", "reject")], "claim", "clm-1-4", False, "rejected"),
    ([fix(1, "claim", "clm-1-4", "reject"), fix(2, "claim", "clm-1-4", "confirm")], "claim", "clm-1-4", True,
     "confirmed"),
    ([fix(1, "event", "ev-jc", "reject", undone=True)], "event", "ev-jc", True, None),
    ([fix(1, "commitment", "com-jc", "confirm")], "commitment", "com-jc", True, "confirmed"),
    ([fix(1, "actor", "act-mr-mrisho", "merge", new="act-mrisho")], "actor", "act-mr-mrisho", False, None),
])
def test_reject_and_merge_drop_a_record_from_the_reviewed_record(corrections: list[Correction], kind: str,
                                                                 record_id: str, kept: bool,
                                                                 state: str | None) -> None:
    out = review.apply_corrections(corpus(), corrections)
    assert (get(out, kind, record_id) is not None) is kept
    shown = get(review.apply_corrections(corpus(), corrections, keep_rejected=True), kind, record_id)
    assert shown is not None  # the pages still show it, struck through
    if kind != "actor":
        assert (shown.attributes.get("review") or {}).get("state") == state


def test_merging_moves_names_mentions_and_references() -> None:
    merges = [fix(1, "actor", "act-mr-mrisho", "merge", new="act-mrisho"),
              fix(2, "actor", "act-mrisho", "merge", new="act-odhiambo", undone=True)]
    out = review.apply_corrections(corpus(), merges)
    target = get(out, "actor", "act-mrisho")
    assert "Mr Mrisho" in target.aliases
    assert {m.doc for m in target.mentions} == {"doc-ke-1", "doc-ke-2"}
    assert get(out, "event", "ev-jc").actors == ["act-jc", "act-mrisho"]


def test_merge_chains_follow_through_and_cycles_do_nothing() -> None:
    chain = [fix(1, "actor", "act-mr-mrisho", "merge", new="act-mrisho"),
             fix(2, "actor", "act-mrisho", "merge", new="act-odhiambo")]
    out = review.apply_corrections(corpus(), chain)
    assert [a.id for a in out.actors if a.kind == "person"] == ["act-odhiambo"]
    assert get(out, "event", "ev-jc").actors == ["act-jc", "act-odhiambo"]
    cycle = [fix(1, "actor", "act-mr-mrisho", "merge", new="act-mrisho"),
             fix(2, "actor", "act-mrisho", "merge", new="act-mr-mrisho")]
    assert len(review.apply_corrections(corpus(), cycle, keep_rejected=True).actors) == len(corpus().actors)


@pytest.mark.parametrize(("kind", "field", "text", "expected"), [
    ("commitment", "status", "met", "met"),
    ("commitment", "due", "2026-Q3", DateRange.quarter(2026, 3).to_dict()),
    ("event", "date", "2025-06", DateRange.month(2025, 6).to_dict()),
    ("event", "date", "2025-06-01..2025-06-03", {"start": "2025-06-01", "end": "2025-06-03", "precision": "day"}),
    ("event", "type", "CONSULT", "CONSULT"),
    ("claim", "value", "1,400,000,000", 1.4e9),
    ("claim", "period", "2024", DateRange.year(2024).to_dict()),
    ("commitment", "status", "done", ValueError),
    ("event", "type", "MEET", ValueError),
    ("claim", "value", "a lot", ValueError),
    ("event", "date", "soon", ValueError),
    ("event", "summary", "anything", ValueError),  # not a correctable field
])
def test_parse_value(kind: str, field: str, text: str, expected: Any) -> None:
    if expected is ValueError:
        with pytest.raises(ValueError):
            review.parse_value(kind, field, text)
    else:
        assert review.parse_value(kind, field, text) == expected


# -- through the dashboard ------------------------------------------------------

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def db(db_url: str) -> str:  # on SQLite and on PostgreSQL
    path = build_store(db_url)
    result = CliRunner().invoke(cli, ["user", "add", AUTHOR, "--password-stdin", "--db", str(path)],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def csrf(client: TestClient, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match
    return match[1]


def sign_in(client: TestClient) -> None:
    response = client.post("/login", data={"name": AUTHOR, "password": PASSWORD, "csrf": csrf(client), "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303


def act(client: TestClient, kind: str, record_id: str, **form: str) -> Any:
    token = csrf(client, f"/records/{kind}/{record_id}")
    return client.post(f"/records/{kind}/{record_id}/review", data={"csrf": token, **form}, follow_redirects=False)


def test_accounts_are_hashed_with_argon2(db: Path) -> None:
    with open_store(db) as store:
        stored = review_store.password_hash(store, AUTHOR)
    assert stored and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert review.verify_password(stored, PASSWORD)
    assert not review.verify_password(stored, "wrong")


@pytest.mark.parametrize(("form", "status"), [
    ({"name": AUTHOR, "password": "wrong"}, 401),
    ({"name": "nobody", "password": PASSWORD}, 401),
    ({"name": AUTHOR, "password": PASSWORD, "csrf": "forged"}, 403),
])
def test_sign_in_refuses_bad_passwords_and_forged_forms(client: TestClient, form: dict[str, str],
                                                        status: int) -> None:
    token = csrf(client)
    response = client.post("/login", data={"csrf": token, **form}, follow_redirects=False)
    assert response.status_code == status
    assert "Signed in as" not in client.get("/").text


def test_writing_needs_an_account_and_a_csrf_token(client: TestClient, db: Path) -> None:
    anonymous = client.post("/records/commitment/com-post/review", data={"action": "confirm", "csrf": csrf(client)})
    assert anonymous.status_code == 401
    sign_in(client)
    forged = client.post("/records/commitment/com-post/review", data={"action": "confirm", "csrf": "x"})
    assert forged.status_code == 403
    assert client.post("/records/commitment/com-post/review", data={"action": "confirm"}).status_code == 422
    with open_store(db) as store:
        assert review_store.corrections(store) == []
    assert act(client, "commitment", "com-post", action="confirm").status_code == 303


@pytest.mark.parametrize(("form", "status"), [
    ({"action": "correct", "field": "status", "value": "finished"}, 400),
    ({"action": "correct", "field": "statement", "value": "x"}, 400),
    ({"action": "merge", "target": "act-odhiambo"}, 400),  # only actors merge
    ({"action": "delete"}, 400),
])
def test_bad_review_forms_are_refused(client: TestClient, form: dict[str, str], status: int) -> None:
    sign_in(client)
    assert act(client, "commitment", "com-post", **form).status_code == status


def dashboard_commitments(client: TestClient) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    listed = client.get("/api/commitments?per=200").json()["commitments"]
    return {c["id"]: (c["status"], [{k: m[k] for k in ("doc", "start", "end", "quote")} for m in c["evidence"]])
            for c in listed}


def exported_commitments(db: Path) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    out = CliRunner().invoke(cli, ["export", "--db", str(db)])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    return {c["id"]: (c["status"], c["evidence"]) for c in data["commitments"]}


def test_correct_show_export_rebuild_and_undo(client: TestClient, db: Path) -> None:
    assert dashboard_commitments(client) == exported_commitments(db)
    sign_in(client)
    assert act(client, "commitment", "com-post", action="correct", field="status", value="met",
               reason="the post opened on 1 May").status_code == 303

    page = client.get("/records/commitment/com-post").text
    assert '<del class="machine" title="machine value">missed</del>' in page
    assert '<ins class="analyst" title="analyst value">met</ins>' in page
    assert f"— {AUTHOR}," in page
    assert dashboard_commitments(client)["com-post"][0] == "met"
    assert dashboard_commitments(client) == exported_commitments(db)  # the export goes through the same overlay

    # A rebuild replaces the machine's records; ids are stable, so the correction applies again.
    with open_store(db) as store:
        store.save_corpus(corpus())
        assert store.record("commitment", "com-post").status == "missed"  # the machine's value is kept
    record = client.get("/api/records/commitment/com-post").json()
    assert record["record"]["status"] == "met"
    assert record["record"]["review"]["actions"][0] | {"at": None, "id": None} == {
        "id": None, "action": "correct", "field": "status", "machine": "missed", "analyst": "met",
        "author": AUTHOR, "at": None, "reason": "the post opened on 1 May"}
    # The explanation is told again for the analyst's status, with the reason; the machine's is named as such.
    judgment = record["record"]["attributes"]["judgment"]
    assert judgment.startswith("Met: set by an analyst's correction (the post opened on 1 May).")
    assert "The tracker had read it as missed" in judgment
    assert "the post opened on 1 May" in client.get("/records/commitment/com-post").text

    correction_id = record["corrections"][0]["id"]
    token = csrf(client, "/records/commitment/com-post")
    assert client.post(f"/corrections/{correction_id}/undo", data={"csrf": token},
                       follow_redirects=False).status_code == 303
    assert dashboard_commitments(client)["com-post"][0] == "missed"
    assert dashboard_commitments(client) == exported_commitments(db)
    log = client.get("/api/corrections").json()["corrections"]
    assert [(c["action"], c["undone_by"]) for c in log] == [("correct", AUTHOR)]  # kept, marked undone
    assert client.post(f"/corrections/{correction_id}/undo", data={"csrf": token}).status_code == 404


def test_merge_two_actors_through_the_dashboard(client: TestClient, db: Path) -> None:
    sign_in(client)
    assert act(client, "actor", "act-mr-mrisho", action="merge", target="act-mrisho").status_code == 303
    merged = client.get("/api/records/actor/act-mr-mrisho").json()["record"]
    assert merged["review"]["state"] == "merged"
    target = client.get("/api/records/actor/act-mrisho").json()["record"]
    assert "Mr Mrisho" in target["aliases"]
    assert [e["id"] for e in target["events"]] == ["ev-agree", "ev-meet", "ev-jc"]
    exported = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)
    assert "act-mr-mrisho" not in {a["id"] for a in exported["actors"]}
    with open_store(db) as store:  # nothing the machine extracted is lost
        assert store.record("actor", "act-mr-mrisho") is not None
        assert record_to_dict(store.record("event", "ev-jc"))["actors"] == ["act-jc", "act-mr-mrisho"]


def test_sign_out_needs_the_token_and_ends_the_session(client: TestClient) -> None:
    sign_in(client)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert "Signed in as" in client.get("/").text
    assert client.post("/logout", data={"csrf": csrf(client, "/")}, follow_redirects=False).status_code == 303
    assert "Signed in as" not in client.get("/").text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_only_returns_to_this_site(client: TestClient, target: str) -> None:
    response = client.post("/login", data={"name": AUTHOR, "password": PASSWORD, "csrf": csrf(client),
                                            "next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_review_form_offers_pickers(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/records/commitment/com-post").text
    status_form = page[page.index('id="correct-status"'):]
    status_form = status_form[:status_form.index("</form>")]
    assert '<select name="value"' in status_form
    assert all(f'<option value="{s}"' in status_form for s in ("met", "missed", "pending", "unknown"))
    assert '<option value="missed" selected>' in status_form  # the record's present value
    due_form = page[page.index('id="correct-due"'):]
    assert '<input type="date" name="value"' in due_form[:due_form.index("</form>")]
    assert '<select name="value"' in page[page.index('id="correct-kind"'):]
    assert page.count('name="reason"') >= 5  # every action takes a reason


@pytest.mark.parametrize(("form", "message", "kept"), [
    ({"field": "due", "value": "2025-02-30"}, "due:", 'value="2025-02-30"'),
    ({"field": "status", "value": "finished"}, "status: &#39;finished&#39; is not one of", None),
])
def test_a_bad_value_is_shown_in_place_with_the_input_kept(client: TestClient, form: dict[str, str], message: str,
                                                         kept: str | None) -> None:
    sign_in(client)
    response = act(client, "commitment", "com-post", action="correct", reason="checked with the ministry", **form)
    assert response.status_code == 400
    page = response.text
    error = page.index(f'id="error-correct-{form["field"]}"')
    own_form = page[page.index(f'id="correct-{form["field"]}"'):]
    own_form = own_form[:own_form.index("</form>")]
    assert message in page[error:error + 200] and f'id="error-correct-{form["field"]}"' in own_form
    assert 'value="checked with the ministry"' in own_form  # the reason typed is kept too
    if kept:
        assert kept in own_form
    assert client.get("/api/corrections").json()["corrections"] == []  # nothing stored


def test_a_reason_too_long_is_refused_in_place(client: TestClient) -> None:
    sign_in(client)
    response = act(client, "commitment", "com-post", action="confirm", reason="x" * 501)
    assert response.status_code == 400 and "reason: 501 characters" in response.text


@pytest.mark.parametrize(("password", "said"), [
    ("short", "the password is 5 characters long: use at least 12"),
    ("aaaaaaaaaaaaaaaa", "repeats too few characters"),
    ("zanele-password-1", "must not contain the account name"),
])
def test_user_add_refuses_a_weak_password(tmp_path: Path, password: str, said: str) -> None:
    db = tmp_path / "accounts.db"
    result = CliRunner().invoke(cli, ["user", "add", "zanele", "--password-stdin", "--db", str(db)],
                                input=password + "\n")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0]
    assert not db.exists()  # nothing written


def test_every_way_of_setting_a_password_keeps_the_policy(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(ValueError, match="at least 12"):
            review.set_password(store, AUTHOR, "too short")
        assert review.set_password(store, AUTHOR, "a much longer passphrase") is True
        assert review.verify_password(review_store.password_hash(store, AUTHOR), "a much longer passphrase")
