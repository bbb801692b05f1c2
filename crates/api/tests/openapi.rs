//! Keeps `openapi.yaml` in step with the Rust types: every path, parameter, enum value and
//! field named in the file exists in the types, and every field of the types is in the file.

use std::collections::BTreeSet;

use serde_norway::Value;
use sync_errors_api::{
    ApiErrorBody, ApiErrorDetail, Bucket, CodeCount, ErrorCode, ErrorPage, Filters, Histogram,
    IngestAnswer, IngestRequest, LIST_PATH, Level, ListQuery, MAX_INGEST_ITEMS, ObjectCount,
    RejectCode, Rejected, SUMMARY_PATH, Sort, Summary, SyncError, Window, parse_time,
};

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml is readable");
    serde_norway::from_str(&text).expect("openapi.yaml is valid YAML")
}

fn schema<'a>(spec: &'a Value, name: &str) -> &'a Value {
    &spec["components"]["schemas"][name]
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The JSON field names of a fully-populated value.
fn json_keys<T: serde::Serialize>(value: &T) -> BTreeSet<String> {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

fn full_error() -> SyncError {
    SyncError::example(
        "se_1",
        Level::Record,
        "Required fields are missing: [Company]",
    )
}

fn full_page() -> ErrorPage {
    let t = parse_time("2026-11-28T10:15:00Z").unwrap();
    ErrorPage {
        window: Window {
            from: t,
            to: t,
            current_sync_at: t,
        },
        total: 1,
        offset: Some(0),
        next_cursor: Some("c".into()),
        items: vec![full_error()],
    }
}

#[test]
fn paths_are_the_contracts() {
    let spec = spec();
    let paths = keys(&spec["paths"]);
    let expected: BTreeSet<String> = [
        LIST_PATH.to_string(),
        SUMMARY_PATH.to_string(),
        format!("{LIST_PATH}/{{id}}"),
    ]
    .into_iter()
    .collect();
    assert_eq!(paths, expected);
    assert_eq!(spec["servers"][0]["url"].as_str(), Some("/api"));
}

#[test]
fn list_parameters_match_the_query_model() {
    let spec = spec();
    let params = spec["paths"][LIST_PATH]["get"]["parameters"]
        .as_sequence()
        .unwrap();
    let names: BTreeSet<String> = params
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let model: BTreeSet<String> = ListQuery::PARAMETERS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names, model);
    let sort = params
        .iter()
        .find(|p| p["name"].as_str() == Some("sort"))
        .unwrap();
    let sorts: BTreeSet<String> = Sort::ALL.iter().map(|s| s.as_str().to_string()).collect();
    assert_eq!(strings(&sort["schema"]["enum"]), sorts);
    assert_eq!(
        sort["schema"]["default"].as_str(),
        Some(Sort::default().as_str())
    );
    let limit = params
        .iter()
        .find(|p| p["name"].as_str() == Some("limit"))
        .unwrap();
    assert_eq!(
        limit["schema"]["maximum"].as_u64(),
        Some(sync_errors_api::MAX_LIMIT as u64)
    );
    assert_eq!(
        limit["schema"]["default"].as_u64(),
        Some(sync_errors_api::DEFAULT_LIMIT as u64)
    );
}

