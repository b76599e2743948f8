//! Importing cBioPortal timeline studies: the default mapping, every pitfall of
//! FORMAT.md §7 on the project's own fixtures (`tests/fixtures/import/`), cell-precise
//! messages, `txline import` / `check` / `export` end to end, and the round trip.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use txline::import::{self, Options};
use txline::model::{EndKind, EventKind, ResponseResult, Therapy, Timeline};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn study() -> PathBuf {
    fixtures().join("study")
}

fn txline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_txline"))
        .args(args)
        .output()
        .expect("txline runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The study opened directly: patient id → timeline.
fn open(inputs: &[PathBuf]) -> Vec<(String, Result<Timeline, Vec<String>>)> {
    import::open_inputs(inputs, &Options::default())
        .expect("opens")
        .into_iter()
        .map(|o| {
            let r = o
                .load()
                .map(|l| l.timeline)
                .map_err(|e| e.diagnostics.iter().map(|d| d.to_string()).collect());
            (o.name.display().to_string(), r)
        })
        .collect()
}

fn patient(id: &str) -> Timeline {
    open(&[study()])
        .into_iter()
        .find_map(|(_, r)| r.ok().filter(|t| t.patient.id == id))
        .unwrap_or_else(|| panic!("patient {id}"))
}

/// Messages of an import of `files` (name → text) written to a temporary folder.
fn messages(files: &[(&str, &str)]) -> (Vec<String>, import::Import) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let p = dir.path().join(name);
        fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let imp = import::import(&paths, &Options::default());
    let prefix = format!("{}/", dir.path().display());
    let msgs = imp
        .problems
        .sorted()
        .iter()
        .map(|p| p.diagnostic.to_string().replace(&prefix, ""))
        .collect();
    (msgs, imp)
}

const HEAD: &str = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tTREATMENT_TYPE\tAGENT\n";

#[test]
fn default_mapping_of_the_fixture_study() {
    let a = patient("A1");
    assert_eq!(a.patient.sex.as_deref(), Some("Female"));
    assert_eq!(a.patient.age, Some(61));
    // Rows in any order come out sorted; a regimen split over two rows is one phase.
    let phases: Vec<(Therapy, &str, i64, i64)> = a
        .phases
        .iter()
        .map(|p| (p.therapy, p.name.as_str(), p.span.start.day, p.span.end.day))
        .collect();
    assert_eq!(
        phases,
        [
            (Therapy::Chemotherapy, "carboplatin + pemetrexed", 10, 94),
            (Therapy::Radiotherapy, "IMRT", 100, 130),
            (Therapy::Targeted, "osimertinib", 200, 320),
            (Therapy::Immunotherapy, "pembrolizumab", 400, 563),
        ]
    );
    // Blank STOP with "Treatment Ongoing" is ongoing, to the last follow-up (OS_MONTHS).
    assert_eq!(a.phases[3].span.end_kind, EndKind::Ongoing);
    assert_eq!(a.data_cutoff.day, 563);
    // COMMENTS go to the detail (tooltips).
    assert_eq!(a.phases[1].detail.as_deref(), Some("End date is NA"));
    // RECIST words: the treatment outcome (once for the regimen) and a STATUS row.
    let resp: Vec<(i64, ResponseResult)> =
        a.responses.iter().map(|r| (r.at.day, r.result)).collect();
    assert_eq!(resp, [(94, ResponseResult::PR), (150, ResponseResult::PR)]);
    let events: Vec<(i64, EventKind, &str)> = a
        .events
        .iter()
        .map(|e| (e.at.day, e.kind, e.label.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            (5, EventKind::Biopsy, "A1-T1"),
            (60, EventKind::Other, "EGFR: positive"),
            (380, EventKind::Progression, "Radiographic progression"),
            (563, EventKind::LastFollowUp, "Last follow-up"),
        ]
    );
    // Numeric LAB_TEST results (after a `<`) become a track per TEST, in time order.
    assert_eq!(a.measurements.len(), 1);
    let m = &a.measurements[0];
    assert_eq!((m.name.as_str(), m.unit.as_deref()), ("CEA", Some("ng/mL")));
    let pts: Vec<(i64, f64)> = m.points.iter().map(|(w, v)| (w.day, *v)).collect();
    assert_eq!(pts, [(0, 12.5), (60, 3.1), (90, 0.5)]);

    let b = patient("B2");
    assert_eq!(b.patient.age, Some(70));
    // Negative days are normal; STOP == START and a blank STOP are one-day marks.
    assert_eq!(b.phases[0].span.start.day, -30);
    assert!(b.phases.iter().all(|p| p.span.end_kind == EndKind::Single));
    let kinds: Vec<EventKind> = b.events.iter().map(|e| e.kind).collect();
    // DECEASED → death (and OS_STATUS does not add a second one); a custom type → Other.
    assert_eq!(
        kinds,
        [EventKind::Diagnosis, EventKind::Other, EventKind::Death]
    );
    assert_eq!(b.events[1].label, "Tumor Board");
}

