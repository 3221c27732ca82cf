//! RDAP base URLs as the bootstrap file and `--rdap-server` give them: one
//! reading, shared by the bootstrap table and the overrides, in a leaf
//! both import.

use url::Url;

/// Parses an RDAP base URL: http(s) with a host, normalised to end in `/`
/// so that relative joining keeps its last path segment.
pub(super) fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text.trim()).map_err(|error| error.to_string())?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!("scheme {:?} is not http(s)", url.scheme()));
    }
    if url.host().is_none() {
        return Err("no host".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}
