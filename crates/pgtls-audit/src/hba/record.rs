//! pg_hba.conf records, checked the way `parse_hba_line` and `parse_hba_auth_opt` in
//! PostgreSQL's `src/backend/libpq/hba.c` check them, for the target major version. Messages
//! are hba.c's own, as `pg_hba_file_rules.error` shows them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::source::{FileId, Inputs, Location, Span};

use super::token::{AuthField, AuthToken, Problem, ProblemKind, TokenizedLine, Tokenizer, MAX_DEPTH};

/// The connection type in the first field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnType {
    Local,
    Host,
    HostSsl,
    HostNoSsl,
    HostGssEnc,
    HostNoGssEnc,
}

impl ConnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnType::Local => "local",
            ConnType::Host => "host",
            ConnType::HostSsl => "hostssl",
            ConnType::HostNoSsl => "hostnossl",
            ConnType::HostGssEnc => "hostgssenc",
            ConnType::HostNoGssEnc => "hostnogssenc",
        }
    }

    /// Whether a TCP connection with this SSL and GSS state matches the type (`check_hba`).
    pub fn accepts_tcp(self, ssl: bool, gss: bool) -> bool {
        match self {
            ConnType::Local => false,
            ConnType::Host => true,
            ConnType::HostSsl => ssl,
            ConnType::HostNoSsl => !ssl,
            ConnType::HostGssEnc => gss,
            ConnType::HostNoGssEnc => !gss,
        }
    }
}

/// An authentication method (`UserAuthName[]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    Trust,
    Reject,
    Md5,
    ScramSha256,
    Password,
    Gss,
    Sspi,
    Ident,
    Peer,
    Pam,
    Bsd,
    Ldap,
    Cert,
    Radius,
    OAuth,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Trust => "trust",
            AuthMethod::Reject => "reject",
            AuthMethod::Md5 => "md5",
            AuthMethod::ScramSha256 => "scram-sha-256",
            AuthMethod::Password => "password",
            AuthMethod::Gss => "gss",
            AuthMethod::Sspi => "sspi",
            AuthMethod::Ident => "ident",
            AuthMethod::Peer => "peer",
            AuthMethod::Pam => "pam",
            AuthMethod::Bsd => "bsd",
            AuthMethod::Ldap => "ldap",
            AuthMethod::Cert => "cert",
            AuthMethod::Radius => "radius",
            AuthMethod::OAuth => "oauth",
        }
    }

    /// The methods a given major version knows, by name.
    pub fn from_name(name: &str, pg_version: u32) -> Option<AuthMethod> {
        Some(match name {
            "trust" => AuthMethod::Trust,
            "reject" => AuthMethod::Reject,
            "md5" => AuthMethod::Md5,
            "scram-sha-256" => AuthMethod::ScramSha256,
            "password" => AuthMethod::Password,
            "gss" => AuthMethod::Gss,
            "sspi" => AuthMethod::Sspi,
            "ident" => AuthMethod::Ident,
            "peer" => AuthMethod::Peer,
            "pam" => AuthMethod::Pam,
            "bsd" => AuthMethod::Bsd,
            "ldap" => AuthMethod::Ldap,
            "cert" => AuthMethod::Cert,
            "radius" if pg_version <= 18 => AuthMethod::Radius,
            "oauth" if pg_version >= 18 => AuthMethod::OAuth,
            _ => return None,
        })
    }

    /// Methods that make the client send its password in clear text over the connection.
    pub fn sends_cleartext_password(self) -> bool {
        matches!(self, AuthMethod::Password | AuthMethod::Ldap | AuthMethod::Pam | AuthMethod::Bsd | AuthMethod::Radius)
    }
}

/// Which optional parts the server was built with; some methods exist only with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildFeatures {
    pub ssl: bool,
    pub gss: bool,
    pub sspi: bool,
    pub pam: bool,
    pub bsd: bool,
    pub ldap: bool,
}

impl Default for BuildFeatures {
    /// Everything: the audit does not know the build, so it refuses no method for it.
    fn default() -> Self {
        BuildFeatures { ssl: true, gss: true, sspi: true, pam: true, bsd: true, ldap: true }
    }
}

/// What the records are read against.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    pub pg_version: u32,
    pub build: BuildFeatures,
    /// `ssl` in postgresql.conf, when known: hostssl lines are logged as unmatchable without it.
    pub ssl_enabled: Option<bool>,
}

impl ReadOptions {
    pub fn new(pg_version: u32) -> Self {
        ReadOptions { pg_version, build: BuildFeatures::default(), ssl_enabled: None }
    }
}

/// The ADDRESS field (with the IP-MASK field when the mask is written separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HbaAddress {
    All,
    SameHost,
    SameNet,
    /// An address and a mask of the same family; the mask need not be contiguous.
    Ip { addr: IpAddr, mask: IpAddr },
    /// A host name, or with a leading `.` a domain suffix; matched after reverse DNS.
    Hostname(String),
}

impl HbaAddress {
    /// Whether `client` is in the network (`check_ip`): families must be the same.
    pub fn ip_contains(addr: IpAddr, mask: IpAddr, client: IpAddr) -> bool {
        match (addr, mask, client) {
            (IpAddr::V4(a), IpAddr::V4(m), IpAddr::V4(c)) => {
                let (a, m, c) = (u32::from(a), u32::from(m), u32::from(c));
                a & m == c & m
            }
            (IpAddr::V6(a), IpAddr::V6(m), IpAddr::V6(c)) => {
                let (a, m, c) = (u128::from(a), u128::from(m), u128::from(c));
                a & m == c & m
            }
            _ => false,
        }
    }