#[test]
fn fixture_study_warnings_point_at_their_rows() {
    let imp = import::import(&[study()], &Options::default());
    let msgs: Vec<String> = imp
        .problems
        .sorted()
        .iter()
        .map(|p| p.diagnostic.to_string())
        .collect();
    let has = |s: &str| msgs.iter().any(|m| m.contains(s));
    assert!(
        has("data_timeline_status.txt:4:1: warning: this row repeats line 3 exactly"),
        "{msgs:#?}"
    );
    assert!(
        has(
            "data_timeline_treatment.txt:7:3: warning: STOP_DATE is empty, so this treatment is drawn as a one-day mark"
        ),
        "{msgs:#?}"
    );
    assert!(has(
        "patient D4 is in the timeline but not in the clinical patient file"
    ));
    assert!(has(
        "data_clinical_patient.txt:8:1: warning: patient C3 is in the clinical patient file but has no timeline rows"
    ));
    assert_eq!(imp.problems.error_count(), 0);
    assert_eq!(imp.patients.len(), 3);
}

#[test]
fn lfs_pointer_is_named() {
    let (m, imp) = messages(&[(
        "data_timeline_x.txt",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 1234\n",
    )]);
    assert!(
        m[0].starts_with("data_timeline_x.txt:1:1: error: this is a Git LFS pointer"),
        "{m:?}"
    );
    assert!(imp.problems.has_study_errors());
}

#[test]
fn bad_cells_are_all_reported_at_their_column() {
    let text = format!(
        "{HEAD}P1\tNA\t85\tTREATMENT\tMedical Therapy\tX\nP1\t100\t20\tTREATMENT\t\t\nP2\t-18771\t\tTREATMENT\t\t\nP3\t12.0\t\tTREATMENT\t\t\nP4\t10\tNA\tTREATMENT\t\t\nP5\t10\t20\t\t\t\nP6\t1\t2\tSTATUS\t\t\textra\n"
    );
    let (m, imp) = messages(&[("t.txt", &text)]);
    assert_eq!(
        m,
        [
            "t.txt:2:2: error: START_DATE is \"NA\", not a whole number of days; write whole days after day 0 such as 120 (negative before day 0)",
            "t.txt:3:3: error: STOP_DATE 20 is before START_DATE 100; swap them or correct the day (leave STOP_DATE empty for an event at one time)",
            "t.txt:4:2: error: START_DATE -18771 is 51 years from day 0, outside the plausible range -7300 to 18250 days (set earliest_day / latest_day in a --map file if it is right); check the value",
            "t.txt:5:2: error: START_DATE is \"12.0\", not a whole number of days; write whole days such as 12",
            "t.txt:6:3: error: STOP_DATE is \"NA\", not a whole number of days; write whole days after day 0 such as 120 (negative before day 0); leave it empty for an event at one time",
            "t.txt:7:4: error: EVENT_TYPE is empty; write what happened, e.g. TREATMENT, SURGERY, STATUS, LAB_TEST, IMAGING, SPECIMEN",
            "t.txt:8:7: error: this row has a value in column 7, but the header has only 6 columns; add a column name to the header or remove the value (is a tab inside a value?)",
        ]
    );
    // Patients with an error are not written; the others are.
    let written: Vec<&str> = imp
        .patients
        .iter()
        .filter(|p| p.text.is_some())
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(written, ["P6"]);
}

