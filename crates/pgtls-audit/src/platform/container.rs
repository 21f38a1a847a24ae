//! The official `postgres` container image, from compose files and `docker run` lines.
//!
//! The image's entrypoint runs initdb (trust for local and loopback lines unless
//! POSTGRES_INITDB_ARGS says otherwise) and then appends `host all all all METHOD`, where METHOD
//! is POSTGRES_HOST_AUTH_METHOD or else the password_encryption default (md5 before 14,
//! scram-sha-256 from 14). It never turns SSL on. A compose file with no TLS settings is judged
//! for that pg_hba.conf.

use super::yaml::{Node, Value};
use super::{conf_line, ContainerFacts, Derived, Expansion, Located};
use crate::detect::InputKind;
use crate::source::{FileId, Location, SourceFile, Span};

/// What the container's configuration says, before judging.
struct Service {
    name: String,
    location: Location,
    image: Option<(String, Span)>,
    env: Vec<(String, String, Span)>,
    /// `-c name=value` flags of the command, with their spans.
    flags: Vec<(String, String, Span)>,
    mounts: Vec<String>,
}

fn is_postgres_image(image: &str) -> bool {
    let without_tag = image.split('@').next().unwrap_or(image);
    let last = without_tag.rsplit('/').next().unwrap_or(without_tag);
    last.split(':').next() == Some("postgres")
}

/// The image tag's major version (`postgres:16-alpine` → 16).
fn image_major(image: &str) -> Option<u32> {
    let tag = image.rsplit_once(':').map(|(_, t)| t)?;
    tag.split(['.', '-']).next()?.parse().ok()
}

fn judge(id: FileId, file: &SourceFile, svc: Service, out: &mut Expansion) {
    let Some((image, image_span)) = svc.image.clone() else { return };
    if !is_postgres_image(&image) {
        return;
    }
    let env = |key: &str| svc.env.iter().find(|(k, _, _)| k == key);
    let flag = |key: &str| svc.flags.iter().rev().find(|(k, _, _)| k == key);
    let major = image_major(&image);
    let password_encryption = flag("password_encryption").map(|(_, v, _)| v.clone());
    let default_method = match (password_encryption.as_deref(), major) {
        (Some("md5"), _) => "md5",
        (Some(_), _) => "scram-sha-256",
        (None, Some(v)) if v < 14 => "md5",
        _ => "scram-sha-256",
    };
    let auth = env("POSTGRES_HOST_AUTH_METHOD");
    let effective_method = auth.map_or(default_method.to_string(), |(_, v, _)| v.clone());
    let mounts_own_hba = svc.mounts.iter().any(|m| m.contains("pg_hba.conf")) || flag("hba_file").is_some();
    let configures_tls = flag("ssl").is_some_and(|(_, v, _)| crate::conf::parse_bool(v) == Some(true));

    let mut conf = Derived::new(file, id, &format!("{} settings", svc.name), InputKind::PostgresqlConf);
    conf.line("# the official postgres image: ssl is off unless -c ssl=on", Span::at(svc.location.span.start));
    for (k, v, span) in &svc.flags {
        conf.line(&conf_line(k, v), *span);
    }
    // The image writes none of these; a missing ssl line is the image's default, off.
    out.derived.push(conf.finish());

    if !mounts_own_hba {
        let initdb_args = env("POSTGRES_INITDB_ARGS").map(|(_, v, _)| v.as_str()).unwrap_or("");
        let auth_of = |opt: &str| {
            initdb_args
                .split_whitespace()
                .find_map(|a| a.strip_prefix(opt).map(|s| s.trim_start_matches('=').to_string()))
        };
        let local = auth_of("--auth-local").or_else(|| auth_of("--auth")).unwrap_or_else(|| "trust".into());
        let host = auth_of("--auth-host").or_else(|| auth_of("--auth")).unwrap_or_else(|| "trust".into());
        let mut hba = Derived::new(file, id, &format!("{} pg_hba.conf", svc.name), InputKind::PgHba);
        for line in [
            format!("local all all {local}"),
            format!("host all all 127.0.0.1/32 {host}"),
            format!("host all all ::1/128 {host}"),
            format!("local replication all {local}"),
            format!("host replication all 127.0.0.1/32 {host}"),
            format!("host replication all ::1/128 {host}"),
        ] {
            hba.line(&line, image_span);
        }
        let last_span = auth.map_or(image_span, |(_, _, s)| *s);
        hba.line(&format!("host all all all {effective_method}"), last_span);
        out.derived.push(hba.finish());
    }
    out.model.containers.push(ContainerFacts {
        location: svc.location,
        name: svc.name,
        host_auth_method: auth.map(|(_, v, s)| Located::new(v.clone(), id, *s)),
        effective_method,
        configures_tls,
        mounts_own_hba,
    });
}

