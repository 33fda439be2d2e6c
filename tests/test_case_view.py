"""`cases.view_case`: everything the case header names, read in a few statements, with the
links both ways and None for what a case lacks."""

from __future__ import annotations

from caseterm.core.services import case_edit, cases
from tests.factories import World


def test_the_view_names_type_subject_owners_team_office_and_links(world: World) -> None:
    w = world
    with w.db.write() as s:
        full = cases.open_case(
            s,
            w.clerk,
            case_type="OM",
            subject_id=w.person.id or 0,
            owner_id=w.worker.id,
            admin_owner_id=w.clerk.id,
            team_id=w.team.id,
            office_id=w.office.id,
        )
        later = cases.open_case(s, w.clerk, case_type="OM", subject_id=w.person.id or 0)
        case_edit.link_cases(
            s, w.clerk, case_id=full.id or 0, other_id=w.case.id or 0
        )  # from this case
        case_edit.link_cases(s, w.clerk, case_id=later.id or 0, other_id=full.id or 0)  # to it
    with w.db.read() as s:
        view = cases.view_case(s, w.worker, reference_or_id=full.reference)
    assert view.case.id == full.id
    assert view.case_type.code == "OM"
    assert view.subject.id == w.person.id
    assert view.owner is not None and view.owner.login == "worker"
    assert view.admin_owner is not None and view.admin_owner.login == "clerk"
    assert view.team is not None and view.team.id == w.team.id
    assert view.office is not None and view.office.id == w.office.id
    assert [c.reference for c in view.links] == [w.case.reference, later.reference]


def test_what_a_case_lacks_is_none_in_the_view(world: World) -> None:
    w = world
    with w.db.write() as s:
        bare = cases.open_case(s, w.clerk, case_type="OM", subject_id=w.person.id or 0)
    with w.db.read() as s:
        view = cases.view_case(s, w.worker, reference_or_id=bare.id or 0)
    assert view.subject.full_name == "Siobhán O'Neill-Brady"
    assert bare.owner_id is None and view.owner is None
    for shown, stored in (
        (view.admin_owner, bare.admin_owner_id),
        (view.team, bare.team_id),
        (view.office, bare.office_id),
    ):
        assert (shown.id if shown is not None else None) == stored
    assert view.links == ()