    /// The text pg_hba_file_rules shows in its address column.
    pub fn display_address(&self) -> String {
        match self {
            HbaAddress::All => "all".into(),
            HbaAddress::SameHost => "samehost".into(),
            HbaAddress::SameNet => "samenet".into(),
            HbaAddress::Ip { addr, .. } => display_ip(*addr),
            HbaAddress::Hostname(h) => h.clone(),
        }
    }

    pub fn display_netmask(&self) -> Option<String> {
        match self {
            HbaAddress::Ip { mask, .. } => Some(display_ip(*mask)),
            _ => None,
        }
    }
}

/// An address as glibc's `inet_ntop` writes it, which differs from Rust's `Display` only for
/// IPv4-compatible IPv6 addresses (`::1.2.3.4`).
pub fn display_ip(ip: IpAddr) -> String {
    if let IpAddr::V6(v6) = ip {
        let s = v6.segments();
        if s[..6].iter().all(|&w| w == 0) && s[6] != 0 {
            let o = v6.octets();
            return format!("::{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
        }
    }
    ip.to_string()
}

/// `clientcert`, after the method's implications (cert implies verify-full).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ClientCert {
    #[default]
    Off,
    VerifyCa,
    VerifyFull,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HbaOption {
    pub name: String,
    pub value: String,
    pub location: Location,
}

/// One valid record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HbaRecord {
    pub file: FileId,
    pub line_number: usize,
    /// The whole record (continuations included).
    pub span: Span,
    pub conn_type: ConnType,
    pub conn_type_token: AuthToken,
    pub databases: AuthField,
    pub users: AuthField,
    pub address: Option<HbaAddress>,
    /// The address field, and the mask field when there is one.
    pub address_span: Option<Span>,
    /// The method in effect (`ident` on `local` becomes `peer`).
    pub method: AuthMethod,
    pub method_token: AuthToken,
    pub options: Vec<HbaOption>,
    pub clientcert: ClientCert,
    /// Problems PostgreSQL logs for this line while still loading it.
    pub notes: Vec<Problem>,
}

impl HbaRecord {
    pub fn location(&self) -> Location {
        Location::new(self.file, self.span)
    }

    pub fn option(&self, name: &str) -> Option<&HbaOption> {
        self.options.iter().find(|o| o.name == name)
    }
}

/// What one line of the file set turned out to be, in the order PostgreSQL scans them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HbaEntry {
    Record(Box<HbaRecord>),
    /// A line PostgreSQL refuses; with it the whole file fails to load.
    Invalid { file: FileId, line_number: usize, span: Span, problem: Problem },
    /// Rules the audit cannot see: an include whose file was not given.
    Unknown { location: Location, what: String, reference: String },
}

/// A pg_hba.conf and everything it includes, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HbaFile {
    pub root: FileId,
    pub entries: Vec<HbaEntry>,
    /// Every problem, refused or logged or not given, in reading order.
    pub problems: Vec<Problem>,
    /// Files read through include records or `@file` references.
    pub referenced: Vec<FileId>,
    /// Answers several rules ask of the same entries, worked out on first use.
    pub(crate) memo: super::simulate::Memo,
}

impl HbaFile {
    pub fn records(&self) -> impl Iterator<Item = &HbaRecord> {
        self.entries.iter().filter_map(|e| match e {
            HbaEntry::Record(r) => Some(r.as_ref()),
            _ => None,
        })
    }
}

/// Reads a pg_hba.conf and the files it names.
pub fn read_hba(inputs: &Inputs, root: FileId, opts: ReadOptions) -> HbaFile {
    let mut out = HbaFile { root, ..Default::default() };
    let mut stack = vec![root];
    read_into(inputs, root, opts, &mut stack, &mut out);
    if out.entries.is_empty() && out.problems.iter().all(|p| p.kind != ProblemKind::Refused) {
        let file = inputs.file(root);
        out.problems.push(Problem {
            kind: ProblemKind::Refused,
            location: Location::new(root, Span::at(0)),
            message: format!("configuration file \"{}\" contains no entries", file.name),
        });
    }
    out
}

fn read_into(inputs: &Inputs, file: FileId, opts: ReadOptions, stack: &mut Vec<FileId>, out: &mut HbaFile) {
    let mut tokenizer = Tokenizer::new(inputs, opts.pg_version);
    tokenizer.stack = stack.clone();
    tokenizer.stack.pop();
    let lines = tokenizer.tokenize(file);
    for line in lines {
        for n in &line.notes {
            if let Some(f) = n.location.file.ne(&file).then_some(n.location.file) {
                if !out.referenced.contains(&f) {
                    out.referenced.push(f);
                }
            }
        }
        for f in line.fields.iter().flat_map(|f| f.tokens.iter()).map(|t| t.location.file) {
            if f != file && !out.referenced.contains(&f) {
                out.referenced.push(f);
            }
        }
        out.problems.extend(line.notes.iter().cloned());
        if line.fields.is_empty() && line.error.is_none() {
            continue;
        }
        if opts.pg_version >= 16 && line.error.is_none() && line.fields.len() == 2 {
            let directive = line.fields[0].tokens.first().map(|t| t.text.as_str());
            if let (Some(kind @ ("include" | "include_if_exists" | "include_dir")), Some(target)) =
                (directive, line.fields[1].tokens.first())
            {
                include(inputs, &line, kind, target, opts, stack, out);
                continue;
            }
        }
        match parse_line(&line, opts) {
            Ok(record) => {
                out.problems.extend(record.notes.iter().cloned());
                out.entries.push(HbaEntry::Record(Box::new(record)));
            }
            Err(problem) => {
                out.problems.push(problem.clone());
                out.entries.push(HbaEntry::Invalid { file, line_number: line.line_number, span: line.span, problem });
            }
        }
    }
}

