"""The open-data datasets' columns, declared once: (name, type, catalogue key of its
meaning). The same tuple orders the CSV header and the JSON rows and renders the data
dictionary on /data."""

from __future__ import annotations

from typing import NamedTuple

from projections import rollups


class Column(NamedTuple):
    name: str
    type: str  # uuid | text | int | number | date | datetime | bool | list | list_int
    text: str  # its description: a catalogue key (tracker/catalogue.py)


ID = Column("id", "uuid", "data.col.id")
REGION = Column("region_code", "text", "data.col.region_code")
REGION_NAME = Column("region_name", "text", "data.col.region_name")
PROVINCE = Column("province_code", "text", "data.col.province_code")
PROVINCE_NAME = Column("province_name", "text", "data.col.province_name")
UPDATED = Column("updated_at", "datetime", "data.col.updated_at")
FORUM_ID = Column("forum_id", "uuid", "data.col.forum_id")
ACTIONS = Column("actions", "int", "data.col.actions")

AKSI = (
    ID,
    REGION,
    REGION_NAME,
    PROVINCE,
    PROVINCE_NAME,
    Column("commitment_id", "uuid", "data.col.commitment_id"),
    FORUM_ID,
    Column("title", "text", "data.col.title.action"),
    Column("description", "text", "data.col.description"),
    Column("owner_opd", "text", "data.col.owner_opd"),
    Column("status", "text", "data.col.status.action"),
    Column("kkp_criterion", "int", "data.col.kkp_criterion"),
    Column("rpjmn_pns", "list", "data.col.rpjmn_pns.action"),
    Column("due_on", "date", "data.col.due_on"),
    Column("overdue", "bool", "data.col.overdue.action"),
    Column("completion", "number", "data.col.completion.action"),
    Column("verified_completion", "number", "data.col.verified_completion.action"),
    Column("weight", "int", "data.col.weight"),
    Column("completed_at", "datetime", "data.col.completed_at"),
    Column("reports_total", "int", "data.col.reports_total"),
    Column("reports_verified", "int", "data.col.reports_verified"),
    Column("indicator_name", "text", "data.col.indicator_name"),
    Column("indicator_unit", "text", "data.col.indicator_unit"),
    Column("indicator_target", "number", "data.col.indicator_target"),
    Column("indicator_value", "number", "data.col.indicator_value.action"),
    UPDATED,
)
KOMITMEN = (
    ID,
    FORUM_ID,
    Column("forum_title", "text", "data.col.forum_title"),
    Column("title", "text", "data.col.title.commitment"),
    Column("summary", "text", "data.col.summary"),
    Column("status", "text", "data.col.status.commitment"),
    Column("made_on", "date", "data.col.made_on"),
    Column("signatory_codes", "list", "data.col.signatory_codes"),
    Column("signatory_names", "list", "data.col.signatory_names"),
    Column("signatory_offices", "list", "data.col.signatory_offices"),
    Column("rpjmn_pns", "list", "data.col.rpjmn_pns.commitment"),
    Column("kkp_criteria", "list_int", "data.col.kkp_criteria"),
    ACTIONS,
    UPDATED,
)
FORUM = (
    ID,
    Column("kind", "text", "data.col.kind.forum"),
    Column("title", "text", "data.col.title.forum"),
    Column("theme", "text", "data.col.theme"),
    Column("organisers", "list", "data.col.organisers"),
    Column("host_region_code", "text", "data.col.host_region_code"),
    Column("host_region_name", "text", "data.col.host_region_name"),
    Column("venue", "text", "data.col.venue"),
    Column("starts_on", "date", "data.col.starts_on"),
    Column("ends_on", "date", "data.col.ends_on"),
    Column("commitments", "int", "data.col.commitments"),
    ACTIONS,
    UPDATED,
)
WILAYAH = (
    REGION,
    REGION_NAME,
    Column("kind", "text", "data.col.kind.ranking"),
    PROVINCE,
    PROVINCE_NAME,
    Column("rank", "int", "data.col.rank"),
    ACTIONS,
    *(Column(s, "int", f"data.col.status.{s}") for s in rollups.STATUSES),
    Column("verified_completion", "number", "data.col.verified_completion.ranking"),
    Column("completion", "number", "data.col.completion.ranking"),
    Column("on_time_share", "number", "data.col.on_time_share"),
    Column("overdue", "int", "data.col.overdue.ranking"),
    Column("reports", "int", "data.col.reports"),
    Column("reports_verified", "int", "data.col.reports_verified"),
    Column("verified_share", "number", "data.col.verified_share"),
    Column("last_activity", "datetime", "data.col.last_activity"),
)
KKP_HAM = (
    REGION,
    REGION_NAME,
    PROVINCE,
    Column("data_year", "int", "data.col.data_year"),
    Column("indicator_set", "text", "data.col.indicator_set"),
    Column("readiness", "number", "data.col.readiness"),
    Column("claimed_readiness", "number", "data.col.claimed_readiness"),
    Column("meets_threshold", "bool", "data.col.meets_threshold"),
    Column("rights_without_verified_work", "int", "data.col.rights_without_verified_work"),
    Column("assessment_status", "text", "data.col.assessment_status"),
    Column("result_predicate", "bool", "data.col.result_predicate"),
    Column("result_score", "number", "data.col.result_score"),
    Column("decree_number", "text", "data.col.decree_number"),
    Column("decree_date", "date", "data.col.decree_date"),
)
LAPORAN = (
    Column("action_id", "uuid", "data.col.action_id"),
    REGION,
    Column("action_title", "text", "data.col.action_title.action"),
    Column("report_id", "uuid", "data.col.report_id"),
    Column("step_id", "uuid", "data.col.step_id"),
    Column("step_title", "text", "data.col.step_title"),
    Column("period", "text", "data.col.period"),
    Column("percent", "number", "data.col.percent"),
    Column("indicator_value", "number", "data.col.indicator_value.report"),
    Column("status", "text", "data.col.status.report"),
    Column("narrative", "text", "data.col.narrative"),
    Column("correction_reason", "text", "data.col.correction_reason"),
    Column("late", "bool", "data.col.late"),
    Column("after_close", "bool", "data.col.after_close"),
    Column("corrects", "uuid", "data.col.corrects"),
    Column("corrected_by", "uuid", "data.col.corrected_by"),
    Column("reporter_office", "text", "data.col.reporter_office"),
    Column("submitted_at", "datetime", "data.col.submitted_at"),
    Column("reviewer_office", "text", "data.col.reviewer_office"),
    Column("reviewed_at", "datetime", "data.col.reviewed_at"),
    Column("return_reason", "text", "data.col.return_reason"),
    Column("review_note", "text", "data.col.review_note"),
    Column("evidence_urls", "list", "data.col.evidence_urls"),
)
AKTIVITAS = (
    Column("position", "int", "data.col.position"),
    Column("at", "datetime", "data.col.at"),
    Column("type", "text", "data.col.type"),
    Column("aggregate", "text", "data.col.aggregate"),
    Column("aggregate_id", "uuid", "data.col.aggregate_id"),
    Column("title", "text", "data.col.title.record"),
    Column("actor_role", "text", "data.col.actor_role"),
    Column("actor_office", "text", "data.col.actor_office"),
    Column("region_codes", "list", "data.col.region_codes"),
    Column("province_codes", "list", "data.col.province_codes"),
)
