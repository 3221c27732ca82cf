//! The sharded-audit recipes of docs/recipes/ (issue #15), read as YAML and
//! run: the GitHub Actions workflow (a 4-way matrix, then a merge job) and
//! the Kubernetes manifests (an Indexed Job and a merge Job, and the same
//! as CronJobs). Their `domlife` command lines are taken from the files as
//! they are and run by `sh`/`bash` on the README demo's captured answers
//! (only `--replay ... --as-of ... --no-store` are added to `check`,
//! through a shell function named `domlife`), shard by shard; the merged
//! report must be the report of one run of the list.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn load(path: &str) -> Vec<Yaml> {
    let text = std::fs::read_to_string(repo(path)).expect("the recipe exists");
    YamlLoader::load_from_str(&text).expect("the recipe is YAML")
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str()
        .unwrap_or_else(|| panic!("not a string: {yaml:?}"))
}

/// A shell prelude defining `domlife` as the built binary, with the flags
/// that make `check` read the demo's captures added.
fn prelude() -> String {
    let binary = assert_cmd::cargo::cargo_bin("domlife");
    let replay = repo("fixtures/replay");
    format!(
        "domlife() {{ if [ \"$1\" = check ]; then '{}' \"$@\" --replay '{}' --as-of 2025-06-01 --no-store; else '{}' \"$@\"; fi; }}\n",
        binary.display(),
        replay.display(),
        binary.display()
    )
}