fn include(
    inputs: &Inputs,
    line: &TokenizedLine,
    kind: &str,
    target: &AuthToken,
    opts: ReadOptions,
    stack: &mut Vec<FileId>,
    out: &mut HbaFile,
) {
    let location = line.location();
    let files: Vec<FileId> = if kind == "include_dir" {
        files_in_dir(inputs, &target.text)
    } else {
        inputs.find_by_reference(&target.text).into_iter().collect()
    };
    if files.is_empty() {
        if kind == "include_if_exists" {
            out.problems.push(Problem {
                kind: ProblemKind::NotGiven,
                location: target.location,
                message: format!(
                    "included file \"{}\" was not given: PostgreSQL skips it if it is missing, but if it exists its rules apply here and the audit cannot see them",
                    target.text
                ),
            });
        } else {
            out.problems.push(Problem {
                kind: ProblemKind::NotGiven,
                location: target.location,
                message: format!(
                    "{} \"{}\" was not given: its rules apply here and the audit cannot see them (PostgreSQL refuses the file if it cannot open it)",
                    if kind == "include_dir" { "included directory" } else { "included file" },
                    target.text
                ),
            });
        }
        out.entries.push(HbaEntry::Unknown {
            location,
            what: format!("the rules in \"{}\"", target.text),
            reference: target.text.clone(),
        });
        return;
    }
    for f in files {
        if stack.contains(&f) || stack.len() > MAX_DEPTH {
            let problem = Problem {
                kind: ProblemKind::Refused,
                location: target.location,
                message: format!("could not open file \"{}\": maximum nesting depth exceeded", target.text),
            };
            out.problems.push(problem.clone());
            out.entries.push(HbaEntry::Invalid { file: line.file, line_number: line.line_number, span: line.span, problem });
            continue;
        }
        if !out.referenced.contains(&f) {
            out.referenced.push(f);
        }
        stack.push(f);
        read_into(inputs, f, opts, stack, out);
        stack.pop();
    }
}

/// The given files an `include_dir` would read: names ending in `.conf`, not starting with a
/// dot, inside a directory of that name, in C (byte) order.
fn files_in_dir(inputs: &Inputs, dir: &str) -> Vec<FileId> {
    let dir = dir.trim_end_matches('/');
    let dir_base = crate::source::base_name(dir);
    let mut found: Vec<(String, FileId)> = inputs
        .files
        .iter()
        .enumerate()
        .filter_map(|(id, f)| {
            let (parent, base) = f.name.rsplit_once('/')?;
            let parent_base = crate::source::base_name(parent);
            let in_dir = parent == dir || (!dir_base.is_empty() && parent_base == dir_base);
            (in_dir && base.ends_with(".conf") && !base.starts_with('.')).then(|| (base.to_string(), id))
        })
        .collect();
    crate::sorting::sort(&mut found);
    found.into_iter().map(|(_, id)| id).collect()
}

/// glibc's `getaddrinfo(AI_NUMERICHOST)`: IPv4 in every `inet_aton` form (`10`, `127.1`,
/// `0x7f.0.0.1`, octal `010.0.0.1`), or IPv6 text. Anything else is a host name.
pub fn parse_numeric_host(s: &str) -> Option<IpAddr> {
    if let Some(v4) = parse_inet_aton(s) {
        return Some(IpAddr::V4(v4));
    }
    if s.contains(':') {
        return s.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    None
}

fn parse_inet_aton(s: &str) -> Option<Ipv4Addr> {
    if s.is_empty() {
        return None;
    }
    let mut parts: Vec<u64> = Vec::new();
    for part in s.split('.') {
        if part.is_empty() || parts.len() == 4 {
            return None;
        }
        let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (part, 10)
        };
        let value = if digits.is_empty() && radix == 16 {
            0
        } else {
            if !digits.chars().all(|c| c.is_digit(radix)) || digits.is_empty() {
                return None;
            }
            u64::from_str_radix(digits, radix).ok().filter(|v| *v <= u32::MAX as u64)?
        };
        parts.push(value);
    }
    let n = parts.len();
    let (head, last) = parts.split_at(n - 1);
    if head.iter().any(|&p| p > 255) {
        return None;
    }
    let last_max: u64 = match n {
        1 => u32::MAX as u64,
        2 => 0xFF_FFFF,
        3 => 0xFFFF,
        _ => 0xFF,
    };
    if last[0] > last_max {
        return None;
    }
    let mut v: u64 = 0;
    for (i, p) in head.iter().enumerate() {
        v |= p << (24 - 8 * i);
    }
    v |= last[0];
    Some(Ipv4Addr::from(v as u32))
}