/// Splits `-c name=value` flags out of a command's words.
fn command_flags(words: &[(String, Span)]) -> Vec<(String, String, Span)> {
    let mut flags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (w, span) = &words[i];
        let setting = if w == "-c" {
            i += 1;
            words.get(i).map(|(v, s)| (v.clone(), span.cover(*s)))
        } else if let Some(rest) = w.strip_prefix("--").filter(|r| r.contains('=')) {
            Some((rest.to_string(), *span))
        } else {
            w.strip_prefix("-c").filter(|r| r.contains('=')).map(|r| (r.to_string(), *span))
        };
        if let Some((kv, s)) = setting {
            if let Some((k, v)) = kv.split_once('=') {
                flags.push((k.replace('-', "_").to_ascii_lowercase(), v.to_string(), s));
            }
        }
        i += 1;
    }
    flags
}

fn scalar_words(node: &Node) -> Vec<(String, Span)> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| Some((n.as_str()?.to_string(), n.span))).collect(),
        Value::Scalar(s) => shell_words(s).into_iter().map(|(w, _)| (w, node.span)).collect(),
        _ => Vec::new(),
    }
}

pub(super) fn read_compose(id: FileId, file: &SourceFile, doc: &Node, out: &mut Expansion) -> bool {
    let Some(services) = doc.get("services") else { return false };
    let mut any = false;
    for (key, svc) in services.entries() {
        let name = key.as_str().unwrap_or("service").to_string();
        let image = svc.get("image").and_then(|n| Some((n.as_str()?.to_string(), n.span)));
        let mut env = Vec::new();
        if let Some(e) = svc.get("environment") {
            match &e.value {
                Value::Seq(items) => {
                    for item in items {
                        if let Some((k, v)) = item.as_str().and_then(|s| s.split_once('=')) {
                            env.push((k.to_string(), v.to_string(), item.span));
                        }
                    }
                }
                Value::Map(entries) => {
                    for (k, v) in entries {
                        if let (Some(k), Some(val)) = (k.as_str(), v.as_str()) {
                            env.push((k.to_string(), val.to_string(), k_span(k, v)));
                        }
                    }
                }
                _ => {}
            }
        }
        let flags = svc.get("command").map(|c| command_flags(&scalar_words(c))).unwrap_or_default();
        let mounts = svc
            .get("volumes")
            .map(|v| v.items().iter().filter_map(|n| n.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        any = true;
        judge(
            id,
            file,
            Service { name, location: Location::new(id, key.span.cover(svc.span)), image, env, flags, mounts },
            out,
        );
    }
    any
}

fn k_span(_key: &str, value: &Node) -> Span {
    value.span
}

/// Shell-like words with their byte offsets: blanks separate, quotes group, `\` escapes.
fn shell_words(text: &str) -> Vec<(String, Span)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push((std::mem::take(&mut current), Span::new(s, i)));
                }
            }
            (None, '\'' | '"') => {
                start.get_or_insert(i);
                quote = Some(c);
            }
            (Some(q), c) if c == q => quote = None,
            (q, '\\') if q != Some('\'') => match chars.next() {
                // A line continuation joins words; it does not start one.
                Some((_, '\n')) => {}
                Some((_, next)) => {
                    start.get_or_insert(i);
                    current.push(next);
                }
                None => {}
            },
            (_, c) => {
                start.get_or_insert(i);
                current.push(c);
            }
        }
    }
    if let Some(s) = start {
        words.push((current, Span::new(s, text.len())));
    }
    words
}

/// The `docker run` (or `podman run`) commands of a text, each with its span (continuation
/// lines joined), or None when there are none.
pub(super) fn docker_run_lines(text: &str) -> Option<Vec<Span>> {
    let mut spans = Vec::new();
    let mut offset = 0;
    let mut pending: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let start = pending.unwrap_or(offset + (body.len() - trimmed.len()));
        let is_run = pending.is_some()
            || trimmed.starts_with("docker run ")
            || trimmed.starts_with("podman run ")
            || trimmed.starts_with("$ docker run ");
        if is_run {
            if body.ends_with('\\') {
                pending = Some(start);
            } else {
                spans.push(Span::new(start, offset + body.len()));
                pending = None;
            }
        }
        offset += line.len();
    }
    if let Some(s) = pending {
        spans.push(Span::new(s, text.len()));
    }
    (!spans.is_empty()).then_some(spans)
}

