//! postgresql.conf and postgresql.auto.conf: lexer, includes, parameter table, effective settings.

pub mod lexer;
pub mod params;
pub mod print;
pub mod parser;
pub mod rules;

use std::collections::HashMap;

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::diagnostic::{Activation, ParseError};
use crate::options::AuditOptions;
use crate::source::{base_name, FileId, Inputs, Location, Span};

use self::lexer::TokenKind;
use self::params::{ParamContext, ParamDef};
use self::parser::{IncludeKind, Item, ParsedFile};


/// PostgreSQL's limit on include nesting (`CONF_FILE_MAX_DEPTH`).
pub const MAX_INCLUDE_DEPTH: usize = 10;

/// A bound on the lines expanded through includes, so that files including each other many
/// times over cannot make an audit slow; PostgreSQL's depth limit bounds it, but not tightly.
const MAX_EXPANDED_ITEMS: usize = 200_000;

/// One effective `name = value` assignment (the last one wins, as in PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// Lower-cased name.
    pub name: String,
    /// The value after de-quoting and de-escaping.
    pub value: String,
    /// The whole assignment line.
    pub location: Location,
    pub name_span: Span,
    pub value_span: Span,
}

/// Every assignment in the order PostgreSQL applies them, with what the rules need beyond the
/// effective [`Setting`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub setting: Setting,
    /// The name as written (case kept).
    pub written_name: String,
    /// The kind of the value token (a quoted string or a bare word or number).
    pub value_kind: TokenKind,
    /// Whether a later assignment with exactly the same written name overrides this one, so
    /// that PostgreSQL never looks at its value (`ProcessConfigFileInternal` marks it ignored).
    pub overridden: bool,
    /// 1-based line number.
    pub line: usize,
}

/// A problem found while reading the files: a syntax error or an include that cannot be
/// followed. The CONF007 rule reports these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfError {
    pub error: ParseError,
    /// An include whose file was not among the inputs: PostgreSQL's verdict depends on the
    /// server's disk, so this is reported as a warning rather than as a refusal to start.
    pub unresolved_include: bool,
}

/// A file read as part of the configuration, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfFile {
    pub file: FileId,
    /// postgresql.auto.conf, read after everything else.
    pub auto: bool,
    /// The include directive that brought it in, for included files.
    pub included_from: Option<Location>,
}

/// postgresql.conf, its includes and postgresql.auto.conf, as PostgreSQL would combine them.
#[derive(Debug, Default)]
pub struct ConfModel {
    /// The target major version the files are judged for.
    pub version: u32,
    pub files: Vec<ConfFile>,
    /// Every assignment, in application order (auto.conf last).
    pub assignments: Vec<Assignment>,
    pub errors: Vec<ConfError>,
    /// The main postgresql.conf, where a missing setting is added.
    pub main_file: Option<FileId>,
    /// Canonical name → index of its last assignment.
    effective: HashMap<String, usize>,
}

/// State of the include walk.
struct Walker<'a> {
    inputs: &'a Inputs,
    version: u32,
    parsed: HashMap<FileId, ParsedFile>,
    /// Files already parsed to find the top-level ones; taken over when first walked.
    pre_parsed: HashMap<FileId, ParsedFile>,
    model: ConfModel,
    expanded: usize,
    budget_reported: bool,
}

impl<'a> Walker<'a> {
    fn parsed(&mut self, file: FileId) -> &ParsedFile {
        let inputs = self.inputs;
        let errors = &mut self.model.errors;
        let pre_parsed = &mut self.pre_parsed;
        self.parsed.entry(file).or_insert_with(|| {
            let f = inputs.file(file);
            let parsed = pre_parsed.remove(&file).unwrap_or_else(|| parser::parse_file(file, &f.name, &f.text));
            errors.extend(parsed.errors.iter().cloned().map(|error| ConfError { error, unresolved_include: false }));
            parsed
        })
    }

    fn error(&mut self, location: Location, message: String, unresolved_include: bool) {
        let error = ParseError { location, message };
        if !self.model.errors.iter().any(|e| e.error == error) {
            self.model.errors.push(ConfError { error, unresolved_include });
        }
    }

