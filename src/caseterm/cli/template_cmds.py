"""`caseterm template list|show|fields|add|edit|preview|diff|stock`: the stock letter library.

Anyone who works cases may list, show and preview; managers and system administrators add and
edit (each change audited, the template checked first: a syntax error or an unknown merge field
is refused with its line)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import fmt_when, logged_refusal, plain, read_stdin_text, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import LETTER_LANGUAGES, RECIPIENT_KINDS
from caseterm.core.services import cases, letter_templates, letters
from caseterm.core.services.letter_templates import TemplateInfo
from caseterm.core.text import for_display

BODY_FILE_MAX = 200_000


def _info(t: TemplateInfo, *, body: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": t.code,
        "name": t.name,
        "case_types": list(t.case_types),
        "recipient_kind": t.recipient_kind,
        "language": t.language,
        "variant_of": t.variant_of,
        "version": t.version,
        "active": t.active,
        "updated_at": t.updated_at,
        "updated_by": t.updated_by if t.updated_at else "",
    }
    if body:
        data["body"] = t.body
    return data


def _read_body(value: str | None) -> str | None:
    """--body TEXT, --body - (standard input) or --body-file PATH."""
    if value is None:
        return None
    return read_stdin_text("--body") if value == "-" else value


def _body_from(args: argparse.Namespace) -> str | None:
    if args.body_file:
        path = Path(args.body_file)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ValidationError("--body-file", f"cannot read {path}: {err.strerror}") from None
        if len(data) > BODY_FILE_MAX:
            raise ValidationError("--body-file", f"is larger than {BODY_FILE_MAX} bytes")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("--body-file", "is not UTF-8 text") from None
    return _read_body(args.body)


def list_cmd(args: argparse.Namespace) -> int:
    """The templates; a stock letter says how it stands against the shipped text ("edited",
    "shipped text changed": `template diff CODE` shows how)."""
    from caseterm.core.services.stock_templates import stock_states

    ctx = context(args)
    with ctx.db.read() as session:
        found = letter_templates.list_templates(
            session, ctx.actor, case_type=args.case_type, include_inactive=args.all
        )
        stock = stock_states(session, ctx.actor)
    if args.json:
        print_json([{**_info(t, body=False), "stock": stock.get(t.code)} for t in found])
        return 0
    print_table(
        ("CODE", "VER", "LANG", "TO", "CASE TYPES", "TITLE"),
        [
            (
                t.code,
                t.version,
                t.language,
                t.recipient_kind,
                ",".join(t.case_types) or "any",
                t.name + ("" if t.active else " (not in use)") + _stock_mark(stock.get(t.code)),
            )
            for t in found
        ],
    )
    return 0


def _stock_mark(state: str | None) -> str:
    from caseterm.core.rules.stock_shipped import EDITED, MOVED_ON

    if state == MOVED_ON:
        return f" ({MOVED_ON}: template diff)"
    return f" ({EDITED})" if state == EDITED else ""


def diff_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services.stock_templates import stock_diff

    ctx = context(args)
    with ctx.db.read() as session:
        got = stock_diff(session, ctx.actor, code=args.code)
    if args.json:
        print_json(
            {
                "code": got.code,
                "version": got.version,
                "stock": got.state,
                "diff": list(got.diff),
                "shipped": got.shipped,
            }
        )
        return 0
    print(plain(f"{got.code} v{got.version}: {got.state}"))
    for line in got.diff:
        print(plain(line))
    return 0


def show_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        t = letter_templates.show_template(session, ctx.actor, code=args.code, version=args.version)
    if args.json:
        print_json(_info(t, body=True))
        return 0
    print(plain(f"{t.code} v{t.version}: {t.name}"))
    print(
        plain(
            f"for {','.join(t.case_types) or 'any'} cases, to {t.recipient_kind}, "
            f"in {LETTER_LANGUAGES.get(t.language, t.language)}"
            + (f" (translates {t.variant_of})" if t.variant_of else "")
            + (f"; saved {fmt_when(t.updated_at)} by {t.updated_by}" if t.updated_at else "")
        )
    )
    print()
    print(for_display(t.body, multiline=True).rstrip("\n"))
    return 0


def fields_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = letter_templates.merge_fields(session, ctx.actor)
    if args.json:
        print_json([{"field": f.name, "description": f.description} for f in rows])
        return 0
    print_table(("FIELD", "WHAT IT HOLDS"), [(f"{{{{ {f.name} }}}}", f.description) for f in rows])
    return 0


def add_cmd(args: argparse.Namespace) -> int:
    body = _body_from(args)
    if body is None:
        raise ValidationError("--body", "is required (or --body-file)")
    ctx = context(args)
    with ctx.db.write() as session:
        t = letter_templates.add_template(
            session,
            ctx.actor,
            code=args.code,
            name=args.name,
            body=body,
            case_types=args.case_types or "",
            recipient_kind=args.to,
            language=args.language,
            variant_of=args.variant_of or "",
        )
    if args.json:
        print_json(_info(t, body=True))
    else:
        print(plain(f"added template {t.code} v{t.version}: {t.name}"))
    return 0


def edit_cmd(args: argparse.Namespace) -> int:
    active = {"yes": True, "no": False}.get(args.active or "")
    ctx = context(args)
    with ctx.db.write() as session:
        t = letter_templates.edit_template(
            session,
            ctx.actor,
            code=args.code,
            name=args.name,
            body=_body_from(args),
            case_types=args.case_types,
            recipient_kind=args.to,
            language=args.language,
            active=active,
            expected_version=args.expect_version,
        )
    if args.json:
        print_json(_info(t, body=True))
    else:
        print(plain(f"saved template {t.code} as version {t.version}"))
    return 0


def typed_values(pairs: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError("--set", f"use NAME=VALUE, not {plain(pair)!r}")
        values[name.strip()] = value
    return values


def preview_cmd(args: argparse.Namespace) -> int:
    extra = typed_values(args.set)
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.case_by_reference(session, args.reference)
        case_id = case.id or 0
        text = logged_refusal(
            lambda: letters.preview_letter(
                session, ctx.actor, case_id=case_id, template_code=args.code, extra=extra
            )
        )
    if isinstance(text, RestrictedError):
        return restricted_exit(text, args.json)
    if args.json:
        print_json({"template": args.code.upper(), "reference": case.reference, "text": text})
    else:
        print(for_display(text, multiline=True).rstrip("\n"))
    return 0


def stock_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        added = letter_templates.install_stock_templates(session, ctx.actor)
    if args.json:
        print_json({"added": added})
    else:
        print(f"added {len(added)} stock letter(s): {', '.join(added) or 'none missing'}")
    return 0


def _body_options(p: Any) -> None:
    p.add_argument("--body", help="the template text; '-' reads it from standard input")
    p.add_argument("--body-file", metavar="PATH", help="read the template text from a file")


def register(subparsers: Any) -> None:
    template = subparsers.add_parser("template", help="the stock letter library")
    sub = template.add_subparsers(dest="template_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="list the letter templates")
    p.add_argument("--case-type", metavar="CODE", help="only those for this case type")
    p.add_argument("--all", action="store_true", help="include templates no longer in use")
    add_json_flag(p)
    p.set_defaults(handler=list_cmd)

    p = sub.add_parser("show", help="one template with its text")
    p.add_argument("code", help="template code, e.g. APPT")
    p.add_argument("--version", type=int, help="an earlier saved version")
    add_json_flag(p)
    p.set_defaults(handler=show_cmd)

    p = sub.add_parser("fields", help="the merge fields a template may use")
    add_json_flag(p)
    p.set_defaults(handler=fields_cmd)

    kinds = ", ".join(RECIPIENT_KINDS)
    p = sub.add_parser(
        "add",
        help="add a template (managers)",
        description="Add a stock letter. The text uses merge fields ({{ person.full_name }}; "
        "`caseterm template fields` lists them) and is checked before it is saved.",
    )
    p.add_argument("code", help="a short unique code, e.g. APPT")
    p.add_argument("--name", required=True, help="the letter's title")
    _body_options(p)
    p.add_argument("--case-types", metavar="CODES", help="comma-separated case types (any)")
    p.add_argument("--to", default="subject", help=f"recipient kind: {kinds}")
    p.add_argument("--language", default="en", help="en or cy (Welsh)")
    p.add_argument("--variant-of", metavar="CODE", help="the English letter a Welsh one translates")
    add_json_flag(p)
    p.set_defaults(handler=add_cmd)

    p = sub.add_parser("edit", help="change a template (saved as a new version; managers)")
    p.add_argument("code", help="template code")
    p.add_argument("--name", help="new title")
    _body_options(p)
    p.add_argument("--case-types", metavar="CODES", help="comma-separated case types ('' any)")
    p.add_argument("--to", help=f"recipient kind: {kinds}")
    p.add_argument("--language", help="en or cy")
    p.add_argument("--active", choices=("yes", "no"), help="whether it is offered for new letters")
    p.add_argument("--expect-version", type=int, help="refuse if someone saved a newer version")
    add_json_flag(p)
    p.set_defaults(handler=edit_cmd)

    p = sub.add_parser("preview", help="a template merged with a case's details")
    p.add_argument("code", help="template code")
    p.add_argument("reference", help="case reference")
    p.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help="a typed value, e.g. recall_date=1 May"
    )
    add_json_flag(p)
    p.set_defaults(handler=preview_cmd)

    p = sub.add_parser(
        "diff",
        help="a stock template against the text caseterm ships",
        description="The difference, line by line (unified diff), between the template CODE and "
        "the stock letter this release ships under that code: what to carry into an edited "
        "template marked 'shipped text changed' in `template list`.",
    )
    p.add_argument("code", help="stock template code, e.g. APPT")
    add_json_flag(p)
    p.set_defaults(handler=diff_cmd)

    p = sub.add_parser("stock", help="add the stock letters caseterm ships (managers)")
    add_json_flag(p)
    p.set_defaults(handler=stock_cmd)