/// Runs `script` with `shell` in `dir`; panics with its output on failure.
fn run(shell: &str, dir: &Path, script: &str, env: &[(&str, &str)]) {
    let output = Command::new(shell)
        .current_dir(dir)
        .env("DOMLIFE_CACHE_DIR", dir.join(".cache"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .args(["-e", "-c", &(prelude() + script)])
        .output()
        .expect("the shell runs");
    assert!(
        output.status.success(),
        "{script}\nexit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The demo list as the recipes' `domains.txt`: names only.
fn demo_list() -> String {
    let csv = std::fs::read_to_string(repo("examples/portfolio.csv")).expect("demo list");
    csv.lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The results of one unsharded run of `list` in `dir`.
fn one_run(dir: &Path, list: &str) -> Value {
    let binary = assert_cmd::cargo::cargo_bin("domlife");
    let output = Command::new(binary)
        .current_dir(dir)
        .env("DOMLIFE_CACHE_DIR", dir.join(".cache"))
        .args(["check", list, "--format", "json", "--fail-on", "never"])
        .arg("--replay")
        .arg(repo("fixtures/replay"))
        .args(["--as-of", "2025-06-01", "--no-store"])
        .output()
        .expect("domlife runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    report["results"].clone()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("the report is written"))
        .expect("a JSON report")
}

/// The `run:` scripts of a job's steps that call domlife.
fn domlife_steps(job: &Yaml) -> Vec<String> {
    job["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .filter_map(|step| step["run"].as_str())
        .filter(|script| script.contains("domlife ") && !script.contains("cargo install"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_github_matrix_audits_four_shards_and_the_merge_job_joins_them() {
    let workflow = &load("docs/recipes/github-sharded.yml")[0];
    let jobs = &workflow["jobs"];
    let audit = &jobs["audit"];
    let shards: Vec<i64> = audit["strategy"]["matrix"]["shard"]
        .as_vec()
        .expect("a shard matrix")
        .iter()
        .filter_map(Yaml::as_i64)
        .collect();
    assert_eq!(shards, [1, 2, 3, 4]);
    assert_eq!(text(&jobs["merge"]["needs"]), "audit");

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("domains.txt"), demo_list()).expect("list");
    let [audit_script] = domlife_steps(audit).try_into().expect("one audit step");
    assert!(audit_script.contains("--shard ${{ matrix.shard }}/4"));
    for shard in &shards {
        let script = audit_script.replace("${{ matrix.shard }}", &shard.to_string());
        run("bash", dir.path(), &script, &[]);
    }
    // actions/download-artifact with merge-multiple puts every shard's
    // report/ into shards/.
    let shards_dir = dir.path().join("shards");
    std::fs::create_dir(&shards_dir).expect("shards dir");
    for shard in &shards {
        let name = format!("shard-{shard}.json");
        std::fs::rename(
            dir.path().join("report").join(&name),
            shards_dir.join(&name),
        )
        .expect("the shard's report is there");
    }
    let [merge_script] = domlife_steps(&jobs["merge"])
        .try_into()
        .expect("one merge step");
    let summary = dir.path().join("summary.md");
    let summary_env = summary.to_string_lossy().into_owned();
    // The demo has error findings: the merge job fails as one run would,
    // after writing every report.
    let failed = Command::new("bash")
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary_env)
        .args(["-e", "-c", &(prelude() + &merge_script)])
        .output()
        .expect("bash runs");
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    let merged = read_json(&dir.path().join("report/domlife.json"));
    assert_eq!(merged["results"], one_run(dir.path(), "domains.txt"));
    let junit = std::fs::read_to_string(dir.path().join("report/junit.xml")).expect("junit");
    roxmltree::Document::parse(&junit).expect("well-formed JUnit");
    let summary = std::fs::read_to_string(&summary).expect("summary");
    assert!(summary.contains("## domlife audit"), "{summary}");
    let annotations = String::from_utf8_lossy(&failed.stdout);
    assert!(
        annotations.contains("::error file=domains.txt,line=5,"),
        "{annotations}"
    );
}

/// The container script of a pod template.
fn pod_script(template: &Yaml) -> String {
    let container = &template["spec"]["containers"][0];
    let command: Vec<&str> = container["command"]
        .as_vec()
        .expect("command")
        .iter()
        .map(text)
        .collect();
    assert_eq!(command, ["sh", "-c"]);
    text(&container["args"][0]).to_owned()
}

/// Runs an Indexed Job's pods and the merge's pod of a manifest, with its
/// /config and /reports in `root`.
fn run_indexed_then_merge(root: &Path, job_spec: &Yaml, merge_spec: &Yaml) -> PathBuf {
    assert_eq!(text(&job_spec["completionMode"]), "Indexed");
    let completions = job_spec["completions"].as_i64().expect("completions");
    assert_eq!(completions, 4);
    assert_eq!(job_spec["parallelism"].as_i64(), Some(4));
    let at_root = |script: String| {
        let root = root.to_string_lossy();
        script
            .replace("/config/", &format!("{root}/config/"))
            .replace("/reports", &format!("{root}/reports"))
    };
    let audit = at_root(pod_script(&job_spec["template"]));
    assert!(
        audit.contains("--shard $((JOB_COMPLETION_INDEX+1))/4"),
        "{audit}"
    );
    for index in 0..completions {
        run(
            "sh",
            root,
            &audit,
            &[("JOB_COMPLETION_INDEX", &index.to_string())],
        );
    }
    let merge = at_root(pod_script(&merge_spec["template"]));
    // Exit 1: the demo has error findings, as one run of it would say.
    let output = Command::new("sh")
        .current_dir(root)
        .args(["-e", "-c", &(prelude() + &merge)])
        .output()
        .expect("sh runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let day = chrono::Utc::now().format("%F").to_string();
    root.join("reports").join(day)
}

fn by_kind<'a>(documents: &'a [Yaml], kind: &str, name: &str) -> &'a Yaml {
    documents
        .iter()
        .find(|doc| {
            doc["kind"].as_str() == Some(kind) && doc["metadata"]["name"].as_str() == Some(name)
        })
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[test]
fn the_kubernetes_indexed_job_and_its_merge_join_into_one_report() {
    let documents = load("docs/recipes/kubernetes-sharded.yaml");
    let root = tempfile::tempdir().expect("temp dir");
    let config = by_kind(&documents, "ConfigMap", "domlife-list");
    assert!(config["data"]["domains.txt"].as_str().is_some());
    std::fs::create_dir_all(root.path().join("config")).expect("config dir");
    std::fs::write(root.path().join("config/domains.txt"), demo_list()).expect("list");

    let audit = by_kind(&documents, "Job", "domlife-audit");
    let merge = by_kind(&documents, "Job", "domlife-merge");
    let reports = run_indexed_then_merge(root.path(), &audit["spec"], &merge["spec"]);
    let merged = read_json(&reports.join("domlife.json"));
    let list = root.path().join("config/domains.txt");
    let one = one_run(root.path(), &list.to_string_lossy());
    assert_eq!(merged["results"], one);
    assert!(reports.join("junit.xml").is_file());
    assert!(reports.join("domlife.prom").is_file());
}

#[test]
fn the_kubernetes_cronjobs_run_the_same_pods_on_a_schedule() {
    let documents = load("docs/recipes/kubernetes-sharded.yaml");
    let audit = by_kind(&documents, "CronJob", "domlife-audit-daily");
    let merge = by_kind(&documents, "CronJob", "domlife-merge-daily");
    for cron in [audit, merge] {
        let schedule = text(&cron["spec"]["schedule"]);
        assert_eq!(schedule.split_whitespace().count(), 5, "{schedule}");
    }
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(root.path().join("config")).expect("config dir");
    std::fs::write(root.path().join("config/domains.txt"), demo_list()).expect("list");
    let reports = run_indexed_then_merge(
        root.path(),
        &audit["spec"]["jobTemplate"]["spec"],
        &merge["spec"]["jobTemplate"]["spec"],
    );
    let merged = read_json(&reports.join("domlife.json"));
    assert_eq!(merged["meta"]["counts"]["names"].as_u64(), Some(9));
    assert!(merged["meta"].get("shard").is_none());
}