    /// Reads one file at `depth` (0 for a top-level file), following its includes in place.
    fn walk(&mut self, file: FileId, depth: usize, auto: bool, included_from: Option<Location>) {
        self.model.files.push(ConfFile { file, auto, included_from });
        let items = self.parsed(file).items.clone();
        for item in items {
            self.expanded += 1;
            if self.expanded > MAX_EXPANDED_ITEMS {
                if !self.budget_reported {
                    self.budget_reported = true;
                    let span = self.inputs.file(file).end_span();
                    self.error(
                        Location::new(file, span),
                        format!("the includes expand to more than {MAX_EXPANDED_ITEMS} lines; the rest was not read"),
                        false,
                    );
                }
                return;
            }
            match item {
                Item::Assignment(a) => {
                    let name = a.name.to_ascii_lowercase();
                    let canonical = params::canonical_name(&name, self.version).to_string();
                    self.model.assignments.push(Assignment {
                        setting: Setting {
                            name: canonical,
                            value: a.value,
                            location: Location::new(file, a.line_span),
                            name_span: a.name_span,
                            value_span: a.value_span,
                        },
                        written_name: a.name,
                        value_kind: a.value_kind,
                        overridden: false,
                        line: a.line,
                    });
                }
                Item::Include { kind, path, value_span, line_span, .. } => {
                    let here = Location::new(file, line_span);
                    let including = self.inputs.file(file).name.clone();
                    if path.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
                        let message = match kind {
                            IncludeKind::Dir => format!("empty configuration directory name: \"{path}\""),
                            _ => format!("empty configuration file name: \"{path}\""),
                        };
                        self.error(Location::new(file, value_span), message, false);
                        continue;
                    }
                    if kind == IncludeKind::Dir {
                        let members = files_in_directory(self.inputs, &path);
                        if depth + 1 > MAX_INCLUDE_DEPTH && !members.is_empty() {
                            self.error(
                                Location::new(file, value_span),
                                format!("could not open configuration file \"{}\": maximum nesting depth exceeded", self.inputs.file(members[0]).name),
                                false,
                            );
                            continue;
                        }
                        for member in members {
                            if member == file {
                                self.error(Location::new(file, value_span), format!("configuration file recursion in \"{including}\""), false);
                                continue;
                            }
                            self.walk(member, depth + 1, auto, Some(here));
                        }
                        continue;
                    }
                    if depth + 1 > MAX_INCLUDE_DEPTH {
                        self.error(
                            Location::new(file, value_span),
                            format!("could not open configuration file \"{path}\": maximum nesting depth exceeded"),
                            false,
                        );
                        continue;
                    }
                    match self.inputs.find_by_reference(&path) {
                        Some(target) if target == file => {
                            self.error(Location::new(file, value_span), format!("configuration file recursion in \"{including}\""), false);
                        }
                        Some(target) => self.walk(target, depth + 1, auto, Some(here)),
                        None if kind == IncludeKind::Include => {
                            self.error(
                                Location::new(file, value_span),
                                format!(
                                    "included file \"{path}\" is not among the audited files, so its settings are unknown; \
                                     if it is missing on the server, PostgreSQL refuses to start: could not open configuration file \"{path}\""
                                ),
                                true,
                            );
                        }
                        // include_if_exists: PostgreSQL logs "skipping missing configuration file".
                        None => {}
                    }
                }
            }
        }
    }
}

/// The given files that lie in the directory an `include_dir` names: their name's parent
/// directory has the same last component. Like PostgreSQL, only `*.conf` files whose name does
/// not start with a dot, in C (byte) order of their file names.
fn files_in_directory(inputs: &Inputs, dir: &str) -> Vec<FileId> {
    let wanted = base_name(dir.trim_end_matches(['/', '\\']));
    if wanted.is_empty() || wanted == "." {
        return Vec::new();
    }
    let mut members: Vec<FileId> = inputs
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let base = f.base_name();
            let parent = f.name[..f.name.len() - base.len()].trim_end_matches(['/', '\\']);
            base.ends_with(".conf") && !base.starts_with('.') && !parent.is_empty() && base_name(parent) == wanted
        })
        .map(|(id, _)| id)
        .collect();
    crate::sorting::sort_by(&mut members, |&a, &b| inputs.file(a).base_name().as_bytes().cmp(inputs.file(b).base_name().as_bytes()));
    members
}