/// `pg_sockaddr_cidr_mask`: `strtol` digits (blanks and a sign allowed first), in range.
fn cidr_mask(bits: &str, v6: bool) -> Option<IpAddr> {
    let t = bits.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if bits.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse::<i64>().unwrap_or(i64::MAX);
    let n = if neg { -n } else { n };
    if v6 {
        if !(0..=128).contains(&n) {
            return None;
        }
        let m: u128 = if n == 0 { 0 } else { u128::MAX << (128 - n) };
        Some(IpAddr::V6(Ipv6Addr::from(m)))
    } else {
        if !(0..=32).contains(&n) {
            return None;
        }
        let m: u32 = if n == 0 { 0 } else { u32::MAX << (32 - n) };
        Some(IpAddr::V4(Ipv4Addr::from(m)))
    }
}

fn refused(loc: Location, message: impl Into<String>) -> Problem {
    Problem { kind: ProblemKind::Refused, location: loc, message: message.into() }
}

/// `parse_hba_line`: one tokenized line to a record, or the message PostgreSQL gives.
pub fn parse_line(line: &TokenizedLine, opts: ReadOptions) -> Result<HbaRecord, Problem> {
    if let Some(e) = &line.error {
        return Err(e.clone());
    }
    let v = opts.pg_version;
    let whole = line.location();
    let at_end = Location::new(line.file, Span::at(line.span.end));
    let mut fields = line.fields.iter();
    let mut notes = Vec::new();

    let type_field = fields.next().ok_or_else(|| refused(whole, "empty line"))?;
    let field_loc = |f: &AuthField| Location::new(line.file, f.span);
    if type_field.tokens.len() > 1 {
        return Err(refused(field_loc(type_field), "multiple values specified for connection type"));
    }
    let type_token = first_token(type_field, line)?;
    let conn_type = match type_token.text.as_str() {
        "local" => ConnType::Local,
        "host" => ConnType::Host,
        "hostssl" => ConnType::HostSsl,
        "hostnossl" => ConnType::HostNoSsl,
        "hostgssenc" => ConnType::HostGssEnc,
        "hostnogssenc" => ConnType::HostNoGssEnc,
        other => return Err(refused(type_token.location, format!("invalid connection type \"{other}\""))),
    };
    match conn_type {
        ConnType::HostSsl if !opts.build.ssl => notes.push(Problem {
            kind: ProblemKind::Logged,
            location: type_token.location,
            message: "hostssl record cannot match because SSL is not supported by this build".into(),
        }),
        ConnType::HostSsl if opts.ssl_enabled == Some(false) => notes.push(Problem {
            kind: ProblemKind::Logged,
            location: type_token.location,
            message: "hostssl record cannot match because SSL is disabled".into(),
        }),
        ConnType::HostGssEnc if !opts.build.gss => notes.push(Problem {
            kind: ProblemKind::Logged,
            location: type_token.location,
            message: "hostgssenc record cannot match because GSSAPI is not supported by this build".into(),
        }),
        _ => {}
    }

    let databases = fields
        .next()
        .ok_or_else(|| refused(at_end, "end-of-line before database specification"))?
        .clone();
    let users = fields.next().ok_or_else(|| refused(at_end, "end-of-line before role specification"))?.clone();

    let mut address = None;
    let mut address_span = None;
    if conn_type != ConnType::Local {
        let field = fields.next().ok_or_else(|| refused(at_end, "end-of-line before IP address specification"))?;
        if field.tokens.len() > 1 {
            return Err(refused(field_loc(field), "multiple values specified for host address"));
        }
        let token = first_token(field, line)?;
        address_span = Some(field.span);
        address = Some(if token.is_keyword("all") {
            HbaAddress::All
        } else if token.is_keyword("samehost") {
            HbaAddress::SameHost
        } else if token.is_keyword("samenet") {
            HbaAddress::SameNet
        } else {
            let (host, cidr) = match token.text.split_once('/') {
                Some((h, c)) => (h, Some(c)),
                None => (token.text.as_str(), None),
            };
            match (parse_numeric_host(host), cidr) {
                (None, Some(_)) => {
                    return Err(refused(
                        token.location,
                        format!("specifying both host name and CIDR mask is invalid: \"{}\"", token.text),
                    ))
                }
                (None, None) => HbaAddress::Hostname(host.to_string()),
                (Some(addr), Some(bits)) => match cidr_mask(bits, addr.is_ipv6()) {
                    Some(mask) => HbaAddress::Ip { addr, mask },
                    None => {
                        return Err(refused(
                            token.location,
                            format!("invalid CIDR mask in address \"{}\"", token.text),
                        ))
                    }
                },
                (Some(addr), None) => {
                    let mask_field = fields
                        .next()
                        .ok_or_else(|| refused(at_end, "end-of-line before netmask specification"))?;
                    if mask_field.tokens.len() > 1 {
                        return Err(refused(field_loc(mask_field), "multiple values specified for netmask"));
                    }
                    let mask_token = first_token(mask_field, line)?;
                    address_span = Some(field.span.cover(mask_field.span));
                    let mask = parse_numeric_host(&mask_token.text).ok_or_else(|| {
                        refused(
                            mask_token.location,
                            format!("invalid IP mask \"{}\": Name or service not known", mask_token.text),
                        )
                    })?;
                    if mask.is_ipv6() != addr.is_ipv6() {
                        return Err(refused(field_loc(mask_field), "IP address and mask do not match"));
                    }
                    HbaAddress::Ip { addr, mask }
                }
            }
        });
    }

    let method_field = fields.next().ok_or_else(|| refused(at_end, "end-of-line before authentication method"))?;
    if method_field.tokens.len() > 1 {
        return Err(refused(field_loc(method_field), "multiple values specified for authentication type"));
    }
    let method_token = first_token(method_field, line)?;
    let Some(mut method) = AuthMethod::from_name(&method_token.text, v) else {
        return Err(refused(
            method_token.location,
            format!("invalid authentication method \"{}\"", method_token.text),
        ));
    };
    let supported = match method {
        AuthMethod::Gss => opts.build.gss,
        AuthMethod::Sspi => opts.build.sspi,
        AuthMethod::Pam => opts.build.pam,
        AuthMethod::Bsd => opts.build.bsd,
        AuthMethod::Ldap => opts.build.ldap,
        AuthMethod::Cert => opts.build.ssl,
        _ => true,
    };
    if !supported {
        return Err(refused(
            method_token.location,
            format!("invalid authentication method \"{}\": not supported by this build", method_token.text),
        ));
    }
    // Kept for backwards compatibility: ident on a Unix socket is peer.
    if conn_type == ConnType::Local && method == AuthMethod::Ident {
        method = AuthMethod::Peer;
    }
    if conn_type == ConnType::Local && method == AuthMethod::Gss {
        return Err(refused(method_token.location, "gssapi authentication is not supported on local sockets"));
    }
    if conn_type != ConnType::Local && method == AuthMethod::Peer {
        return Err(refused(method_token.location, "peer authentication is only supported on local sockets"));
    }
    if conn_type != ConnType::HostSsl && method == AuthMethod::Cert {
        return Err(refused(method_token.location, "cert authentication is only supported on hostssl connections"));
    }

    // PostgreSQL 16+ compiles /regex names when it loads the file. The regex crate reads
    // nearly the same syntax as PostgreSQL's ARE engine but not all of it (back-references),
    // so a pattern it cannot read is logged as unchecked rather than counted as refused.
    if v >= 16 {
        for t in databases.tokens.iter().chain(&users.tokens).filter(|t| t.is_regex(v)) {
            if let Err(e) = regex_lite::Regex::new(&t.text[1..]) {
                let why = e.to_string();
                notes.push(Problem {
                    kind: ProblemKind::Logged,
                    location: t.location,
                    message: format!(
                        "regular expression \"{}\" could not be checked ({}); PostgreSQL refuses the file if it is invalid",
                        &t.text[1..],
                        why.lines().last().unwrap_or("").trim()
                    ),
                });
            }
        }
    }

    let mut record = HbaRecord {
        file: line.file,
        line_number: line.line_number,
        span: line.span,
        conn_type,
        conn_type_token: type_token.clone(),
        databases,
        users,
        address,
        address_span,
        method,
        method_token: method_token.clone(),
        options: Vec::new(),
        clientcert: ClientCert::Off,
        notes,
    };
    for field in fields {
        for token in &field.tokens {
            let Some((name, value)) = token.text.split_once('=') else {
                return Err(refused(
                    token.location,
                    format!("authentication option not in name=value format: {}", token.text),
                ));
            };
            let option = HbaOption { name: name.to_string(), value: value.to_string(), location: token.location };
            parse_option(&mut record, &option, opts)?;
            record.options.push(option);
        }
    }
    check_mandatory(&record, opts, whole)?;
    if record.method == AuthMethod::Cert {
        record.clientcert = ClientCert::VerifyFull;
    }
    Ok(record)
}

