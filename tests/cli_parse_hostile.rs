//! `domlife parse` over hostile files (issue #13): whatever a file holds
//! (nothing, half an answer, invalid UTF-8, binary, NULs, deep nesting, far
//! more than any answer), the status is 0 or 1 with a message, never a
//! crash; 2 is kept for a file that cannot be opened or read.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// Bytes from a fixed xorshift sequence: binary garbage, the same each run.
fn garbage(length: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// The hostile files, by name.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let rdap = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rdap/whoisit-recorded__verisign_google.com.json"),
    )
    .expect("an RDAP fixture");
    let mut invalid_utf8 = rdap.clone();
    invalid_utf8.splice(40..40, [0xff, 0xfe, 0xc0, 0x80]);
    let mut with_nuls = rdap.clone();
    with_nuls.splice(60..60, [0, 0, 0]);
    vec![
        ("empty", Vec::new()),
        ("truncated", rdap[..rdap.len() / 2].to_vec()),
        ("invalid-utf8", invalid_utf8),
        ("nuls", with_nuls),
        ("binary", garbage(64 * 1024)),
        ("only-nuls", vec![0; 4096]),
        (
            "utf16",
            "\u{feff}{\"ldhName\": \"google.com\"}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
        ),
        ("wrong-type", b"[1, 2, \"domain\"]".to_vec()),
        ("a-number", b"42".to_vec()),
        ("deep", "[".repeat(200_000).into_bytes()),
        (
            "huge-string",
            format!("{{\"ldhName\": \"{}\"}}", "a".repeat(8 << 20)).into_bytes(),
        ),
        (
            "huge-lines",
            "Domain Name: example.com\r\n".repeat(400_000).into_bytes(),
        ),
        ("one-long-line", vec![b'x'; 3 << 20]),
    ]
}

fn parse(kind: &str, file: &Path) -> Output {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command.args(["parse", kind, "--compact"]);
    if kind == "whois" {
        command.args(["--domain", "example.com"]);
    }
    command.arg(file).output().expect("parse runs")
}

fn write_all(dir: &TempDir) -> Vec<(&'static str, PathBuf)> {
    hostile_files()
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("writes the file");
            (name, path)
        })
        .collect()
}

/// Issue #13: every hostile file gives 0 or 1 to both readers, with no
/// panic, and 1 comes with a message naming the file.
#[test]
fn any_content_is_read_or_refused_never_a_crash() {
    let dir = TempDir::new().expect("temp dir");
    for (name, path) in write_all(&dir) {
        for kind in ["rdap", "whois"] {
            let output = parse(kind, &path);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "parse {kind} {name}: status {code:?}\n{stderr}"
            );
            assert!(
                !stderr.contains("panicked"),
                "parse {kind} {name}: {stderr}"
            );
            // Files beyond the lookups' size caps (4 MiB RDAP, 1 MiB WHOIS)
            // are refused unread, as those answers would be.
            let beyond_cap = std::fs::metadata(&path).map_or(0, |meta| meta.len())
                > if kind == "rdap" { 4 << 20 } else { 1 << 20 };
            assert_eq!(
                stderr.contains("larger than any"),
                beyond_cap,
                "parse {kind} {name}: {stderr}"
            );
            if code == Some(1) {
                assert!(stderr.contains(name), "parse {kind} {name}: {stderr}");
            } else {
                let json: serde_json::Value = serde_json::from_slice(&output.stdout)
                    .unwrap_or_else(|error| panic!("parse {kind} {name}: {error}"));
                assert!(json.is_object(), "parse {kind} {name}: {json}");
            }
        }
    }
}

/// Issue #13: status 2 is for files that cannot be read: missing, or a
/// directory.
#[test]
fn a_file_that_cannot_be_read_is_status_2() {
    let dir = TempDir::new().expect("temp dir");
    for path in [dir.path().join("missing.json"), dir.path().to_path_buf()] {
        for kind in ["rdap", "whois"] {
            let output = parse(kind, &path);
            assert_eq!(
                output.status.code(),
                Some(2),
                "parse {kind} {}",
                path.display()
            );
        }
    }
}
