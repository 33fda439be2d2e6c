"""Restricted cases: an allow list or a deny list; the owner and admin owner always see the case;
others learn only that it exists and whom to ask; every view and refusal is in the access log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from caseterm.core.errors import RestrictedError
from caseterm.core.models import AccessLog, CaseFile, Staff
from caseterm.core.services import (
    access,
    case_edit,
    cases,
    contacts,
    diary_views,
    history,
    people,
    reviews,
    task_lists,
)
from caseterm.core.services.identity import Actor
from tests.cli import run_cli
from tests.factories import World


def restrict(
    world: World, allow: Sequence[int | None] = (), deny: Sequence[int | None] = ()
) -> None:
    with world.db.write() as s:
        cases.restrict_case(
            s,
            world.manager,
            case_id=world.case.id or 0,
            allow=[a or 0 for a in allow],
            deny=[d or 0 for d in deny],
        )


def try_view(world: World, actor: Actor) -> RestrictedError | None:
    """View the case the way a screen does: a refusal is caught inside the writing session, so
    the access log keeps it."""
    with world.db.write() as s:
        try:
            cases.view_case(s, actor, reference_or_id=world.case.id or 0)
        except RestrictedError as err:
            return err
    return None


def access_log(world: World) -> list[tuple[str, str, str]]:
    with world.db.read() as s:
        rows = s.exec(
            select(Staff.login, AccessLog.action, AccessLog.where)
            .join(Staff, col(Staff.id) == col(AccessLog.staff_id))
            .order_by(col(AccessLog.id))
        ).all()
    return [(login, action, where) for login, action, where in rows]


def test_allow_list_owner_and_admin_owner(world: World) -> None:
    restrict(world, allow=[world.other.id])
    assert try_view(world, world.other) is None
    refused = try_view(world, world.manager)
    assert refused is not None
    assert str(refused) == f"{world.case.reference} is restricted — ask Wendy Worker"
    assert try_view(world, world.worker) is None  # the owner
    assert try_view(world, world.clerk) is None  # the admin owner (opened it)
    assert access_log(world) == [
        ("other", "viewed", "case"),
        ("boss", "refused", "case"),
        ("worker", "viewed", "case"),
        ("clerk", "viewed", "case"),
    ]


def test_deny_list_excludes_only_those_named_but_never_the_owner(world: World) -> None:
    restrict(world, deny=[world.other.id, world.worker.id])
    assert try_view(world, world.other) is not None
    assert try_view(world, world.manager) is None
    assert try_view(world, world.worker) is None


def test_lifting_the_restriction(world: World) -> None:
    restrict(world, allow=[world.other.id])
    restrict(world)
    with world.db.read() as s:
        case = s.get(CaseFile, world.case.id)
        assert case is not None and not case.restricted
    assert try_view(world, world.manager) is None
    assert access_log(world) == []  # views of an unrestricted case are not logged


def test_refusal_reveals_nothing_but_existence_and_whom_to_ask(world: World) -> None:
    restrict(world, allow=[world.other.id])
    refused = try_view(world, world.manager)
    assert refused is not None
    text = str(refused)
    assert world.person.family_name not in text and "Offender" not in text
    assert (refused.reference, refused.ask) == (world.case.reference, "Wendy Worker")


def test_visible_to_filter_agrees_with_can_see(world: World) -> None:
    """The SQL condition lists use must give the same answer as the rule, for every actor."""
    with world.db.write() as s:
        pid = world.person.id or 0
        ids = [cases.open_case(s, world.clerk, case_type="OM", subject_id=pid).id for _ in range(4)]
        cases.restrict_case(s, world.manager, case_id=ids[0] or 0, allow=[world.other.id or 0])
        cases.restrict_case(s, world.manager, case_id=ids[1] or 0, deny=[world.other.id or 0])
        case_edit.edit_case(
            s, world.manager, case_id=ids[2] or 0, owner_id=world.other.id, expected_version=None
        )
        cases.restrict_case(s, world.manager, case_id=ids[2] or 0, allow=[world.desk.id or 0])
    actors = [world.admin, world.clerk, world.worker, world.other, world.desk, world.manager]
    with world.db.read() as s:
        every = s.exec(select(CaseFile)).all()
        for actor in actors:
            by_rule = {c.id for c in every if access.can_see(s, actor, c)}
            by_sql = set(s.exec(select(CaseFile.id).where(access.visible_to(actor))).all())
            assert by_sql == by_rule, actor.login
        assert ids[0] not in set(
            s.exec(select(CaseFile.id).where(access.visible_to(world.manager)))
        )


def test_history_of_a_restricted_case(world: World) -> None:
    restrict(world, allow=[world.other.id])
    with world.db.write() as s:
        try:
            history.case_history(s, world.manager, case_id=world.case.id or 0)
        except RestrictedError:
            pass
        else:
            pytest.fail("the history of a restricted case must be refused")
    with world.db.write() as s:
        people.add_alias(
            s, world.clerk, person_id=world.person.id or 0, given="Siobhan", family="Brady"
        )
        rows = history.person_history(s, world.manager, person_id=world.person.id or 0)
    on_case = [r for r in rows if r.case_id == world.case.id]
    assert on_case and all(r.restricted and r.changes == [] for r in on_case)
    assert all(r.summary == "restricted — ask Wendy Worker" for r in on_case)
    # Their only case is hidden, so events about the person are too (search's rule).
    alias = [r for r in rows if r.action == "person.alias"]
    assert alias and all(r.restricted and r.changes == [] for r in alias)
    assert ("boss", "refused", "history") in access_log(world)


@pytest.mark.sqlite_only
def test_cli_restrict_and_refusals_logged(world: World, tmp_path: Path) -> None:
    url, ref = world.db.url, world.case.reference
    denied = run_cli(tmp_path, "restrict", ref, "--deny", "other", db=url, user="worker")
    assert denied.code == 1 and "worker may not restrict cases" in denied.one_error_line()
    done = run_cli(tmp_path, "restrict", ref, "--deny", "other", db=url, user="boss")
    assert done.code == 0, done.err
    assert done.out.strip() == f"{ref} is restricted"
    refused = run_cli(tmp_path, "audit", "--case", ref, db=url, user="other")
    assert refused.code == 1
    assert refused.one_error_line() == f"caseterm: {ref} is restricted — ask Wendy Worker"
    shown = run_cli(tmp_path, "case", "show", ref, db=url, user="other")
    assert shown.code != 0 and "restricted — ask Wendy Worker" in shown.err
    assert world.person.family_name not in shown.out + shown.err
    log = run_cli(tmp_path, "audit", "--access", "--case", ref, "--json", db=url, user="boss")
    assert log.code == 0, log.err
    assert {(r["login"], r["action"], r["where"]) for r in log.json()} >= {
        ("other", "refused", "history")
    }
    assert ("other", "refused", "history") in access_log(world)
    lifted = run_cli(tmp_path, "restrict", ref, "--clear", db=url, user="boss")
    assert lifted.code == 0 and "no longer restricted" in lifted.out


# Every read of a case's sections must refuse a restricted case as opening the case does (the
# case screen may call them after view_case, but a service is the boundary, not the screen).
SECTIONS: dict[str, Callable[[Session, Actor, int], object]] = {
    "contacts.list_contacts": lambda s, a, c: contacts.list_contacts(s, a, case_id=c),
    "diary_views.case_appointments": lambda s, a, c: diary_views.case_appointments(s, a, case_id=c),
    "diary_views.upcoming_for_case": lambda s, a, c: diary_views.upcoming_for_case(s, a, case_id=c),
    "task_lists.case_tasks": lambda s, a, c: task_lists.case_tasks(s, a, case_id=c),
    "task_lists.open_tasks_for_case": lambda s, a, c: task_lists.open_tasks_for_case(
        s, a, case_id=c
    ),
    "history.case_history": lambda s, a, c: history.case_history(s, a, case_id=c),
    "reviews.reviews_for_case": lambda s, a, c: reviews.reviews_for_case(s, a, c),
}


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_case_sections_refuse_a_restricted_case(world: World, name: str) -> None:
    restrict(world, allow=[world.other.id])
    with pytest.raises(RestrictedError), world.db.write() as s:
        SECTIONS[name](s, world.manager, world.case.id or 0)
    with world.db.write() as s:
        SECTIONS[name](s, world.other, world.case.id or 0)  # on the allow list: fine