/// Options of `docker run` that take a value as the next word.
const VALUE_OPTIONS: &[&str] = &[
    "-e", "--env", "-v", "--volume", "-p", "--publish", "--name", "--network", "--net", "--mount", "-u", "--user",
    "-w", "--workdir", "--env-file", "--entrypoint", "-h", "--hostname", "-l", "--label", "--restart", "-m",
    "--memory", "--cpus", "--shm-size", "--health-cmd", "--platform", "--ip", "--log-driver", "--log-opt",
    "--add-host", "--dns", "--expose", "--tmpfs", "--ulimit", "--pull", "--stop-signal", "--cap-add", "--cap-drop",
];

pub(super) fn read_docker_runs(id: FileId, file: &SourceFile, runs: &[Span], out: &mut Expansion) {
    for (n, span) in runs.iter().enumerate() {
        let text = &file.text[span.start..span.end];
        let words: Vec<(String, Span)> =
            shell_words(text).into_iter().map(|(w, s)| (w, s.shift(span.start))).collect();
        let skip = words.iter().position(|(w, _)| w == "run").map_or(0, |i| i + 1);
        let mut env = Vec::new();
        let mut mounts = Vec::new();
        let mut image = None;
        let mut name = format!("docker run #{}", n + 1);
        let mut i = skip;
        while i < words.len() {
            let (w, s) = &words[i];
            if !w.starts_with('-') {
                image = Some((w.clone(), *s));
                i += 1;
                break;
            }
            let (opt, inline) = match w.split_once('=') {
                Some((o, v)) if o.starts_with("--") => (o.to_string(), Some(v.to_string())),
                _ => (w.clone(), None),
            };
            let value = if inline.is_some() {
                inline.map(|v| (v, *s))
            } else if VALUE_OPTIONS.contains(&opt.as_str()) {
                i += 1;
                words.get(i).map(|(v, vs)| (v.clone(), s.cover(*vs)))
            } else {
                None
            };
            if let Some((v, vs)) = value {
                match opt.as_str() {
                    "-e" | "--env" => {
                        if let Some((k, val)) = v.split_once('=') {
                            env.push((k.to_string(), val.to_string(), vs));
                        }
                    }
                    "-v" | "--volume" | "--mount" => mounts.push(v),
                    "--name" => name = v,
                    _ => {}
                }
            }
            i += 1;
        }
        let flags = command_flags(&words[i.min(words.len())..]);
        judge(
            id,
            file,
            Service { name, location: Location::new(id, *span), image, env, flags, mounts },
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Inputs;

    fn expand(name: &str, text: &str) -> (Inputs, super::super::PlatformModel) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text(name, InputKind::Platform, text));
        super::super::expand(&inputs)
    }

    #[test]
    fn compose_with_trust() {
        let text = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n";
        let (inputs, model) = expand("compose.yaml", text);
        let c = &model.containers[0];
        assert_eq!(c.effective_method, "trust");
        assert!(!c.configures_tls);
        let hba = inputs.files.iter().find(|f| f.kind == InputKind::PgHba).unwrap();
        assert!(hba.text.ends_with("host all all all trust\n"));
        let last = hba.text.rfind("host all all all").unwrap();
        let loc = hba.origin.as_ref().unwrap().map(Span::new(last, last + 4));
        assert_eq!(&text[loc.span.start..loc.span.end], "trust");
    }

    #[test]
    fn compose_defaults_follow_the_image_version() {
        let (_, model) = expand("c.yml", "services:\n  db:\n    image: postgres:13-alpine\n    environment:\n      - POSTGRES_PASSWORD=x\n");
        assert_eq!(model.containers[0].effective_method, "md5");
        let (_, model) = expand("c.yml", "services:\n  db:\n    image: docker.io/library/postgres\n    command: postgres -c ssl=on -c ssl_cert_file=/certs/server.crt\n");
        assert_eq!(model.containers[0].effective_method, "scram-sha-256");
        assert!(model.containers[0].configures_tls);
    }

    #[test]
    fn docker_run_lines() {
        let text = "docker run -d --name pg \\\n  -e POSTGRES_HOST_AUTH_METHOD=md5 -p 5432:5432 postgres:15 -c ssl=on\n";
        let (inputs, model) = expand("run.sh", text);
        let c = &model.containers[0];
        assert_eq!(c.name, "pg");
        assert_eq!(c.effective_method, "md5");
        assert!(c.configures_tls);
        let conf = inputs.files.iter().find(|f| f.kind == InputKind::PostgresqlConf).unwrap();
        assert!(conf.text.contains("ssl = 'on'"));
    }

    #[test]
    fn other_images_are_not_judged() {
        let (_, model) = expand("c.yml", "services:\n  web:\n    image: nginx\n  exporter:\n    image: prometheuscommunity/postgres-exporter\n");
        assert!(model.containers.is_empty());
    }

    #[test]
    fn shell_words_quote_and_escape() {
        let words: Vec<String> = shell_words(r#"a "b c" 'd e' f\ g"#).into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["a", "b c", "d e", "f g"]);
    }
}
