//! The referral log as CSV, for the clinic's quality reports and payer audits.

use chrono::NaiveDate;

use super::csv_cell::{LineEnd, SafeCsv};
use crate::model::dates;
use crate::model::referral::{Referral, ReferralSettings};

/// The header line, in column order.
pub const HEADER: [&str; 17] = [
    "patient name",
    "MRN",
    "kind",
    "referred to",
    "reason",
    "urgency",
    "status",
    "referring provider",
    "created",
    "expected reply",
    "prior auth",
    "records forwarded",
    "appointment",
    "report received",
    "routed to provider",
    "outcome",
    "overdue",
];

/// Writes `referrals` (in the order given, usually the filtered work list) with a header
/// line. `patient` gives the patient's name and MRN for a patient id (empty strings for an
/// unknown patient). Choices are written as the coordinator reads them, dates as ISO
/// (YYYY-MM-DD, empty when not yet), prior authorization as one text
/// ("Approved (PA-77, requested 2026-11-02)"), and "overdue" as yes/no on `today`. Cells
/// that a spreadsheet would run as a formula are neutralised (see [`super::csv_cell`]).
pub fn write<'a>(
    referrals: impl IntoIterator<Item = &'a Referral>,
    mut patient: impl FnMut(&str) -> (String, String),
    today: NaiveDate,
    settings: &ReferralSettings,
) -> String {
    let date = |d: Option<NaiveDate>| d.map(dates::iso).unwrap_or_default();
    let mut w = SafeCsv::new(HEADER, LineEnd::Lf);
    for r in referrals {
        let (name, mrn) = patient(&r.patient_id);
        w.row([
            name.as_str(),
            &mrn,
            r.kind.label(),
            &r.referred_to,
            &r.reason,
            r.urgency.label(),
            r.status.label(),
            &r.referring_provider,
            &dates::iso(r.created),
            &dates::iso(r.expected_reply),
            &r.prior_auth.describe(),
            &date(r.records_forwarded),
            &date(r.appointment),
            &date(r.report_received),
            &date(r.routed_to_provider),
            r.outcome.map(|o| o.label()).unwrap_or_default(),
            if r.is_overdue(today, settings) { "yes" } else { "no" },
        ]);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::day;
    use crate::model::referral::tests::referral;
    use crate::model::referral::{CommunityOutcome, PriorAuth, PriorAuthStatus, ReferralKind, ReferralStatus};

    fn lookup(id: &str) -> (String, String) {
        match id {
            "p1" => ("Núñez, María".into(), "MRN-0012".into()),
            _ => (String::new(), String::new()),
        }
    }

    #[test]
    fn writes_every_column_and_reads_back() {
        let mut a = referral("2026-11-02", ReferralStatus::Requested);
        a.reason = "Chest pain, \"on and off\"\nfor 2 weeks".into();
        a.prior_auth = PriorAuth { status: PriorAuthStatus::Approved, number: "PA-77".into(), requested: Some(day(2026, 11, 3)) };
        a.records_forwarded = Some(day(2026, 11, 4));
        let mut b = referral("2026-11-20", ReferralStatus::Completed);
        b.patient_id = "p9".into();
        b.kind = ReferralKind::Community;
        b.referred_to = "Greater Boston Food Bank".into();
        b.outcome = Some(CommunityOutcome::GotHelp);
        b.appointment = Some(day(2026, 11, 21));
        b.report_received = Some(day(2026, 11, 22));
        b.routed_to_provider = Some(day(2026, 11, 23));
        let text = write([&a, &b], lookup, day(2026, 12, 1), &ReferralSettings::default());

        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [
                "Núñez, María",
                "MRN-0012",
                "Specialty",
                "Boston Cardiology Associates",
                "Chest pain, \"on and off\"\nfor 2 weeks",
                "Routine",
                "Requested (awaiting reply)",
                "Dr. Amara Okafor",
                "2026-11-02",
                "2026-11-16",
                "Approved (PA-77, requested 2026-11-03)",
                "2026-11-04",
                "",
                "",
                "",
                "",
                "yes",
            ]
        );
        assert_eq!(
            rows[1].iter().collect::<Vec<_>>(),
            [
                "",
                "",
                "Community resource",
                "Greater Boston Food Bank",
                "Palpitations",
                "Routine",
                "Completed",
                "Dr. Amara Okafor",
                "2026-11-20",
                "2026-12-04",
                "Not needed",
                "",
                "2026-11-21",
                "2026-11-22",
                "2026-11-23",
                "Got help",
                "no",
            ]
        );
    }

    #[test]
    fn formulas_typed_into_a_referral_stay_text() {
        let mut a = referral("2026-11-02", ReferralStatus::Requested);
        a.referred_to = "=HYPERLINK(\"http://x\",\"y\")".into();
        a.reason = "@SUM(1+1)".into();
        a.referring_provider = "-2+3".into();
        let text = write([&a], lookup, day(2026, 12, 1), &ReferralSettings::default());
        assert!(text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'@SUM(1+1)\","), "{text}");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!((&row[3], &row[4], &row[7]), ("'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1+1)", "'-2+3"));
    }

    #[test]
    fn an_empty_log_is_the_header_alone() {
        let none: [&Referral; 0] = [];
        let text = write(none, lookup, day(2026, 12, 1), &ReferralSettings::default());
        assert_eq!(text.lines().count(), 1);
        assert!(text.starts_with("patient name,MRN,kind,"));
    }
}