/// The files an include directive of another configuration file names.
fn included_files(inputs: &Inputs, parsed: &HashMap<FileId, ParsedFile>) -> Vec<FileId> {
    let mut out = Vec::new();
    for (&id, file) in parsed {
        for item in &file.items {
            if let Item::Include { kind, path, .. } = item {
                let targets = match kind {
                    IncludeKind::Dir => files_in_directory(inputs, path),
                    _ => inputs.find_by_reference(path).into_iter().collect(),
                };
                out.extend(targets.into_iter().filter(|&t| t != id));
            }
        }
    }
    out
}

impl ConfModel {
    pub fn build(inputs: &Inputs, options: &AuditOptions) -> Self {
        let version = options.pg_version;
        let conf_files: Vec<FileId> = inputs.of_kind(InputKind::PostgresqlConf).map(|(id, _)| id).collect();
        let auto_files: Vec<FileId> = inputs.of_kind(InputKind::PostgresqlAutoConf).map(|(id, _)| id).collect();
        let pre_parsed: HashMap<FileId, ParsedFile> = conf_files
            .iter()
            .map(|&id| (id, parser::parse_file(id, &inputs.file(id).name, &inputs.file(id).text)))
            .collect();
        let included = included_files(inputs, &pre_parsed);
        // Top-level files: the conf files no other file includes, postgresql.conf first.
        let mut roots: Vec<FileId> = conf_files.iter().copied().filter(|id| !included.contains(id)).collect();
        if roots.is_empty() {
            roots.extend(conf_files.first());
        }
        crate::sorting::sort_by_key(&mut roots, |&id| !inputs.file(id).base_name().eq_ignore_ascii_case("postgresql.conf"));
        let mut walker = Walker {
            inputs,
            version,
            parsed: HashMap::new(),
            pre_parsed,
            model: ConfModel { version, main_file: roots.first().copied(), ..ConfModel::default() },
            expanded: 0,
            budget_reported: false,
        };
        for root in roots {
            walker.walk(root, 0, false, None);
        }
        for auto in auto_files {
            walker.walk(auto, 0, true, None);
        }
        let mut model = walker.model;
        // PostgreSQL marks an assignment ignored when a later one has exactly the same name.
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut overridden = vec![false; model.assignments.len()];
        for (i, a) in model.assignments.iter().enumerate().rev() {
            if seen.insert(a.written_name.as_str(), ()).is_some() {
                overridden[i] = true;
            }
        }
        for (a, o) in model.assignments.iter_mut().zip(overridden) {
            a.overridden = o;
        }
        for (i, a) in model.assignments.iter().enumerate() {
            model.effective.insert(a.setting.name.clone(), i);
        }
        model
    }

    /// Whether any postgresql.conf (or auto.conf) was given.
    pub fn is_present(&self) -> bool {
        !self.files.is_empty()
    }

    /// Whether a postgresql.conf (not only auto.conf) was given, so that a setting missing from
    /// the files is really unset and its default applies.
    pub fn has_main_file(&self) -> bool {
        self.main_file.is_some()
    }

    /// The effective setting of a parameter, if a given file sets it.
    pub fn effective(&self, name: &str) -> Option<&Setting> {
        let name = name.to_ascii_lowercase();
        let name = params::canonical_name(&name, self.version);
        self.effective.get(name).map(|&i| &self.assignments[i].setting)
    }

    /// The effective assignment, with its token kind and line.
    pub fn effective_assignment(&self, name: &str) -> Option<&Assignment> {
        let name = name.to_ascii_lowercase();
        let name = params::canonical_name(&name, self.version);
        self.effective.get(name).map(|&i| &self.assignments[i])
    }

    /// The value in force: the effective setting's, else the built-in default of the target
    /// version (None for a parameter the version does not have).
    pub fn value_or_default(&self, name: &str) -> Option<String> {
        match self.effective(name) {
            Some(s) => Some(s.value.clone()),
            None => self.default_value(name).map(str::to_string),
        }
    }