fn first_token<'l>(field: &'l AuthField, line: &TokenizedLine) -> Result<&'l AuthToken, Problem> {
    field.tokens.first().ok_or_else(|| {
        // Only an @file that was not given can leave a field without tokens.
        let name = field.unresolved.first().map_or("", |u| u.name.as_str());
        refused(
            Location::new(line.file, field.span),
            format!("could not open secondary authentication file \"@{name}\": not among the given files"),
        )
    })
}

fn parse_option(r: &mut HbaRecord, o: &HbaOption, opts: ReadOptions) -> Result<(), Problem> {
    let v = opts.pg_version;
    let m = r.method;
    let loc = o.location;
    let only_for = |valid: &str| {
        Err(refused(
            loc,
            format!("authentication option \"{}\" is only valid for authentication methods {valid}", o.name),
        ))
    };
    let require = |method: AuthMethod, valid: &str| -> Result<(), Problem> {
        if m != method {
            only_for(valid)
        } else {
            Ok(())
        }
    };
    let val = o.value.as_str();
    match o.name.as_str() {
        "map" => {
            let mut ok = matches!(m, AuthMethod::Ident | AuthMethod::Peer | AuthMethod::Gss | AuthMethod::Sspi | AuthMethod::Cert);
            if v >= 18 {
                ok |= m == AuthMethod::OAuth;
                if !ok {
                    return only_for("ident, peer, gssapi, sspi, cert, and oauth");
                }
            } else if !ok {
                return only_for("ident, peer, gssapi, sspi, and cert");
            }
        }
        "clientcert" => {
            if r.conn_type != ConnType::HostSsl {
                return Err(refused(loc, "clientcert can only be configured for \"hostssl\" rows"));
            }
            if v >= 14 {
                match val {
                    "verify-full" => r.clientcert = ClientCert::VerifyFull,
                    // PostgreSQL 15 (checked against the server) words it "can only be set
                    // to"; the current sources say "only accepts".
                    "verify-ca" if m == AuthMethod::Cert && v <= 15 => {
                        return Err(refused(
                            loc,
                            "clientcert can only be set to \"verify-full\" when using \"cert\" authentication",
                        ))
                    }
                    "verify-ca" if m == AuthMethod::Cert => {
                        return Err(refused(
                            loc,
                            "clientcert only accepts \"verify-full\" when using \"cert\" authentication",
                        ))
                    }
                    "verify-ca" => r.clientcert = ClientCert::VerifyCa,
                    _ => return Err(refused(loc, format!("invalid value for clientcert: \"{val}\""))),
                }
            } else {
                match val {
                    "1" | "verify-ca" => r.clientcert = ClientCert::VerifyCa,
                    "verify-full" => r.clientcert = ClientCert::VerifyFull,
                    "0" | "no-verify" if m == AuthMethod::Cert => {
                        return Err(refused(
                            loc,
                            "clientcert can not be set to \"no-verify\" when using \"cert\" authentication",
                        ))
                    }
                    "0" | "no-verify" => r.clientcert = ClientCert::Off,
                    _ => return Err(refused(loc, format!("invalid value for clientcert: \"{val}\""))),
                }
            }
        }
        "clientname" if v >= 14 => {
            if r.conn_type != ConnType::HostSsl {
                return Err(refused(loc, "clientname can only be configured for \"hostssl\" rows"));
            }
            if val != "CN" && val != "DN" {
                return Err(refused(loc, format!("invalid value for clientname: \"{val}\"")));
            }
        }
        "pamservice" | "pam_use_hostname" => require(AuthMethod::Pam, "pam")?,
        "ldapurl" => {
            require(AuthMethod::Ldap, "ldap")?;
            let scheme = val.split_once("://").map(|(s, _)| s);
            match scheme {
                Some("ldap" | "ldaps") => {}
                Some(other) if !other.is_empty() => {
                    return Err(refused(loc, format!("unsupported LDAP URL scheme: {other}")))
                }
                _ => return Err(refused(loc, format!("could not parse LDAP URL \"{val}\": Bad parameter to an ldap routine"))),
            }
        }
        "ldaptls" | "ldapserver" | "ldapbinddn" | "ldapbindpasswd" | "ldapsearchattribute" | "ldapsearchfilter"
        | "ldapbasedn" | "ldapprefix" | "ldapsuffix" => require(AuthMethod::Ldap, "ldap")?,
        "ldapscheme" => {
            require(AuthMethod::Ldap, "ldap")?;
            if val != "ldap" && val != "ldaps" {
                // hba.c logs this and keeps the line.
                r.notes.push(Problem {
                    kind: ProblemKind::Logged,
                    location: loc,
                    message: format!("invalid ldapscheme value: \"{val}\""),
                });
            }
        }
        "ldapport" => {
            require(AuthMethod::Ldap, "ldap")?;
            if atoi(val) == 0 {
                return Err(refused(loc, format!("invalid LDAP port number: \"{val}\"")));
            }
        }
        "krb_realm" | "include_realm" => {
            if !matches!(m, AuthMethod::Gss | AuthMethod::Sspi) {
                return only_for("gssapi and sspi");
            }
        }
        "compat_realm" | "upn_username" => require(AuthMethod::Sspi, "sspi")?,
        "radiusservers" | "radiussecrets" | "radiusports" | "radiusidentifiers" if v <= 18 => {
            require(AuthMethod::Radius, "radius")?;
            let list = split_guc_list(val);
            let what = match o.name.as_str() {
                "radiusservers" => "server",
                "radiussecrets" => "secret",
                "radiusports" => "port",
                _ => "identifiers",
            };
            let Some(list) = list else {
                return Err(refused(loc, format!("could not parse RADIUS {what} list \"{val}\"")));
            };
            if o.name == "radiusports" {
                if let Some(bad) = list.iter().find(|p| atoi(p) == 0) {
                    return Err(refused(loc, format!("invalid RADIUS port number: \"{bad}\"")));
                }
            }
        }
        "issuer" | "scope" | "validator" | "delegate_ident_mapping" if v >= 18 => require(AuthMethod::OAuth, "oauth")?,
        name if v >= 19 && name.starts_with("validator.") => require(AuthMethod::OAuth, "oauth")?,
        name => return Err(refused(loc, format!("unrecognized authentication option name: \"{name}\""))),
    }
    Ok(())
}

