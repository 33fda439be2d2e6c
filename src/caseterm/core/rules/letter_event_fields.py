"""Letter merge fields filled from the case's timeline: `event.recall_date` is the date of the
latest recall recorded on the case, `event.decision` the details of the latest decision sent.
Every event kind also gives `event.KIND_date` (e.g. `event.tribunal_decision_date`). A value
typed when drafting (`letter draft --set recall_date=…`, the letter dialog's values) overrides
the timeline's; a field with neither is refused at preview, as before.

Data, not code: a field is added here with the event kind it reads and what it takes."""

from __future__ import annotations

from typing import Literal

# field -> (event kind, "date" or "details", what it holds)
EVENT_FIELDS: dict[str, tuple[str, Literal["date", "details"], str]] = {
    "recall_date": ("recall", "date", "date of the latest recall to hospital"),
    "hearing_date": ("tribunal_hearing", "date", "date of the latest tribunal hearing"),
    "application_date": (
        "tribunal_application",
        "date",
        "date of the latest tribunal application or reference",
    ),
    "transfer_date": ("transfer_to_hospital", "date", "date of the latest transfer to hospital"),
    "discharge_date": ("conditional_discharge", "date", "date of the conditional discharge"),
    "date_of_death": ("death", "date", "date of death"),
    "order_date": ("order_made", "date", "date the order was made"),
    "missed_date": ("absence", "date", "date of the latest failure to attend"),
    "warning_date": ("warning_issued", "date", "date of the latest warning issued"),
    "breach_date": ("breach_referred", "date", "date the breach was referred"),
    "collection_order_date": (
        "collection_order_made",
        "date",
        "date the collection order was made",
    ),
    "default_date": ("default", "date", "date of the latest default"),
    "request_date": ("request_received", "date", "date the information request was received"),
    "complaint_date": ("complaint_received", "date", "date the complaint was received"),
    "decision": ("decision", "details", "the decision sent (the event's details)"),
}


def event_field_help() -> dict[str, str]:
    """What each timeline field holds, for the merge-field catalogue (`template fields`)."""
    fields = {
        name: f"{about} (from the case's timeline, or typed when drafting)"
        for name, (_, _, about) in EVENT_FIELDS.items()
    }
    fields["KIND_date"] = "date of the latest event of KIND, e.g. event.tribunal_decision_date"
    return fields