    /// The parameter's definition in the target version.
    pub fn param(&self, name: &str) -> Option<&'static ParamDef> {
        params::lookup(&name.to_ascii_lowercase(), self.version)
    }

    /// The built-in default of a parameter in the target version.
    pub fn default_value(&self, name: &str) -> Option<&'static str> {
        self.param(name).map(|p| p.default)
    }

    /// When a changed value of the parameter takes effect (its GUC context).
    pub fn context(&self, name: &str) -> Option<ParamContext> {
        self.param(name).map(|p| p.context)
    }

    /// What a fix to this parameter needs: a restart for postmaster parameters, else a reload.
    pub fn activation(&self, name: &str) -> Activation {
        match self.context(name) {
            Some(ParamContext::Postmaster) => Activation::Restart,
            _ => Activation::Reload,
        }
    }

    /// Where a missing setting is added: the end of the main postgresql.conf.
    pub fn insertion_point(&self, inputs: &Inputs) -> Option<Location> {
        self.main_file.map(|f| Location::new(f, inputs.file(f).end_span()))
    }

    /// The text to append at [`Self::insertion_point`] for `line`: on a line of its own.
    pub fn insertion_text(&self, inputs: &Inputs, line: &str) -> String {
        let needs_newline = self.main_file.is_some_and(|f| {
            let text = &inputs.file(f).text;
            !text.is_empty() && !text.ends_with('\n')
        });
        format!("{}{line}\n", if needs_newline { "\n" } else { "" })
    }

    /// Checklist items the configuration lets the audit judge: item 1 (SSL and protocol floor)
    /// from any configuration file, item 5 (rotation-friendly settings such as a reloadable
    /// passphrase command) from the server's own postgresql.conf.
    pub fn evidence(&self, evidence: &mut Evidence) {
        if self.is_present() {
            evidence.insert(1);
        }
    }
}

/// PostgreSQL's boolean syntax (`parse_bool_with_len` in utils/adt/bool.c): on/off, true/false,
/// yes/no, 1/0, and unique prefixes of the words, case-insensitively, surrounding blanks ignored.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim().to_ascii_lowercase();
    let prefix_of = |word: &str, min: usize| v.len() >= min && word.starts_with(v.as_str());
    match v.as_str() {
        "1" => Some(true),
        "0" => Some(false),
        _ if prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) => Some(true),
        _ if prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) => Some(false),
        _ => None,
    }
}

/// A boolean as a configuration file value is read (`parse_bool` in guc.c calls
/// `parse_bool_with_len` on the value as it is): like [`parse_bool`], but blanks around the
/// word make it invalid, as checked against PostgreSQL 15 (`' on '` is refused).
pub fn parse_guc_bool(value: &str) -> Option<bool> {
    if value.trim() != value {
        return None;
    }
    parse_bool(value)
}