#[test]
fn summary_parameters_are_the_filters() {
    let spec = spec();
    let names: BTreeSet<String> = spec["paths"][SUMMARY_PATH]["get"]["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let model: BTreeSet<String> = Filters::PARAMETERS.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, model);
}

fn full_summary() -> Summary {
    let t = parse_time("2026-11-28T09:00:00Z").unwrap();
    Summary {
        window: full_page().window,
        total: 3,
        by_code: vec![CodeCount {
            error_code: "REQUIRED_FIELD_MISSING".into(),
            count: 3,
            record: 2,
            job: 1,
            last_failed_at: t,
        }],
        by_object: vec![ObjectCount {
            object_type: Some("Lead".into()),
            count: 3,
        }],
        histogram: Histogram {
            bucket_seconds: 3600,
            buckets: vec![Bucket {
                start: t,
                record: 2,
                job: 1,
            }],
        },
    }
}

#[test]
fn summary_schemas_name_exactly_the_fields_of_the_types() {
    let spec = spec();
    let summary = full_summary();
    for (name, fields) in [
        ("Summary", json_keys(&summary)),
        ("CodeCount", json_keys(&summary.by_code[0])),
        ("ObjectCount", json_keys(&summary.by_object[0])),
        ("Histogram", json_keys(&summary.histogram)),
        ("Bucket", json_keys(&summary.histogram.buckets[0])),
    ] {
        let s = schema(&spec, name);
        assert_eq!(keys(&s["properties"]), fields, "{name}");
        assert_eq!(
            strings(&s["required"]),
            fields,
            "{name}: every field is required"
        );
    }
}

#[test]
fn levels_match() {
    let levels: BTreeSet<String> = Level::ALL.iter().map(|l| l.as_str().to_string()).collect();
    assert_eq!(strings(&schema(&spec(), "Level")["enum"]), levels);
}

#[test]
fn schemas_name_exactly_the_fields_of_the_types() {
    let spec = spec();
    let page = full_page();
    for (name, fields) in [
        ("SyncError", json_keys(&page.items[0])),
        ("ErrorPage", json_keys(&page)),
        ("Window", json_keys(&page.window)),
    ] {
        let s = schema(&spec, name);
        assert_eq!(keys(&s["properties"]), fields, "{name}");
        let required = strings(&s["required"]);
        assert!(required.is_subset(&fields), "{name}: {required:?}");
    }
    let detail = ApiErrorDetail {
        code: ErrorCode::InvalidParameter,
        message: "m".into(),
        parameter: Some("from".into()),
    };
    let body = schema(&spec, "ApiErrorBody");
    assert_eq!(
        keys(&body["properties"]),
        json_keys(&ApiErrorBody {
            error: detail.clone()
        })
    );
    assert_eq!(
        keys(&body["properties"]["error"]["properties"]),
        json_keys(&detail)
    );
}

/// Fields the schema does not require really are optional in the types: an object with
/// only the required fields parses.
#[test]
fn only_required_fields_are_required_by_the_types() {
    let spec = spec();
    let mut error = serde_json::to_value(full_error()).unwrap();
    let required = strings(&schema(&spec, "SyncError")["required"]);
    error
        .as_object_mut()
        .unwrap()
        .retain(|k, _| required.contains(k));
    serde_json::from_value::<SyncError>(error.clone()).expect("minimal SyncError parses");
    let mut page = serde_json::to_value(full_page()).unwrap();
    let required = strings(&schema(&spec, "ErrorPage")["required"]);
    page.as_object_mut()
        .unwrap()
        .retain(|k, _| required.contains(k));
    page["items"] = serde_json::Value::Array(vec![error]);
    serde_json::from_value::<ErrorPage>(page).expect("minimal ErrorPage parses");
}

fn full_answer() -> IngestAnswer {
    IngestAnswer {
        accepted: 998,
        unchanged: 1,
        rejected: vec![Rejected {
            index: 7,
            id: Some("e-7".into()),
            code: RejectCode::InvalidItem,
            field: Some("failed_at".into()),
            message: "m".into(),
        }],
    }
}

/// The ingest operation: its request and answer name exactly the fields of the types, its
/// limit is the crate's, its codes are the types', and only a bearer token may call it.
#[test]
fn ingestion_matches_the_types() {
    let spec = spec();
    let post = &spec["paths"][LIST_PATH]["post"];
    assert_eq!(post["operationId"].as_str(), Some("ingestSyncErrors"));
    assert_eq!(
        keys(&post["security"][0]),
        BTreeSet::from(["bearerToken".to_string()])
    );
    assert_eq!(
        keys(&post["responses"]),
        ["200", "400", "401", "403", "413", "5XX"]
            .map(String::from)
            .into()
    );
    let request = IngestRequest {
        current_sync_at: Some(parse_time("2026-11-28T08:00:00Z").unwrap()),
        items: vec![full_error()],
    };
    let answer = full_answer();
    for (name, fields) in [
        ("IngestRequest", json_keys(&request)),
        ("IngestAnswer", json_keys(&answer)),
        ("Rejected", json_keys(&answer.rejected[0])),
    ] {
        let s = schema(&spec, name);
        assert_eq!(keys(&s["properties"]), fields, "{name}");
        assert!(strings(&s["required"]).is_subset(&fields), "{name}");
    }
    // Only `items` is required of a request; `field` is the answer's only optional field.
    assert_eq!(
        strings(&schema(&spec, "IngestRequest")["required"]),
        BTreeSet::from(["items".to_string()])
    );
    let mut minimal = serde_json::to_value(&answer.rejected[0]).unwrap();
    minimal.as_object_mut().unwrap().remove("field");
    serde_json::from_value::<Rejected>(minimal).expect("a refusal without a field parses");
    assert_eq!(
        schema(&spec, "IngestRequest")["properties"]["items"]["maxItems"].as_u64(),
        Some(MAX_INGEST_ITEMS as u64)
    );
    let codes: BTreeSet<String> = RejectCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(strings(&schema(&spec, "RejectCode")["enum"]), codes);
    for code in RejectCode::ALL {
        assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
    }
    // The answer's codes of a refused request.
    for (code, word) in [
        (ErrorCode::IngestRequired, "ingest_required"),
        (ErrorCode::PayloadTooLarge, "payload_too_large"),
        (ErrorCode::InvalidBody, "invalid_body"),
    ] {
        assert_eq!(serde_json::to_value(&code).unwrap(), word);
        let description = spec["components"]["schemas"]["ApiErrorBody"]["properties"]["error"]
            ["properties"]["code"]["description"]
            .as_str()
            .unwrap();
        assert!(description.contains(word), "{word}");
    }
}
