//! Resolution of the built-in policy table, case by case: which entries a
//! TLD and a registrar (as registries really print it) select, and the
//! release window that gives a name expiring on 2024-06-30. The expected
//! dates were computed by hand from the registry figures in
//! lifecycle-facts.md with the day count of src/lifecycle/timeline.rs
//! (released = D + grace + redemption + pending delete + 1).

use chrono::NaiveDate;
use domlife::lifecycle::{Expiry, Phase, PolicyTable, Timeline, Window};
use domlife::record::Registrar;
use rstest::rstest;

fn day(text: &str) -> NaiveDate {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn table() -> PolicyTable {
    PolicyTable::builtin().unwrap_or_else(|error| panic!("{error}"))
}

fn registrar(name: &str, iana_id: Option<&str>) -> Registrar {
    Registrar {
        name: (!name.is_empty()).then(|| name.to_owned()),
        iana_id: iana_id.map(str::to_owned),
    }
}

#[rstest]
#[case::gtld("com", None, &["gtld"], "2024-08-05", "2024-09-19")]
#[case::new_gtld("app", None, &["gtld"], "2024-08-05", "2024-09-19")]
#[case::cn("cn", None, &["cn"], "2024-08-14", "2024-08-20")]
#[case::uk("uk", None, &["uk"], "2024-09-30", "2024-10-03")]
#[case::de("de", None, &["de"], "2024-07-31", "2024-07-31")]
#[case::eu("eu", None, &["eu"], "2024-08-10", "2024-08-10")]
#[case::fr("fr", None, &["fr"], "2024-08-27", "2024-08-27")]
#[case::nl("nl", None, &["nl"], "2024-08-10", "2024-08-10")]
#[case::jp("jp", None, &["jp"], "2024-07-15", "2024-07-15")]
#[case::au("au", None, &["au"], "2024-08-01", "2024-08-01")]
#[case::ca("ca", None, &["ca"], "2024-08-03", "2024-09-24")]
#[case::io("io", None, &["io"], "2024-09-18", "2024-09-18")]
#[case::co("co", None, &["co"], "2024-08-19", "2024-08-19")]
#[case::us("us", None, &["us"], "2024-09-03", "2024-09-03")]
#[case::ru("ru", None, &["ru"], "2024-07-31", "2024-07-31")]
#[case::se("se", None, &["se"], "2024-10-22", "2024-10-22")]
#[case::br("br", None, &["br"], "2024-09-29", "2025-01-29")]
#[case::unknown_cctld("zz", None, &["cctld-unknown"], "2024-07-01", "2024-11-18")]
#[case::idn_cctld_of_cnnic("xn--fiqs8s", None, &["cn"], "2024-08-14", "2024-08-20")]
#[case::idn_cctld_of_ru("xn--p1ai", None, &["ru"], "2024-07-31", "2024-07-31")]
#[case::idn_cctld_unlisted("xn--j1amh", None, &["cctld-unknown"], "2024-07-01", "2024-11-18")]
#[case::godaddy_by_name("com", Some(("GoDaddy.com, LLC", None)), &["gtld", "godaddy"], "2024-09-16", "2024-09-16")]
#[case::godaddy_by_id("net", Some(("", Some("146"))), &["gtld", "godaddy"], "2024-09-16", "2024-09-16")]
#[case::namecheap("com", Some(("NameCheap, Inc.", Some("1068"))), &["gtld", "namecheap"], "2024-09-04", "2024-09-18")]
#[case::aliyun_gtld("com", Some(("Alibaba Cloud Computing (Beijing) Co., Ltd.", Some("420"))), &["gtld", "aliyun"], "2024-09-04", "2024-09-04")]
#[case::hichina_cn("cn", Some(("Alibaba Cloud Computing Ltd. d/b/a HiChina (www.net.cn)", None)), &["cn", "aliyun-cn"], "2024-08-14", "2024-08-15")]
#[case::wanwang_cn("cn", Some(("阿里云计算有限公司（万网）", None)), &["cn", "aliyun-cn"], "2024-08-14", "2024-08-15")]
#[case::xinnet_cn("cn", Some(("北京新网数码信息技术有限公司", None)), &["cn", "xinnet-cn"], "2024-08-19", "2024-08-20")]
#[case::xinnet_gtld("com", Some(("Xin Net Technology Corporation", Some("120"))), &["gtld", "xinnet"], "2024-09-04", "2024-09-04")]
#[case::dnspod("com", Some(("DNSPod, Inc.", None)), &["gtld", "tencent"], "2024-09-02", "2024-09-02")]
#[case::tencent_cn("cn", Some(("Tencent Cloud Computing (Beijing) Limited Liability Company", None)), &["cn", "tencent"], "2024-08-12", "2024-08-13")]
#[case::route53("com", Some(("Amazon Registrar, Inc.", Some("468"))), &["gtld", "route53"], "2024-09-18", "2024-09-18")]
#[case::not_the_registrar("com", Some(("Amazon Technologies, Inc.", None)), &["gtld"], "2024-08-05", "2024-09-19")]
#[case::gtld_registrar_on_a_cctld("de", Some(("GoDaddy.com, LLC", Some("146"))), &["de"], "2024-07-31", "2024-07-31")]
#[case::unlisted_registrar("com", Some(("Example Registrar, Inc.", Some("9999"))), &["gtld"], "2024-08-05", "2024-09-19")]
fn policies_resolve_to_the_expected_entries_and_release(
    #[case] tld: &str,
    #[case] registrar_seen: Option<(&str, Option<&str>)>,
    #[case] entries: &[&str],
    #[case] earliest: &str,
    #[case] latest: &str,
) {
    let registrar = registrar_seen.map(|(name, id)| registrar(name, id));
    let policy = table().resolve(tld, registrar.as_ref());
    assert_eq!(policy.entries, entries);
    let timeline = Timeline::for_policy(Expiry::Day(day("2024-06-30")), &policy);
    let release = timeline.map(|timeline| timeline.release());
    assert_eq!(
        release,
        Ok(Window {
            earliest: day(earliest),
            latest: day(latest),
        })
    );
}

#[rstest]
#[case::gtld("com", &[Phase::Active, Phase::Grace, Phase::Redemption, Phase::PendingDelete, Phase::Released])]
#[case::cn_has_no_pending_delete("cn", &[Phase::Active, Phase::Grace, Phase::Redemption, Phase::Released])]
#[case::uk_has_no_redemption("uk", &[Phase::Active, Phase::Grace, Phase::PendingDelete, Phase::Released])]
#[case::eu_has_no_grace("eu", &[Phase::Active, Phase::Redemption, Phase::Released])]
#[case::de_only_redemption("de", &[Phase::Active, Phase::Redemption, Phase::Released])]
#[case::ru_only_grace("ru", &[Phase::Active, Phase::Grace, Phase::Released])]
#[case::ca_full("ca", &[Phase::Active, Phase::Grace, Phase::Redemption, Phase::PendingDelete, Phase::Released])]
fn zero_length_stages_are_skipped(#[case] tld: &str, #[case] phases: &[Phase]) {
    let policy = table().resolve(tld, None);
    let timeline = Timeline::for_policy(Expiry::Day(day("2024-06-30")), &policy);
    let listed: Option<Vec<Phase>> = timeline
        .ok()
        .map(|timeline| timeline.phases().iter().map(|span| span.phase).collect());
    assert_eq!(listed.as_deref(), Some(phases));
}

#[test]
fn every_figure_names_its_source_and_entry() {
    let policy = table().resolve("cn", Some(&registrar("北京新网数码信息技术有限公司", None)));
    assert_eq!(policy.grace.entry, "xinnet-cn");
    assert!(policy.grace.figure.source.contains("Xinnet"));
    assert_eq!(policy.redemption.entry, "cn");
    assert!(policy.redemption.figure.source.contains("CNNIC"));
    assert_eq!(policy.time_zone.figure.value.to_string(), "+08:00");
    assert!(
        policy
            .explanations
            .iter()
            .any(|text| text.text.contains("no 5-day pending-delete"))
    );
    assert!(
        policy
            .notes
            .iter()
            .any(|text| text.entry == "cn" && text.text.contains("15"))
    );
}

#[test]
fn an_iana_id_beats_a_name_of_another_registrar() {
    // The ID says Namecheap even though the name mentions GoDaddy.
    let policy = table().resolve("com", Some(&registrar("Reseller of GoDaddy", Some("1068"))));
    assert_eq!(policy.entries, ["gtld", "namecheap"]);
}

#[test]
fn the_cn_example_from_the_registry_is_inside_the_window() {
    // Expiry 2015-03-19, open again 2015-05-08 (lifecycle-facts.md).
    let policy = table().resolve("cn", None);
    let timeline = Timeline::for_policy(Expiry::Day(day("2015-03-19")), &policy);
    let released = timeline.map(|timeline| timeline.release().contains(day("2015-05-08")));
    assert_eq!(released, Ok(true));
}