fn check_mandatory(r: &HbaRecord, opts: ReadOptions, whole: Location) -> Result<(), Problem> {
    let has = |n: &str| r.option(n).is_some();
    match r.method {
        AuthMethod::Ldap => {
            let url = r.option("ldapurl").map(|o| ldap_url_parts(&o.value)).unwrap_or_default();
            let basedn = has("ldapbasedn") || url.basedn;
            let attr = has("ldapsearchattribute") || url.attribute;
            let filter = has("ldapsearchfilter") || url.filter;
            if has("ldapprefix") || has("ldapsuffix") {
                if basedn || has("ldapbinddn") || has("ldapbindpasswd") || attr || filter {
                    return Err(refused(
                        whole,
                        "cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, ldapsearchfilter, or ldapurl together with ldapprefix",
                    ));
                }
            } else if !basedn {
                return Err(refused(
                    whole,
                    "authentication method \"ldap\" requires argument \"ldapbasedn\", \"ldapprefix\", or \"ldapsuffix\" to be set",
                ));
            }
            if attr && filter {
                return Err(refused(whole, "cannot use ldapsearchattribute together with ldapsearchfilter"));
            }
        }
        AuthMethod::Radius => {
            let list = |n: &str| r.options.iter().rev().find(|o| o.name == n).and_then(|o| split_guc_list(&o.value));
            let servers = list("radiusservers");
            let secrets = list("radiussecrets");
            let Some(servers) = servers else {
                return Err(refused(whole, "authentication method \"radius\" requires argument \"radiusservers\" to be set"));
            };
            let Some(secrets) = secrets else {
                return Err(refused(whole, "authentication method \"radius\" requires argument \"radiussecrets\" to be set"));
            };
            if servers.is_empty() {
                return Err(refused(whole, "list of RADIUS servers cannot be empty"));
            }
            if secrets.is_empty() {
                return Err(refused(whole, "list of RADIUS secrets cannot be empty"));
            }
            if !(secrets.len() == 1 || secrets.len() == servers.len()) {
                return Err(refused(
                    whole,
                    format!(
                        "the number of RADIUS secrets ({}) must be 1 or the same as the number of RADIUS servers ({})",
                        secrets.len(),
                        servers.len()
                    ),
                ));
            }
            for (name, what) in [("radiusports", "ports"), ("radiusidentifiers", "identifiers")] {
                if let Some(l) = list(name) {
                    if !(l.len() <= 1 || l.len() == servers.len()) {
                        return Err(refused(
                            whole,
                            format!(
                                "the number of RADIUS {what} ({}) must be 1 or the same as the number of RADIUS servers ({})",
                                l.len(),
                                servers.len()
                            ),
                        ));
                    }
                }
            }
        }
        AuthMethod::OAuth if opts.pg_version >= 18 => {
            if !has("scope") {
                return Err(refused(whole, "authentication method \"oauth\" requires argument \"scope\" to be set"));
            }
            if !has("issuer") {
                return Err(refused(whole, "authentication method \"oauth\" requires argument \"issuer\" to be set"));
            }
            if r.option("delegate_ident_mapping").is_some_and(|o| o.value == "1") && has("map") {
                return Err(refused(whole, "delegate_ident_mapping cannot be used in combination with map"));
            }
        }
        _ => {}
    }
    Ok(())
}

