"""Taking a payment from the case screen in two keystrokes: `p` opens this dialog with the
amount due already filled in (the arrears, else the next instalment, else the balance) and the
method last used; `enter` takes it. The receipt comes up to read out, and `p` prints it as a
PDF. Bad amounts are refused in the dialog, with the rule, before anything is posted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import PAYMENT_METHODS, format_pence, parse_amount
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.ledger import Receipt
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content, template
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.plain_input import PlainInput


# Where `p` on a receipt writes its PDF, to print or attach.
def receipts_dir() -> Path:
    return Path.home() / "caseterm-receipts"


LAST_METHOD = {"method": "card"}  # the method last used in this session, offered next time


@dataclass(frozen=True)
class PaymentRequest:
    amount_pence: int
    method: str
    reference: str


class PaymentDialog(ModalScreen[PaymentRequest | None]):
    DEFAULT_CSS = (
        modal_css("PaymentDialog", 64)
        + """
    PaymentDialog .error { color: $error; }
    PaymentDialog Input, PaymentDialog Select { width: 100%; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel_payment"),
        binding("ctrl+s", "save", "Take payment", "save_payment"),
    ]

    def __init__(self, view: AccountView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        v = self.view
        with Vertical():
            yield Static(
                template("[b]Take a payment: $ref[/b]", ref=v.reference), classes="modal-title"
            )
            yield Static(
                template(
                    "Balance $b$arrears",
                    b=format_pence(v.balance_pence),
                    arrears=f" · arrears {format_pence(v.arrears_pence)}"
                    if v.arrears_pence
                    else "",
                )
            )
            yield Label(content("Amount (£)"))
            yield PlainInput(value=f"{v.suggested_pence / 100:.2f}", compact=True, id="amount")
            yield Label(content("Method"))
            yield Select(
                [(text, key) for key, text in PAYMENT_METHODS.items()],
                value=LAST_METHOD["method"],
                allow_blank=False,
                compact=True,
                id="method",
            )
            yield Label(content("Reference (cheque number, card slip…)"))
            yield PlainInput(compact=True, id="reference")
            yield Static("", id="error", classes="error")
            yield Static(content("enter / ctrl+s take it · escape cancel"), classes="modal-keys")

    def on_mount(self) -> None:
        amount = self.query_one("#amount", Input)
        focus_now(amount)
        amount.select_all()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            pence = parse_amount(self.query_one("#amount", Input).value)
        except ValidationError as err:
            self.query_one("#error", Static).update(content(str(err)))
            self.query_one("#amount", Input).focus()
            return
        method = self.query_one("#method", Select).value
        if not isinstance(method, str):
            self.query_one("#error", Static).update(content("method: choose one"))
            return
        LAST_METHOD["method"] = method
        reference = clean(self.query_one("#reference", Input).value).strip()
        self.dismiss(PaymentRequest(pence, method, reference))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReceiptScreen(ModalScreen[None]):
    """The receipt, to read out to the payer; `p` prints it as a PDF."""

    DEFAULT_CSS = modal_css("ReceiptScreen", 72)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape,enter", "close", "Close", "close_receipt"),
        binding("p", "print_pdf", "Print (PDF)", "print_receipt"),
    ]

    def __init__(self, receipt: Receipt) -> None:
        super().__init__()
        self.receipt = receipt

    def compose(self) -> ComposeResult:
        head, *rest = self.receipt.lines()
        with Vertical(id="receipt"):
            yield Static(template("[b]$head[/b]", head=head), classes="modal-title")
            for line in rest:
                yield Static(content(line))
            yield Static(content("p print as PDF · enter / escape close"), classes="modal-keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_print_pdf(self) -> None:
        """Write the receipt as a PDF in `receipts_dir()` (made if need be) and say where."""
        folder = receipts_dir()
        lines, target = self.receipt.lines(), folder / f"receipt-{self.receipt.receipt_no}.pdf"

        def write() -> None:
            from caseterm.core.receipt_pdf import write_receipt_pdf

            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = write_receipt_pdf(lines, target)
            except Exception as err:  # a file that cannot be written: say why, keep the receipt
                self.app.call_from_thread(
                    self.notify,
                    str(err),
                    title="Receipt not saved",
                    severity="warning",
                    markup=False,
                )
                return
            self.app.call_from_thread(self.notify, f"Receipt saved to {path}", markup=False)

        self.run_worker(write, thread=True, exclusive=True, group="receipt-pdf")


class ReasonDialog(ModalScreen[str | None]):
    """One line of reason (for a reversal); `enter` gives it, `escape` gives up."""

    DEFAULT_CSS = (
        modal_css("ReasonDialog", 64)
        + """
    ReasonDialog .error { color: $error; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel_reason"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.title_text), classes="modal-title")
            yield Label(content("Reason (e.g. cheque dishonoured, chargeback)"))
            yield PlainInput(compact=True, id="reason")
            yield Static("", id="error", classes="error")
            yield Static(content("enter reverse it · escape cancel"), classes="modal-keys")

    def on_mount(self) -> None:
        focus_now(self.query_one("#reason", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = clean(event.value).strip()
        if not reason:
            self.query_one("#error", Static).update(content("reason: is required"))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
