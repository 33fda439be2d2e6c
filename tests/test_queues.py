"""Queues: built-in counts, paging (offset and keyset) in queue order, restricted rows, saved
queues and the reception waiting list."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, Task
from caseterm.core.services import cases, diary, incoming, queues, saved_queues, tasks
from caseterm.core.services.identity import Actor
from caseterm.core.services.queues import TaskRow
from caseterm.core.services.saved_queues import QueueFilter
from tests.factories import World

TODAY = date(2026, 11, 23)
YESTERDAY = TODAY - timedelta(days=1)
NEXT_WEEK = TODAY + timedelta(days=7)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def add(world: World, n: int = 1, **kwargs: object) -> list[Task]:
    args: dict[str, object] = {"kind": "general", "title": "Something to do"} | kwargs
    with world.db.write() as s:
        return [tasks.insert_task(s, world.clerk, **args) for _ in range(n)]  # type: ignore[arg-type]


def summary(world: World, actor: Actor) -> dict[str, tuple[int, int]]:
    with world.db.read() as s:
        return {q.key: (q.count, q.overdue) for q in queues.list_queues(s, actor)}


def test_builtin_queue_counts(world: World) -> None:
    me, team = world.worker.id, world.team.id
    add(world, assignee_id=me, due_date=YESTERDAY)
    add(world, assignee_id=me, due_date=TODAY)
    add(world, assignee_id=me, due_date=NEXT_WEEK)
    add(world, assignee_id=me)  # no due date
    add(world, assignee_id=me, kind="check_request", due_date=NEXT_WEEK)
    [done] = add(world, assignee_id=me, due_date=YESTERDAY)
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=done.id or 0)
    add(world, 2, team_id=team, due_date=YESTERDAY)
    add(world, team_id=team, due_date=NEXT_WEEK)
    add(world, team_id=world.team.id, assignee_id=world.other.id, due_date=YESTERDAY)
    add(world, 3, kind="post_in", status="untriaged")
    add(world, kind="enforcement", assignee_id=world.other.id, due_date=NEXT_WEEK)
    counts = summary(world, world.worker)
    assert counts == {
        "my_work": (5, 1),
        "team_unallocated": (3, 2),
        "incoming": (3, 0),
        "due_today": (4, 3),
        "reception_waiting": (0, 0),
        "checks": (1, 0),
        "enforcement": (1, 0),
        "office_duty": (0, 0),
        "deadlines": (0, 0),
        "suspense": (0, 0),
    }
    with world.db.read() as s:
        for key, (n, _) in counts.items():
            assert queues.queue_count(s, world.worker, key) == n
            assert len(queues.queue_page(s, world.worker, key=key)) == n
    assert summary(world, world.other)["my_work"] == (2, 1)
    with pytest.raises(NotFoundError), world.db.read() as s:
        queues.queue_count(s, world.worker, "nonsense")


def _expected_order(rows: list[Task]) -> list[int]:
    def key(t: Task) -> tuple[int, date, int, int]:
        return (t.due_date is None, t.due_date or date.min, t.priority, t.id or 0)

    return [t.id or 0 for t in sorted(rows, key=key)]


def _all_pages(world: World, actor: Actor, key: str, size: int) -> tuple[list[int], list[int]]:
    by_offset: list[int] = []
    by_key: list[int] = []
    with world.db.read() as s:
        while page := queues.queue_page(s, actor, key=key, offset=len(by_offset), limit=size):
            by_offset.extend(r.task_id for r in page)
        after: TaskRow | None = None
        while page := queues._queue_page_after(s, actor, key=key, after=after, limit=size):
            by_key.extend(r.task_id for r in page)
            after = page[-1]
    return by_offset, by_key


def _all_chunks(world: World, actor: Actor, key: str, size: int) -> list[int]:
    """The whole queue read in one pass (`queue_chunks`, as an export reads it)."""
    with world.db.read() as s:
        chunks = list(queues.queue_chunks(s, actor, key=key, chunk=size))
    assert all(len(c) == size for c in chunks[:-1]) and 0 < len(chunks[-1]) <= size
    return [r.task_id for c in chunks for r in c]


def test_paging_follows_queue_order_by_offset_and_keyset(world: World) -> None:
    rng = random.Random(7)
    made: list[Task] = []
    with world.db.write() as s:
        for _ in range(230):
            due = None if rng.random() < 0.2 else TODAY + timedelta(days=rng.randint(-20, 20))
            made.append(
                tasks.insert_task(
                    s,
                    world.clerk,
                    kind="general",
                    title="t",
                    assignee_id=world.worker.id,
                    due_date=due,
                    priority=rng.randint(1, 4),
                )
            )
    expected = _expected_order(made)
    for size in (1, 37, 100, 500):
        by_offset, by_key = _all_pages(world, world.worker, "my_work", size)
        assert by_offset == expected
        assert by_key == expected
        assert _all_chunks(world, world.worker, "my_work", size) == expected
    with world.db.read() as s:
        first = queues.queue_page(s, world.worker, key="my_work", limit=5)
        assert [r.overdue for r in first] == [True] * 5
        assert queues.queue_page(s, world.worker, key="my_work", offset=230) == []
        assert queues.queue_page(s, world.worker, key="my_work", offset=5000) == []
        dated = sum(1 for t in made if t.due_date is not None)
        # A page starting exactly at the first undated task.
        page = queues.queue_page(s, world.worker, key="my_work", offset=dated, limit=3)
        assert [r.task_id for r in page] == expected[dated : dated + 3]
        assert all(r.due_date is None for r in page)


def test_due_today_merges_mine_and_team_unallocated_in_order(world: World) -> None:
    rng = random.Random(3)
    made: list[Task] = []
    with world.db.write() as s:
        for i in range(120):
            mine = i % 2 == 0
            made.append(
                tasks.insert_task(
                    s,
                    world.clerk,
                    kind="general",
                    title="t",
                    assignee_id=world.worker.id if mine else None,
                    team_id=world.team.id,
                    due_date=TODAY - timedelta(days=rng.randint(0, 5)),
                    priority=rng.randint(1, 4),
                )
            )
        # Not due yet, and someone else's: not in the queue.
        tasks.insert_task(
            s,
            world.clerk,
            kind="general",
            title="t",
            assignee_id=world.worker.id,
            due_date=NEXT_WEEK,
        )
        tasks.insert_task(
            s, world.clerk, kind="general", title="t", assignee_id=world.other.id, due_date=TODAY
        )
    expected = _expected_order(made)
    for size in (7, 50):
        by_offset, by_key = _all_pages(world, world.worker, "due_today", size)
        assert by_offset == expected
        assert by_key == expected
        assert _all_chunks(world, world.worker, "due_today", size) == expected


def test_rows_name_the_case_and_hide_restricted_ones(world: World) -> None:
    [task] = add(
        world,
        kind="letter_to_issue",
        title="Letter to Siobhán about breach",
        case_id=world.case.id,
        team_id=world.team.id,
        due_date=TODAY,
    )
    with world.db.read() as s:
        [row] = queues.queue_page(s, world.other, key="team_unallocated")
    assert (row.case_reference, row.subject_name, row.title, row.restricted) == (
        world.case.reference,
        "Siobhán O'Neill-Brady",
        "Letter to Siobhán about breach",
        False,
    )
    assert (row.task_id, row.version, row.overdue, row.assignee_name) == (task.id, 1, False, "")
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    with world.db.read() as s:
        [hidden] = queues.queue_page(s, world.other, key="team_unallocated")
        [seen] = queues.queue_page(s, world.worker, key="team_unallocated")
    assert hidden.restricted and hidden.subject_name == "Restricted — ask Wendy Worker"
    assert hidden.title == "Letter to issue" and "Siobhán" not in hidden.title
    assert not seen.restricted and seen.subject_name == "Siobhán O'Neill-Brady"


def test_unlinked_incoming_items_show_the_name_they_give(world: World) -> None:
    with world.db.write() as s:
        incoming.record_incoming(
            s, world.clerk, kind="post_in", summary="Letter", about_name="Ann Smith"
        )
        incoming.record_incoming(s, world.clerk, kind="post_in", summary="Circular")
    with world.db.read() as s:
        rows = queues.queue_page(s, world.clerk, key="incoming")
    assert sorted((r.title, r.subject_name) for r in rows) == [
        ("Circular", ""),
        ("Letter", "(Ann Smith)"),
    ]


def test_saved_queues_private_shared_and_deleted(world: World) -> None:
    add(world, 2, kind="post_in", status="untriaged")
    add(world, kind="post_in", assignee_id=world.worker.id, due_date=TODAY)
    add(
        world,
        kind="court_result",
        case_id=world.case.id,
        assignee_id=world.worker.id,
        due_date=NEXT_WEEK,
    )
    with world.db.write() as s:
        post = saved_queues.save_queue(
            s,
            world.worker,
            name="Unopened post",
            flt=QueueFilter(kinds=["post_in"], status="untriaged"),
        )
        om = saved_queues.save_queue(
            s,
            world.other,
            name="OM due this week",
            flt=QueueFilter(assignee="me", due_within_days=7, case_type="om"),
            shared=True,
        )
    with world.db.read() as s:
        mine = {q.key: q for q in queues.list_queues(s, world.worker)}
        theirs = {q.key: q for q in queues.list_queues(s, world.other)}
        post_key, om_key = f"saved:{post.id}", f"saved:{om.id}"
        assert (mine[post_key].count, mine[post_key].builtin, mine[post_key].owner_name) == (
            2,
            False,
            "",
        )
        # "me" in a shared queue means whoever looks at it.
        assert (mine[om_key].count, mine[om_key].owner_name, mine[om_key].shared) == (
            1,
            "Owen Other",
            True,
        )
        assert theirs[om_key].count == 0
        assert post_key not in theirs
        [row] = queues.queue_page(s, world.worker, key=om_key)
        assert row.kind == "court_result" and row.case_reference == world.case.reference
        assert (
            queues._queue_def(s, world.worker, om_key).description
            == "all kinds; mine; open; due within 7 days; OM cases"
        )
        with pytest.raises(PermissionDeniedError):
            queues.queue_page(s, world.other, key=post_key)
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        saved_queues.save_queue(s, world.worker, name="Unopened post", flt=QueueFilter())
    assert err.value.field == "name"
    for flt, field in (
        (QueueFilter(kinds=["gossip"]), "kinds"),
        (QueueFilter(assignee="everyone"), "assignee"),
        (QueueFilter(case_type="ZZ"), "case_type"),
        (QueueFilter(due_within_days=-1), "due_within_days"),
    ):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            saved_queues.save_queue(s, world.worker, name="Another", flt=flt)
        assert err.value.field == field
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        saved_queues.delete_queue(s, world.other, post.id or 0)
    with world.db.write() as s:
        saved_queues.delete_queue(s, world.worker, post.id or 0)
    with world.db.read() as s:
        assert post_key not in {q.key for q in queues.list_queues(s, world.worker)}
        actions = [
            e.action
            for e in s.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == "saved_queue")
                .order_by(col(AuditEvent.id))
            )
        ]
    assert actions == ["queue.save", "queue.save", "queue.delete"]


def test_reception_waiting_lists_todays_arrivals_at_my_office(world: World) -> None:
    today = clock.today()
    with world.db.write() as s:
        [early] = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=datetime.combine(today, datetime.min.time()).replace(hour=10),
            ends_at=datetime.combine(today, datetime.min.time()).replace(hour=11),
            kind="supervision",
            case_id=world.case.id,
            room_id=world.room.id,
        )
        [late] = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.other.id,
            starts_at=datetime.combine(today, datetime.min.time()).replace(hour=14),
            ends_at=datetime.combine(today, datetime.min.time()).replace(hour=15),
            kind="means_interview",
            case_id=world.case.id,
        )
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.other.id,
            starts_at=datetime.combine(today, datetime.min.time()).replace(hour=16),
            ends_at=datetime.combine(today, datetime.min.time()).replace(hour=17),
            kind="review",
            case_id=world.case.id,
        )
    with world.db.write() as s:
        diary.mark_arrived(s, world.desk, appointment_id=early.id or 0)
        diary.mark_arrived(s, world.desk, appointment_id=late.id or 0)
    assert summary(world, world.desk)["reception_waiting"] == (2, 1)
    with world.db.read() as s:
        rows = queues.queue_page(s, world.desk, key="reception_waiting")
        nxt = queues._queue_page_after(
            s, world.desk, key="reception_waiting", after=rows[0], limit=10
        )
    assert [r.appointment_id for r in rows] == [early.id, late.id]
    assert [r.appointment_id for r in nxt] == [late.id]
    assert rows[0].task_id == 0 and rows[0].overdue and not rows[1].overdue
    assert rows[0].title == "10:00 supervision with Wendy Worker (arrived 10:30)"
    assert rows[0].subject_name == "Siobhán O'Neill-Brady"


def test_a_saved_queue_is_read_only_by_its_owner_or_when_shared(world: World) -> None:
    with world.db.write() as s:
        private = saved_queues.save_queue(
            s, world.other, name="Mine alone", flt=QueueFilter(kinds=["post_in"])
        )
        shared = saved_queues.save_queue(
            s, world.other, name="For all", flt=QueueFilter(assignee="me"), shared=True
        )
    assert (private.key, private.owner_name) == (f"saved:{private.id}", "Owen Other")
    with world.db.read() as s:
        with pytest.raises(PermissionDeniedError):
            saved_queues.saved_queue(s, world.worker, private.key)
        with pytest.raises(NotFoundError):
            saved_queues.saved_queue(s, world.worker, "saved:999999")
        mine = saved_queues.saved_queue(s, world.other, private.key)
        assert (mine.name, mine.filter.kinds, mine.shared) == ("Mine alone", ["post_in"], False)
        seen = saved_queues.saved_queue(s, world.worker, shared.key)
        assert (seen.name, seen.owner_name, seen.filter.assignee) == ("For all", "Owen Other", "me")
        assert [q.name for q in saved_queues.visible_saved_queues(s, world.worker)] == ["For all"]