#[test]
fn header_errors_say_which_column_to_write() {
    let (m, _) = messages(&[(
        "t.txt",
        "PATIENT_ID\tEVENT_TYPE\tSTART_DATE\tSTOP_DATE\nP1\tTREATMENT\t1\t2\n",
    )]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("t.txt:1:2: error: a cBioPortal timeline file starts with the columns PATIENT_ID, START_DATE, STOP_DATE, EVENT_TYPE"), "{m:?}");
    assert!(
        m[0].contains(
            "column 2 should be START_DATE, found \"EVENT_TYPE\" (START_DATE is column 3; move it)"
        ),
        "{m:?}"
    );
}

#[test]
fn attribute_names_vary() {
    let text = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tTHERAPEUTIC_AGENT\tSPECIMEN_REFERENCE_NUMBER\tBEST_RESPONSE\n\
                P1\t1\t30\tTREATMENT\tcetuximab\t\tComplete Response\n\
                P1\t40\t\tSPECIMEN\t\tS-01\t\n";
    let (m, imp) = messages(&[("t.txt", text)]);
    assert!(m.is_empty(), "{m:?}");
    let t = imp.patients[0].text.as_deref().unwrap();
    assert!(t.contains("name: \"cetuximab\""), "{t}");
    assert!(t.contains("(at: 30, result: CR"), "{t}");
    assert!(t.contains("(at: 40, kind: Biopsy, label: \"S-01\")"), "{t}");
}

#[test]
fn map_file_overrides_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.txt");
    fs::write(
        &f,
        format!("{HEAD}P1\t1\t30\tTREATMENT\tMedical Therapy\tTMZ\nP1\t50\t\tECOG_SCORE\t\t\n"),
    )
    .unwrap();
    let map = import::ImportMap::from_text(
        "(therapies: {\"medical therapy\": Chemotherapy}, event_types: {\"ecog score\": Event(AdverseEvent)})",
        "m.ron",
    )
    .unwrap();
    let imp = import::import(
        &[f],
        &Options {
            map,
            anchor_dates: None,
        },
    );
    let t = imp.patients[0].text.as_deref().unwrap();
    assert!(t.contains("(therapy: Chemotherapy, name: \"TMZ\""), "{t}");
    assert!(
        t.contains("kind: AdverseEvent, label: \"Ecog score\""),
        "{t}"
    );
}

#[test]
fn anchor_dates_give_calendar_dates_and_group_comes_from_the_map() {
    let map = import::ImportMap::from_text("(group: \"SUBTYPE\")", "m.ron").unwrap();
    let imp = import::import(
        &[study()],
        &Options {
            map,
            anchor_dates: Some(fixtures().join("anchor_dates.tsv")),
        },
    );
    let a = imp.patients.iter().find(|p| p.id == "A1").unwrap();
    let text = a.text.as_deref().unwrap();
    let t = txline::load::load_str(text, "A1.ron", None)
        .unwrap()
        .timeline;
    assert_eq!(t.day_zero, Some(jiff::civil::date(2020, 11, 1)));
    assert_eq!(t.patient.group.as_deref(), Some("LUAD"));
    assert_eq!(
        t.date_of(t.phases[0].span.start.day),
        Some(jiff::civil::date(2020, 11, 11))
    );
    // Patients without a date are said to have none.
    let msgs: Vec<String> = imp
        .problems
        .sorted()
        .iter()
        .map(|p| p.diagnostic.message.clone())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("patient B2 has no DATE in the anchor-dates file"))
    );
}

