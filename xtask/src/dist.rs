//! `cargo xtask dist`: trunk's release build into dist/ for static hosting, plus
//! dist/pgtls.html, the whole page in one file (wasm as base64, JS glue and CSS inlined) that
//! works when opened from disk with the network off, for air-gapped audits.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::Digest as _;

use crate::process::Cmd;
use crate::setup::{self, Needs};
use crate::Result;

pub const SINGLE_FILE: &str = "pgtls.html";
/// Issue budget for the page's transfer (wasm + js + css, gzip): 350 KB, read strictly as
/// 1,000-byte kilobytes (341.8 KiB).
pub const TRANSFER_BUDGET: u64 = 350_000;

pub struct Built {
    pub single_file: PathBuf,
    /// gzip -9 size of wasm + js + css in dist/.
    pub transfer_gzip: u64,
    pub files: Vec<FileSize>,
}

/// A file in dist/: its name, bytes and gzip -9 bytes.
pub type FileSize = (String, u64, u64);

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask dist` takes no arguments (got `{unknown}`)"
        ));
    }
    setup::ensure(root, Needs::Page)?;
    let built = build(root)?;
    println!(
        "\ndist/ is ready for static hosting; {} opens from disk",
        built.single_file.display()
    );
    Ok(())
}

/// trunk build --release, then the single file, then the size report.
pub fn build(root: &Path) -> Result<Built> {
    let dist = root.join("dist");
    Cmd::new("trunk")
        .args(["build", "--release", "--offline"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .dir(root)
        .run()?;
    let html = read_text(&dist.join("index.html"))?;
    let single = single_file(&dist, &html)?;
    let single_path = dist.join(SINGLE_FILE);
    std::fs::write(&single_path, &single)
        .map_err(|e| format!("cannot write {}: {e}", single_path.display()))?;
    let (files, transfer_gzip) = report_sizes(&dist)?;
    Ok(Built {
        single_file: single_path,
        transfer_gzip,
        files,
    })
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Rewrites trunk's index.html into one self-contained document.
pub fn single_file(dist: &Path, html: &str) -> Result<String> {
    let mut out = html.to_string();
    let mut style_hashes = Vec::new();

    // trunk's loader: `import init, * as bindings from '/x.js'; await init({ module_or_path: '/x_bg.wasm' })`.
    let loader = find_element(&out, "script", |tag, body| {
        tag.contains("type=\"module\"") && body.contains("module_or_path")
    })
    .ok_or(
        "dist/index.html has no trunk loader script (`module_or_path`): did trunk's output change?",
    )?;
    let loader_body = out[loader.clone()].to_string();
    let glue_href = quoted_after(&loader_body, " from ").ok_or("trunk loader names no JS glue")?;
    let wasm_href =
        quoted_after(&loader_body, "module_or_path:").ok_or("trunk loader names no wasm")?;
    out.replace_range(loader, "");

    let glue = read_text(&local_file(dist, &glue_href))?;
    if glue.lines().any(|l| l.trim_start().starts_with("import ")) {
        return Err(format!(
            "{glue_href} imports other modules (wasm-bindgen snippets); the single-file build does not inline those yet"
        ));
    }
    let init =
        default_export(&glue).ok_or("the JS glue has no default export (its init function)")?;
    let wasm = read_bytes(&local_file(dist, &wasm_href))?;
    let wasm_b64 = base64::engine::general_purpose::STANDARD.encode(&wasm);
    let script = format!(
        "{glue}\n\
         // The wasm, inlined so that the page needs no second file.\n\
         const pgtlsWasmBase64 = \"{wasm_b64}\";\n\
         const pgtlsWasmBytes = typeof Uint8Array.fromBase64 === 'function'\n\
         \x20 ? Uint8Array.fromBase64(pgtlsWasmBase64)\n\
         \x20 : Uint8Array.from(atob(pgtlsWasmBase64), (c) => c.charCodeAt(0));\n\
         const pgtlsWasm = await {init}({{ module_or_path: pgtlsWasmBytes }});\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{ detail: {{ wasm: pgtlsWasm }} }}));\n"
    );

    // Preloads of the glue and wasm are not needed any more.
    while let Some(range) = find_tag(&out, "link", |tag| {
        tag.contains("rel=\"modulepreload\"") || tag.contains("rel=\"preload\"")
    }) {
        out.replace_range(range, "");
    }
    // Stylesheets inline; icons and other linked files as data: URLs.
    while let Some(range) = find_tag(&out, "link", |tag| tag.contains("rel=\"stylesheet\"")) {
        let tag = out[range.clone()].to_string();
        let href =
            attr(&tag, "href").ok_or_else(|| format!("stylesheet link without href: {tag}"))?;
        let css = read_text(&local_file(dist, &href))?;
        if css.to_ascii_lowercase().contains("</style") {
            return Err(format!(
                "{href} contains `</style`, which cannot be inlined as is"
            ));
        }
        style_hashes.push(csp_hash(&css));
        out.replace_range(range, &format!("<style>{css}</style>"));
    }
    let mut from = 0;
    while let Some(range) = find_tag(&out[from..], "link", |tag| {
        attr(tag, "href").is_some_and(|h| is_local(&h))
    }) {
        let range = range.start + from..range.end + from;
        let tag = out[range.clone()].to_string();
        let href = attr(&tag, "href").expect("matched on href");
        let data = data_url(&read_bytes(&local_file(dist, &href))?, &href);
        let rewritten = tag.replacen(&format!("href=\"{href}\""), &format!("href=\"{data}\""), 1);
        out.replace_range(range.clone(), &rewritten);
        from = range.start + rewritten.len();
    }

    // Inline text ends at the first `</script` or `</style`, so it must not hold one.
    if script.to_ascii_lowercase().contains("</script") {
        return Err(format!(
            "{glue_href} contains `</script`, which cannot be inlined as is"
        ));
    }
    // The hash covers the element's whole text, leading newline included.
    let script = format!("\n{script}");
    let script_hash = csp_hash(&script);
    let body_end = out
        .rfind("</body>")
        .ok_or("dist/index.html has no </body>")?;
    out.insert_str(
        body_end,
        &format!("<script type=\"module\">{script}</script>\n"),
    );
    out = rewrite_csp(&out, &script_hash, &style_hashes);

    if let Some(left) = local_reference(&out) {
        return Err(format!(
            "the single file still refers to `{left}` next to it; inline it in xtask/src/dist.rs"
        ));
    }
    Ok(out)
}

/// Byte range of the first `<name ...>...</name>` element whose opening tag and body satisfy
/// `pick`, opening tag included.
fn find_element(
    html: &str,
    name: &str,
    pick: impl Fn(&str, &str) -> bool,
) -> Option<std::ops::Range<usize>> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut at = 0;
    while let Some(start) = html[at..].find(&open).map(|i| i + at) {
        let tag_end = html[start..].find('>')? + start + 1;
        let end = html[tag_end..].find(&close)? + tag_end;
        if pick(&html[start..tag_end], &html[tag_end..end]) {
            return Some(start..end + close.len());
        }
        at = end + close.len();
    }
    None
}

/// Byte range of the first void tag `<name ...>` that satisfies `pick`.
fn find_tag(html: &str, name: &str, pick: impl Fn(&str) -> bool) -> Option<std::ops::Range<usize>> {
    let open = format!("<{name} ");
    let mut at = 0;
    while let Some(start) = html[at..].find(&open).map(|i| i + at) {
        let end = html[start..].find('>')? + start + 1;
        if pick(&html[start..end]) {
            return Some(start..end);
        }
        at = end;
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// The first '...' or "..." string after `marker`.
fn quoted_after(text: &str, marker: &str) -> Option<String> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let quote_at = rest.find(['\'', '"'])?;
    let quote = rest[quote_at..].chars().next()?;
    let body = &rest[quote_at + 1..];
    Some(body[..body.find(quote)?].to_string())
}

/// The local name exported as default: `export { initSync, __wbg_init as default };`.
fn default_export(glue: &str) -> Option<String> {
    glue.lines()
        .filter(|l| l.trim_start().starts_with("export {"))
        .find_map(|l| {
            let inside = l.split_once('{')?.1.split_once('}')?.0;
            inside.split(',').find_map(|item| {
                item.trim()
                    .strip_suffix(" as default")
                    .map(|n| n.trim().to_string())
            })
        })
}

fn is_local(href: &str) -> bool {
    !(href.starts_with("data:")
        || href.contains("://")
        || href.starts_with("//")
        || href.starts_with('#'))
}

fn local_file(dist: &Path, href: &str) -> PathBuf {
    dist.join(href.trim_start_matches("./").trim_start_matches('/'))
}

/// A `src="..."` or `href="..."` that still points at a file beside the page.
fn local_reference(html: &str) -> Option<String> {
    for key in [" src=\"", " href=\""] {
        let mut at = 0;
        while let Some(i) = html[at..].find(key) {
            let start = at + i + key.len();
            let end = start + html[start..].find('"')?;
            let value = &html[start..end];
            if is_local(value) {
                return Some(value.to_string());
            }
            at = end;
        }
    }
    None
}

fn data_url(bytes: &[u8], name: &str) -> String {
    let mime = match name.rsplit('.').next().unwrap_or("") {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "webmanifest" => "application/manifest+json",
        "css" => "text/css",
        _ => "application/octet-stream",
    };
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The CSP source expression allowing exactly this inline script or style.
fn csp_hash(content: &str) -> String {
    let digest = sha2::Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy allows scripts and styles from 'self' only; inline in
/// one file they are allowed by hash instead, and everything else stays as strict.
fn rewrite_csp(html: &str, script_hash: &str, style_hashes: &[String]) -> String {
    let Some(range) = find_tag(html, "meta", |tag| {
        tag.to_ascii_lowercase().contains("content-security-policy")
    }) else {
        return html.to_string();
    };
    let tag = &html[range.clone()];
    let Some(policy) = attr(tag, "content") else {
        return html.to_string();
    };
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            Some((words.next()?, words.collect()))
        })
        .collect();
    let default: Vec<String> = directives
        .iter()
        .find(|(n, _)| n == "default-src")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut add = |name: &str, extra: Vec<String>| {
        if extra.is_empty() {
            return;
        }
        match directives.iter_mut().find(|(n, _)| n == name) {
            Some((_, sources)) => {
                sources.retain(|s| s != "'none'");
                sources.extend(extra);
            }
            None => {
                let mut sources: Vec<String> =
                    default.iter().filter(|s| *s != "'none'").cloned().collect();
                sources.extend(extra);
                directives.push((name.to_string(), sources));
            }
        }
    };
    add(
        "script-src",
        vec![script_hash.to_string(), "'wasm-unsafe-eval'".to_string()],
    );
    add("style-src", style_hashes.to_vec());
    let policy_out = directives
        .iter()
        .map(|(n, v)| {
            let mut seen = std::collections::HashSet::new();
            let v: Vec<&String> = v.iter().filter(|s| seen.insert(*s)).collect();
            std::iter::once(n)
                .chain(v)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("; ");
    let new_tag = tag.replacen(
        &format!("content=\"{policy}\""),
        &format!("content=\"{policy_out}\""),
        1,
    );
    let mut out = html.to_string();
    out.replace_range(range, &new_tag);
    out
}

/// Prints each file's raw and gzip size; returns them and the gzip total of wasm + js + css.
fn report_sizes(dist: &Path) -> Result<(Vec<FileSize>, u64)> {
    let mut files = Vec::new();
    collect_files(dist, &mut files);
    files.sort();
    println!("\n{:<48} {:>10} {:>10}", "dist/", "bytes", "gzip -9");
    let mut transfer = 0;
    let mut sizes = Vec::new();
    for path in &files {
        let raw = path.metadata().map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(path)?;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        println!("{name:<48} {raw:>10} {gz:>10}");
        sizes.push((name, raw, gz));
        let counted = path.file_name().is_some_and(|n| n != SINGLE_FILE)
            && path
                .extension()
                .is_some_and(|x| x == "wasm" || x == "js" || x == "css");
        if counted {
            transfer += gz;
        }
    }
    let verdict = if transfer <= TRANSFER_BUDGET {
        "within"
    } else {
        "OVER"
    };
    println!(
        "page transfer (wasm + js + css, gzip -9): {transfer} bytes = {}, {verdict} the 350 KB ({}) budget",
        kib(transfer),
        kib(TRANSFER_BUDGET)
    );
    Ok((sizes, transfer))
}

pub fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Compressed with the gzip program (Debian always has it) rather than a crate, to keep xtask
/// small; -9 -n is what a static host precompressing its files would do.
fn gzip_size(path: &Path) -> Result<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_default_export() {
        assert_eq!(
            default_export("x\nexport { initSync, __wbg_init as default };\n").as_deref(),
            Some("__wbg_init")
        );
        assert_eq!(default_export("export { a };"), None);
    }

    #[test]
    fn reads_quoted_paths() {
        let loader = "import init, * as bindings from '/a.js';\nconst wasm = await init({ module_or_path: '/a_bg.wasm' });";
        assert_eq!(quoted_after(loader, " from ").as_deref(), Some("/a.js"));
        assert_eq!(
            quoted_after(loader, "module_or_path:").as_deref(),
            Some("/a_bg.wasm")
        );
    }

    #[test]
    fn allows_inline_code_by_hash_in_the_policy() {
        let html = "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src http://127.0.0.1:8787\"></head>";
        let out = rewrite_csp(html, "'sha256-AAA'", &["'sha256-BBB'".to_string()]);
        assert!(
            out.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-AAA';"),
            "{out}"
        );
        assert!(out.contains("style-src 'sha256-BBB'"), "{out}");
        assert!(out.contains("connect-src http://127.0.0.1:8787"), "{out}");
        assert!(out.contains("default-src 'none'"), "{out}");
    }

    #[test]
    fn sees_local_references() {
        assert_eq!(
            local_reference("<img src=\"/a.png\">").as_deref(),
            Some("/a.png")
        );
        assert_eq!(
            local_reference("<a href=\"#x\"></a><img src=\"data:image/png;base64,AA\">"),
            None
        );
    }

    #[test]
    fn inlines_trunk_output() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.js"), "export function f() {}\nasync function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n").unwrap();
        std::fs::write(dir.join("a_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("s.css"), "body { color: red }").unwrap();
        let html = "<html><head><script type=\"module\">\nimport init, * as bindings from '/a.js';\nconst wasm = await init({ module_or_path: '/a_bg.wasm' });\n</script><link rel=\"modulepreload\" href=\"/a.js\"><link rel=\"stylesheet\" href=\"/s.css\" integrity=\"x\"></head><body></body></html>";
        let out = single_file(&dir, html).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(out.contains("<style>body { color: red }</style>"), "{out}");
        assert!(out.contains("AGFzbQEAAAA="), "{out}");
        assert!(
            out.contains("await __wbg_init({ module_or_path: pgtlsWasmBytes })"),
            "{out}"
        );
        assert!(!out.contains("modulepreload"), "{out}");
        assert_eq!(local_reference(&out), None);
    }
}