/// Content sniffing for files whose name says nothing: a postgresql.conf is mostly
/// `name = value` lines whose names are PostgreSQL parameters (or include directives).
pub fn sniff(text: &str) -> Option<InputKind> {
    // The first 64 kB decide; a 10 MB paste need not be read twice.
    let mut cut = text.len().min(64 * 1024);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..text[..cut].rfind('\n').map_or(cut, |n| n + 1)];
    let parsed = parser::parse_file(0, "", text);
    let known = parsed
        .items
        .iter()
        .filter(|item| match item {
            Item::Assignment(a) => params::is_known_anywhere(&a.name.to_ascii_lowercase()),
            Item::Include { .. } => true,
        })
        .count();
    let unknown = parsed.items.len() - known + parsed.errors.len();
    (known > 0 && known >= 2 * unknown).then_some(InputKind::PostgresqlConf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn model(version: u32, files: &[(&str, InputKind, &str)]) -> (Inputs, ConfModel) {
        let mut inputs = Inputs::new();
        for (name, kind, text) in files {
            inputs.push(SourceFile::from_text(*name, *kind, *text));
        }
        let mut options = AuditOptions::new(0);
        options.pg_version = version;
        let model = ConfModel::build(&inputs, &options);
        (inputs, model)
    }

    #[test]
    fn includes_apply_in_place_and_auto_conf_last() {
        use InputKind::*;
        let (_, m) = model(
            16,
            &[
                ("postgresql.auto.conf", PostgresqlAutoConf, "work_mem = '64MB'\n"),
                ("conf.d/20-b.conf", PostgresqlConf, "port = 2\nssl = off\n"),
                ("/etc/pg/postgresql.conf", PostgresqlConf, "port = 1\ninclude_dir 'conf.d'\nssl = on\nwork_mem = '4MB'\n"),
                ("conf.d/10-a.conf", PostgresqlConf, "port = 3\n"),
            ],
        );
        assert_eq!(m.main_file, Some(2));
        let order: Vec<FileId> = m.files.iter().map(|f| f.file).collect();
        assert_eq!(order, vec![2, 3, 1, 0], "postgresql.conf, conf.d in C order, then auto.conf");
        assert_eq!(m.effective("port").unwrap().value, "2");
        assert_eq!(m.effective("ssl").unwrap().value, "on");
        assert_eq!(m.effective("work_mem").unwrap().value, "64MB");
        assert!(m.files[1].included_from.is_some());
        assert!(m.errors.is_empty(), "{:?}", m.errors);
    }

    #[test]
    fn missing_includes() {
        use InputKind::*;
        let (_, m) = model(16, &[("postgresql.conf", PostgresqlConf, "include 'tls.conf'\ninclude_if_exists 'opt.conf'\n")]);
        assert_eq!(m.errors.len(), 1);
        assert!(m.errors[0].unresolved_include);
        assert!(m.errors[0].error.message.contains("\"tls.conf\""));
        let (_, m) = model(16, &[("postgresql.conf", PostgresqlConf, "include ''\n")]);
        assert_eq!(m.errors[0].error.message, "empty configuration file name: \"\"");
    }

    #[test]
    fn defaults_contexts_and_insertion() {
        use InputKind::*;
        let (inputs, m) = model(12, &[("postgresql.conf", PostgresqlConf, "ssl = on")]);
        assert_eq!(m.default_value("ssl_min_protocol_version"), Some("TLSv1"));
        assert_eq!(m.value_or_default("ssl_min_protocol_version").as_deref(), Some("TLSv1"));
        assert_eq!(m.value_or_default("ssl").as_deref(), Some("on"));
        assert_eq!(m.activation("ssl"), Activation::Reload);
        assert_eq!(m.activation("shared_buffers"), Activation::Restart);
        assert_eq!(m.insertion_point(&inputs), Some(Location::new(0, Span::at(8))));
        assert_eq!(m.insertion_text(&inputs, "x = 1"), "\nx = 1\n");
        assert_eq!(m.default_value("ssl_groups"), None);
    }

    #[test]
    fn evidence_items() {
        use InputKind::*;
        let mut e = Evidence::new();
        model(16, &[("postgresql.conf", PostgresqlConf, "")]).1.evidence(&mut e);
        // A configuration alone does not show that rotation is automated (item 5): that takes
        // a certificate's lifetime or a platform that renews it.
        assert_eq!(e, [1].into());
        let mut e = Evidence::new();
        model(16, &[("postgresql.auto.conf", PostgresqlAutoConf, "ssl = on\n")]).1.evidence(&mut e);
        assert_eq!(e, [1].into());
        let mut e = Evidence::new();
        model(16, &[]).1.evidence(&mut e);
        assert!(e.is_empty());
    }

    #[test]
    fn sniffing_by_content() {
        assert_eq!(sniff("ssl = on\nssl_cert_file = 'server.crt'\n# comment\n"), Some(InputKind::PostgresqlConf));
        assert_eq!(sniff("shared_buffers = 128MB\nmax_connections = 100\n"), Some(InputKind::PostgresqlConf));
        assert_eq!(sniff("PGSSLMODE=verify-full\nPGHOST=db\n"), None);
        assert_eq!(sniff("[databases]\nfoo = host=db\n"), None);
        assert_eq!(sniff(""), None);
        assert_eq!(crate::detect::detect_kind("tls.conf.txt", b"ssl = on\nssl_ciphers = 'HIGH'\n"), InputKind::PostgresqlConf);
    }

    #[test]
    fn booleans_as_postgresql_reads_them() {
        for t in ["on", "ON", "true", "t", "tr", "yes", "y", "1", " on "] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["off", "of", "false", "f", "no", "n", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", "2", "onn", "enable"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }
}