#[test]
fn import_writes_files_that_load_unchanged_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cases");
    let s = study().display().to_string();
    let o = txline(&["import", &s, "--out-dir", &out.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported 3 patients"), "{}", stderr(&o));
    let text = fs::read_to_string(out.join("A1.ron")).unwrap();
    assert!(
        text.starts_with("// Patient A1 imported by txline from a cBioPortal study.\n"),
        "{text}"
    );
    assert!(
        text.contains("data_timeline_treatment.txt: lines 2–6\n"),
        "{text}"
    );
    assert!(
        text.contains("data_clinical_patient.txt: line 6\n"),
        "{text}"
    );
    // Round trip: the written file loads to the same model as the study opened directly.
    for (name, direct) in open(&[study()]) {
        let direct = direct.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let file = out.join(format!("{}.ron", direct.patient.id));
        let mut loaded = txline::load::load_file(&file).unwrap().timeline;
        loaded.source = None;
        assert_eq!(loaded, direct, "{name}");
    }
    // A second import refuses to overwrite, and says how to.
    let before = fs::read(out.join("A1.ron")).unwrap();
    let o = txline(&["import", &s, "--out-dir", &out.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exist"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(fs::read(out.join("A1.ron")).unwrap(), before);
    let o = txline(&[
        "import",
        &s,
        "--out-dir",
        &out.display().to_string(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn export_of_a_study_equals_export_of_its_imported_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    let s = study().display().to_string();
    assert_eq!(
        txline(&["import", &s, "--out-dir", &d("cases")])
            .status
            .code(),
        Some(0)
    );
    let o = txline(&["export", &s, "--out-dir", &d("direct"), "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = txline(&[
        "export",
        &d("cases"),
        "--out-dir",
        &d("via"),
        "--format",
        "svg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for id in ["A1", "B2", "D4"] {
        let a = fs::read(dir.path().join("direct").join(format!("{id}.svg"))).unwrap();
        let b = fs::read(dir.path().join("via").join(format!("{id}.svg"))).unwrap();
        assert!(a == b, "{id}: direct and imported exports differ");
    }
}

#[test]
fn check_opens_studies_and_reports_cells() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("data_timeline_bad.txt");
    fs::write(
        &f,
        format!("{HEAD}P1\tNA\t85\tTREATMENT\t\t\nP2\t1\t5\tTREATMENT\t\tX\n"),
    )
    .unwrap();
    let o = txline(&["check", &f.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("data_timeline_bad.txt:2:2: error: START_DATE is \"NA\""),
        "{e}"
    );
    assert!(e.contains("(patient P2): ok"), "{e}");
    let o = txline(&["check", &study().display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn spreadsheet_template_csv_and_xlsx_give_the_same_timelines() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cases.csv");
    let xlsx = dir.path().join("cases.xlsx");
    for (fmt, f) in [("csv", &csv), ("xlsx", &xlsx)] {
        let o = txline(&["template", fmt, &f.display().to_string()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // Never overwritten without --force.
    let o = txline(&["template", "csv", &csv.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let a = open(std::slice::from_ref(&csv));
    let b = open(std::slice::from_ref(&xlsx));
    assert_eq!(a.len(), 2);
    for ((na, ta), (nb, tb)) in a.into_iter().zip(b) {
        let ta = ta.unwrap_or_else(|e| panic!("{na}: {e:?}"));
        let tb = tb.unwrap_or_else(|e| panic!("{nb}: {e:?}"));
        assert_eq!(ta, tb);
    }
    let p1 = open(&[xlsx])[0].1.clone().unwrap();
    assert_eq!(p1.day_zero, Some(jiff::civil::date(2019, 5, 10)));
    assert_eq!(p1.patient.group.as_deref(), Some("Arm B"));
    assert_eq!(p1.measurements[0].points.len(), 2);
    assert_eq!(p1.phases[1].span.end_kind, EndKind::Ongoing);
}

#[test]
fn spreadsheet_errors_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cases.csv");
    fs::write(
        &csv,
        "patient,item,kind,label,start,end,value,unit,detail\n\
         P1,Phase,Chemo,CCRT,2019-05-20,2019-07-05,,,\n\
         P1,Event,Diagnosis,,15/03/2021,,,,\n\
         P2,Phase,Surgery,,2021-03-15,2021-02-01,,,\n\
         P3,Thing,,,1,,,,\n\
         P4,Event,AdverseEvent,Rash,1,,\"2), (x\",,\n",
    )
    .unwrap();
    let imp = import::import(std::slice::from_ref(&csv), &Options::default());
    let m: Vec<String> = imp
        .problems
        .sorted()
        .iter()
        .map(|p| {
            p.diagnostic
                .to_string()
                .replace(&format!("{}/", dir.path().display()), "")
        })
        .collect();
    assert!(
        m[0].starts_with("cases.csv:2:3: error: unknown therapy \"Chemo\""),
        "{m:#?}"
    );
    assert!(m[0].contains("did you mean Chemotherapy?"), "{m:#?}");
    assert!(
        m[1].starts_with("cases.csv:3:5: error: start: \"15/03/2021\" is not a time"),
        "{m:#?}"
    );
    // The validator's message, placed at the end cell of the row it came from.
    assert!(m[2].starts_with("cases.csv:4:6: error: "), "{m:#?}");
    assert!(m[2].contains("is before start"), "{m:#?}");
    assert!(
        m[3].starts_with("cases.csv:5:2: error: unknown item \"Thing\""),
        "{m:#?}"
    );
    assert!(imp.patients.iter().all(|p| p.text.is_none()));

    // A workbook: sheet, column letter and row.
    let xlsx = dir.path().join("cases.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    for (c, h) in ["patient", "item", "kind", "label", "start"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..13u32 {
        ws.write_string(r, 0, "P1").unwrap();
        ws.write_string(r, 1, "Event").unwrap();
        ws.write_string(r, 2, "Biopsy").unwrap();
        ws.write_number(r, 4, r as f64).unwrap();
    }
    ws.write_string(13, 0, "P1").unwrap();
    ws.write_string(13, 1, "Event").unwrap();
    ws.write_string(13, 2, "Death").unwrap();
    ws.write_string(13, 4, "2021-02-30").unwrap();
    fs::write(&xlsx, wb.save_to_buffer().unwrap()).unwrap();
    let imp = import::import(std::slice::from_ref(&xlsx), &Options::default());
    let m: Vec<String> = imp
        .problems
        .sorted()
        .iter()
        .map(|p| p.diagnostic.to_string())
        .collect();
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(
        m[0].contains("cases.xlsx:Sheet1!E14: error: start: "),
        "{m:#?}"
    );
    assert!(m[0].contains("does not exist"), "{m:#?}");
}

#[test]
fn check_and_export_take_the_map_and_anchor_dates_too() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("m.ron");
    fs::write(
        &map,
        "(group: \"SUBTYPE\", therapies: {\"medical therapy\": Chemotherapy})",
    )
    .unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    let s = study().display().to_string();
    let anchors = fixtures().join("anchor_dates.tsv").display().to_string();
    let extra = ["--map", &d("m.ron"), "--anchor-dates", &anchors];
    let o = txline(&[&["import", &s, "--out-dir", &d("cases")][..], &extra].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        fs::read_to_string(dir.path().join("cases/A1.ron"))
            .unwrap()
            .contains("group: \"LUAD\"")
    );
    let o = txline(
        &[
            &["export", &s, "--out-dir", &d("direct"), "--format", "svg"][..],
            &extra,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = txline(&[
        "export",
        &d("cases"),
        "--out-dir",
        &d("via"),
        "--format",
        "svg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = fs::read(dir.path().join("direct/A1.svg")).unwrap();
    let b = fs::read(dir.path().join("via/A1.svg")).unwrap();
    assert!(a == b, "direct and imported exports differ with a map");
    // A wrong map file is named at its line and column.
    fs::write(&map, "(grop: 1)").unwrap();
    let o = txline(&["check", &s, "--map", &d("m.ron")]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("m.ron:1:2: error:"), "{}", stderr(&o));
}