#[derive(Default)]
struct LdapUrlParts {
    basedn: bool,
    attribute: bool,
    filter: bool,
}

/// The parts of `ldap://host:port/basedn?attribute?scope?filter` that hba.c copies.
fn ldap_url_parts(url: &str) -> LdapUrlParts {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let Some((_, path)) = rest.split_once('/') else { return LdapUrlParts::default() };
    let mut parts = path.split('?');
    let dn = parts.next().unwrap_or("");
    let attrs = parts.next().unwrap_or("");
    let _scope = parts.next();
    let filter = parts.next().unwrap_or("");
    LdapUrlParts { basedn: !dn.is_empty(), attribute: !attrs.is_empty(), filter: !filter.is_empty() }
}

/// C's `atoi`: blanks, a sign, then digits up to the first non-digit.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = d.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n = digits.parse::<i64>().unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
    if neg {
        -n
    } else {
        n
    }
}

/// `SplitGUCList`: comma-separated, blanks trimmed, `"..."` quoting with `""`; None on a
/// syntax error (an empty element, an unterminated quote).
fn split_guc_list(s: &str) -> Option<Vec<String>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] as char).is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if i == b.len() {
        return Some(out);
    }
    loop {
        let mut item = Vec::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match b.get(i) {
                    None => return None,
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                        item.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        item.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < b.len() && b[i] != b',' && !(b[i] as char).is_ascii_whitespace() {
                item.push(b[i]);
                i += 1;
            }
            if item.is_empty() {
                return None;
            }
        }
        skip_ws(&mut i);
        out.push(String::from_utf8_lossy(&item).into_owned());
        match b.get(i) {
            None => return Some(out),
            Some(b',') => {
                i += 1;
                skip_ws(&mut i);
            }
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::InputKind;
    use crate::source::SourceFile;

    fn read(text: &str, v: u32) -> HbaFile {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
        read_hba(&inputs, 0, ReadOptions::new(v))
    }

    fn error(text: &str, v: u32) -> Option<String> {
        read(text, v).problems.into_iter().find(|p| p.kind == ProblemKind::Refused).map(|p| p.message)
    }

    #[test]
    fn inet_aton_forms_are_addresses() {
        assert_eq!(parse_numeric_host("127.1"), Some("127.0.0.1".parse().unwrap()));
        assert_eq!(parse_numeric_host("10"), Some("0.0.0.10".parse().unwrap()));
        assert_eq!(parse_numeric_host("0x7f.0.0.1"), Some("127.0.0.1".parse().unwrap()));
        assert_eq!(parse_numeric_host("010.0.0.1"), Some("8.0.0.1".parse().unwrap()));
        assert_eq!(parse_numeric_host("::1"), Some("::1".parse().unwrap()));
        assert_eq!(parse_numeric_host("256.0.0.1"), None);
        assert_eq!(parse_numeric_host("db.example.com"), None);
    }

    #[test]
    fn address_forms() {
        let f = read("host all all 10.0.0.0 255.0.0.0 md5\nhost all all ::/0 md5\nhost all all .example.com md5", 16);
        let r: Vec<_> = f.records().collect();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].address.as_ref().unwrap().display_netmask().as_deref(), Some("255.0.0.0"));
        assert_eq!(r[2].address, Some(HbaAddress::Hostname(".example.com".into())));
        assert_eq!(error("host all all 10.0.0.0 ffff:: md5", 16).as_deref(), Some("IP address and mask do not match"));
        assert_eq!(
            error("host all all db.example.com/24 md5", 16).as_deref(),
            Some("specifying both host name and CIDR mask is invalid: \"db.example.com/24\"")
        );
        assert_eq!(error("host all all 10.0.0.0/33 md5", 16).as_deref(), Some("invalid CIDR mask in address \"10.0.0.0/33\""));
        assert_eq!(error("host all all 10.0.0.0 md5", 16).as_deref(), Some("invalid IP mask \"md5\": Name or service not known"));
    }

    #[test]
    fn method_and_type_constraints() {
        assert_eq!(error("host all all all peer", 16).as_deref(), Some("peer authentication is only supported on local sockets"));
        assert_eq!(error("host all all all cert", 16).as_deref(), Some("cert authentication is only supported on hostssl connections"));
        assert_eq!(error("local all all gss", 16).as_deref(), Some("gssapi authentication is not supported on local sockets"));
        assert_eq!(read("local all all ident", 16).records().next().unwrap().method, AuthMethod::Peer);
        assert_eq!(error("local all all radius radiusservers=127.0.0.1 radiussecrets=x", 19).as_deref(), Some("invalid authentication method \"radius\""));
        assert_eq!(error("local all all oauth", 17).as_deref(), Some("invalid authentication method \"oauth\""));
        assert_eq!(
            error("local all all oauth issuer=https://x", 18).as_deref(),
            Some("authentication method \"oauth\" requires argument \"scope\" to be set")
        );
        assert_eq!(error("local all all oauth issuer=https://x scope=openid", 18), None);
        assert_eq!(error("Local all all trust", 16).as_deref(), Some("invalid connection type \"Local\""));
        assert_eq!(error("local all all Trust", 16).as_deref(), Some("invalid authentication method \"Trust\""));
    }

    #[test]
    fn clientcert_by_version() {
        assert_eq!(error("host all all all trust clientcert=verify-full", 16).as_deref(), Some("clientcert can only be configured for \"hostssl\" rows"));
        assert_eq!(
            error("hostssl all all all cert clientcert=verify-ca", 16).as_deref(),
            Some("clientcert only accepts \"verify-full\" when using \"cert\" authentication")
        );
        assert_eq!(
            error("hostssl all all all cert clientcert=verify-ca", 15).as_deref(),
            Some("clientcert can only be set to \"verify-full\" when using \"cert\" authentication")
        );
        assert_eq!(error("hostssl all all all md5 clientcert=1", 14).as_deref(), Some("invalid value for clientcert: \"1\""));
        assert_eq!(error("hostssl all all all md5 clientcert=1", 13), None);
        assert_eq!(error("hostssl all all all md5 clientname=DN", 13).as_deref(), Some("unrecognized authentication option name: \"clientname\""));
        assert_eq!(read("hostssl all all all cert", 16).records().next().unwrap().clientcert, ClientCert::VerifyFull);
    }

    #[test]
    fn options_belong_to_their_methods() {
        assert_eq!(
            error("host all all all md5 map=x", 16).as_deref(),
            Some("authentication option \"map\" is only valid for authentication methods ident, peer, gssapi, sspi, and cert")
        );
        assert_eq!(error("host all all all ldap ldapserver=h", 16).as_deref(), Some("authentication method \"ldap\" requires argument \"ldapbasedn\", \"ldapprefix\", or \"ldapsuffix\" to be set"));
        assert_eq!(
            error("host all all all ldap ldapprefix=cn= ldapbasedn=dc=x", 16).as_deref(),
            Some("cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, ldapsearchfilter, or ldapurl together with ldapprefix")
        );
        assert_eq!(error("host all all all md5 foo", 16).as_deref(), Some("authentication option not in name=value format: foo"));
    }

    #[test]
    fn includes_from_16_only() {
        assert_eq!(error("include other.conf", 15).as_deref(), Some("invalid connection type \"include\""));
        let f = read("include other.conf\nlocal all all trust", 16);
        assert!(matches!(f.entries[0], HbaEntry::Unknown { .. }));
        assert!(f.problems.iter().any(|p| p.kind == ProblemKind::NotGiven));
    }

    #[test]
    fn unreadable_regexes_are_noted_from_16() {
        let f = read("host \"/a(\" all all trust", 16);
        assert!(f.problems.iter().any(|p| p.kind == ProblemKind::Logged && p.message.starts_with("regular expression \"a(\"")));
        assert!(read("host \"/a(\" all all trust", 15).problems.is_empty());
    }

    #[test]
    fn include_dir_reads_the_given_conf_files_in_order() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, "include_dir hba.d\nlocal all all peer\n"));
        inputs.push(SourceFile::from_text("hba.d/20-b.conf", InputKind::Unknown, "host all all ::/0 md5\n"));
        inputs.push(SourceFile::from_text("hba.d/10-a.conf", InputKind::Unknown, "host all all 0.0.0.0/0 md5\n"));
        inputs.push(SourceFile::from_text("hba.d/.hidden.conf", InputKind::Unknown, "bad\n"));
        inputs.push(SourceFile::from_text("hba.d/notes.txt", InputKind::Unknown, "bad\n"));
        let f = read_hba(&inputs, 0, ReadOptions::new(16));
        let files: Vec<FileId> = f.records().map(|r| r.file).collect();
        assert_eq!(files, vec![2, 1, 0]);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn empty_file_has_no_entries() {
        assert!(error("# nothing\n", 16).unwrap().contains("contains no entries"));
    }
}
