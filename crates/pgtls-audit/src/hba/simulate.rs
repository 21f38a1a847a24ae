//! First-match simulation (`check_hba` in hba.c): which line a connection meets, and what the
//! answer depends on when the file alone cannot tell (role membership, reverse DNS, the
//! server's own addresses, files that were not given).
//!
//! Also the coverage relation between lines that the exposure matrix and the shadowed-rule
//! check share: when does an earlier line take every connection a later one could get.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::record::{AuthMethod, ConnType, HbaAddress, HbaEntry, HbaFile, HbaRecord};
use super::token::{AuthField, AuthToken};

/// Where a connection comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A Unix-domain socket.
    Local,
    Ip(IpAddr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub source: Source,
    pub database: String,
    pub user: String,
    pub ssl: bool,
    /// GSSAPI encryption (not GSSAPI authentication).
    pub gss: bool,
    /// A physical replication connection (`replication=true`); logical replication connects
    /// to an ordinary database name.
    pub replication: bool,
}

/// Something the file cannot show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The user is a member (directly or indirectly, superuser status aside) of the role.
    RoleMember { role: String },
    /// `samerole`: the user is a member of the role named like the database.
    SameRole { role: String },
    /// The client's address resolves (reverse DNS, confirmed forward) to this name, or with a
    /// leading dot to a name under this domain.
    HostName { name: String },
    /// The client address is one of the server's own addresses.
    SameHost,
    /// The client address is in a subnet the server is directly connected to.
    SameNet,
    /// `@file` names a file that was not given.
    FileNotGiven { name: String },
    /// A PostgreSQL regular expression this audit cannot evaluate.
    Regex { pattern: String },
    /// Rules in an include that was not given.
    Include { what: String },
}

impl Condition {
    pub fn describe(&self, cx: &Connection) -> String {
        match self {
            Condition::RoleMember { role } => format!("user \"{}\" is a member of role \"{role}\"", cx.user),
            Condition::SameRole { role } => format!("user \"{}\" is a member of role \"{role}\" (samerole)", cx.user),
            Condition::HostName { name } if name.starts_with('.') => {
                format!("the client's address resolves (reverse DNS, confirmed forward) to a name ending in \"{name}\"")
            }
            Condition::HostName { name } => {
                format!("the client's address resolves (reverse DNS, confirmed forward) to \"{name}\"")
            }
            Condition::SameHost => "the client address is one of the server's own addresses (samehost)".into(),
            Condition::SameNet => "the client address is on a subnet the server is directly connected to (samenet)".into(),
            Condition::FileNotGiven { name } => format!("the file \"@{name}\" (not given) lists a matching name"),
            Condition::Regex { pattern } => format!("the regular expression \"{pattern}\" matches"),
            Condition::Include { what } => format!("{what} (not given) hold a matching line"),
        }
    }
}

/// Whether one field, or a whole line, matches.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    /// Matches if any of these holds.
    Maybe(Vec<Condition>),
}

/// The simulator's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The entry (index into [`HbaFile::entries`]) matches; its method decides.
    Match { entry: usize, method: AuthMethod },
    /// No line matches: "no pg_hba.conf entry for ...".
    ImplicitReject,
    /// The entry matches only if every group holds (each group: any one of its conditions).
    Depends { entry: usize, requires: Vec<Vec<Condition>>, if_yes: Box<Outcome>, if_no: Box<Outcome> },
}

/// Runs the first-match scan.
pub fn simulate(file: &HbaFile, cx: &Connection, pg_version: u32) -> Outcome {
    simulate_from(file, cx, pg_version, 0)
}

fn simulate_from(file: &HbaFile, cx: &Connection, v: u32, start: usize) -> Outcome {
    for (i, entry) in file.entries.iter().enumerate().skip(start) {
        let (requires, method) = match entry {
            HbaEntry::Record(r) => match line_matches(r, cx, v) {
                None => continue,
                Some(req) => (req, r.method),
            },
            HbaEntry::Invalid { .. } => continue,
            HbaEntry::Unknown { what, .. } => {
                let req = vec![vec![Condition::Include { what: what.clone() }]];
                return Outcome::Depends {
                    entry: i,
                    requires: req,
                    if_yes: Box::new(Outcome::ImplicitReject),
                    if_no: Box::new(simulate_from(file, cx, v, i + 1)),
                };
            }
        };
        if requires.is_empty() {
            return Outcome::Match { entry: i, method };
        }
        return Outcome::Depends {
            entry: i,
            requires,
            if_yes: Box::new(Outcome::Match { entry: i, method }),
            if_no: Box::new(simulate_from(file, cx, v, i + 1)),
        };
    }
    Outcome::ImplicitReject
}

/// None: the line cannot match. Some(groups): it matches if every group holds (empty: always).
fn line_matches(r: &HbaRecord, cx: &Connection, v: u32) -> Option<Vec<Vec<Condition>>> {
    let mut requires = Vec::new();
    let mut add = |t: Tri| -> Option<()> {
        match t {
            Tri::Yes => Some(()),
            Tri::No => None,
            Tri::Maybe(c) => {
                requires.push(c);
                Some(())
            }
        }
    };
    match cx.source {
        Source::Local => {
            if r.conn_type != ConnType::Local {
                return None;
            }
        }
        Source::Ip(ip) => {
            if !r.conn_type.accepts_tcp(cx.ssl, cx.gss) {
                return None;
            }
            add(address_matches(r.address.as_ref()?, ip))?;
        }
    }
    add(database_matches(&r.databases, cx, v))?;
    add(user_matches(&r.users, cx, v))?;
    Some(requires)
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.octets()[0] == 127,
        IpAddr::V6(a) => a == Ipv6Addr::LOCALHOST,
    }
}

fn address_matches(a: &HbaAddress, ip: IpAddr) -> Tri {
    match a {
        HbaAddress::All => Tri::Yes,
        HbaAddress::Ip { addr, mask } => {
            if HbaAddress::ip_contains(*addr, *mask, ip) {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        // The loopback interface's own addresses are the server's; the rest of 127/8 is on
        // its subnet. Any other address needs the server's interface list.
        HbaAddress::SameHost if ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST) => Tri::Yes,
        HbaAddress::SameHost => Tri::Maybe(vec![Condition::SameHost]),
        HbaAddress::SameNet if is_loopback(ip) => Tri::Yes,
        HbaAddress::SameNet => Tri::Maybe(vec![Condition::SameNet]),
        HbaAddress::Hostname(name) => Tri::Maybe(vec![Condition::HostName { name: name.clone() }]),
    }
}

fn token_matches(t: &AuthToken, name: &str, v: u32) -> Tri {
    if t.is_regex(v) {
        match regex_lite::Regex::new(&t.text[1..]) {
            Ok(re) if re.is_match(name) => Tri::Yes,
            Ok(_) => Tri::No,
            Err(_) => Tri::Maybe(vec![Condition::Regex { pattern: t.text.clone() }]),
        }
    } else if t.text == name {
        Tri::Yes
    } else {
        Tri::No
    }
}

/// Any token: Yes if one says yes, else Maybe with every uncertain token, else No.
fn any_of(field: &AuthField, mut each: impl FnMut(&AuthToken) -> Tri) -> Tri {
    let mut maybe = Vec::new();
    for t in &field.tokens {
        match each(t) {
            Tri::Yes => return Tri::Yes,
            Tri::No => {}
            Tri::Maybe(c) => maybe.extend(c),
        }
    }
    maybe.extend(field.unresolved.iter().map(|u| Condition::FileNotGiven { name: u.name.clone() }));
    if maybe.is_empty() {
        Tri::No
    } else {
        Tri::Maybe(maybe)
    }
}

fn database_matches(field: &AuthField, cx: &Connection, v: u32) -> Tri {
    any_of(field, |t| {
        if cx.replication {
            // A physical replication connection matches only the replication keyword.
            return if t.is_keyword("replication") { Tri::Yes } else { Tri::No };
        }
        if t.is_keyword("all") {
            Tri::Yes
        } else if t.is_keyword("sameuser") {
            if cx.database == cx.user {
                Tri::Yes
            } else {
                Tri::No
            }
        } else if t.is_keyword("samerole") || t.is_keyword("samegroup") {
            if cx.database == cx.user {
                Tri::Yes
            } else {
                Tri::Maybe(vec![Condition::SameRole { role: cx.database.clone() }])
            }
        } else if t.is_keyword("replication") {
            Tri::No
        } else {
            token_matches(t, &cx.database, v)
        }
    })
}

fn user_matches(field: &AuthField, cx: &Connection, v: u32) -> Tri {
    any_of(field, |t| {
        if !t.quoted && t.text.starts_with('+') {
            let role = &t.text[1..];
            // A role is a member of itself.
            if role == cx.user {
                Tri::Yes
            } else {
                Tri::Maybe(vec![Condition::RoleMember { role: role.to_string() }])
            }
        } else if t.is_keyword("all") {
            Tri::Yes
        } else {
            token_matches(t, &cx.user, v)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Coverage between lines.

/// Which connections of a class the matrix and the rules reason about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientClass {
    RemoteIpv4,
    RemoteIpv6,
    Loopback,
    UnixSocket,
}

const LOOPBACK_REPS: [IpAddr; 2] = [IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)];

/// Whether a network lies wholly inside loopback (127/8 or ::1).
fn net_is_loopback_only(addr: IpAddr, mask: IpAddr) -> bool {
    match (addr, mask) {
        (IpAddr::V4(a), IpAddr::V4(m)) => u32::from(m) & 0xff00_0000 == 0xff00_0000 && a.octets()[0] == 127,
        (IpAddr::V6(a), IpAddr::V6(m)) => u128::from(m) == u128::MAX && a == Ipv6Addr::LOCALHOST,
        _ => false,
    }
}

/// How a line's address meets a class: not at all, for certain, or under a condition.
pub fn address_in_class(a: Option<&HbaAddress>, conn_type: ConnType, class: ClientClass) -> Option<bool> {
    if class == ClientClass::UnixSocket {
        return (conn_type == ConnType::Local).then_some(false);
    }
    if conn_type == ConnType::Local {
        return None;
    }
    let a = a?;
    match (class, a) {
        (_, HbaAddress::All) => Some(false),
        (ClientClass::RemoteIpv4, HbaAddress::Ip { addr: addr @ IpAddr::V4(_), mask })
        | (ClientClass::RemoteIpv6, HbaAddress::Ip { addr: addr @ IpAddr::V6(_), mask }) => {
            (!net_is_loopback_only(*addr, *mask)).then_some(false)
        }
        (ClientClass::Loopback, HbaAddress::Ip { addr, mask }) => {
            LOOPBACK_REPS.iter().any(|r| HbaAddress::ip_contains(*addr, *mask, *r)).then_some(false)
        }
        (ClientClass::Loopback, HbaAddress::SameHost | HbaAddress::SameNet) => Some(false),
        (ClientClass::RemoteIpv4 | ClientClass::RemoteIpv6, HbaAddress::SameNet) => Some(true),
        (ClientClass::Loopback, HbaAddress::Hostname(h)) => h.eq_ignore_ascii_case("localhost").then_some(true),
        (ClientClass::RemoteIpv4 | ClientClass::RemoteIpv6, HbaAddress::Hostname(h)) => {
            (!h.eq_ignore_ascii_case("localhost")).then_some(true)
        }
        _ => None,
    }
}

/// Whether an earlier line `e` takes every address `l` could match within the class.
fn address_covers(e: &HbaRecord, l: &HbaRecord, class: Option<ClientClass>) -> bool {
    if e.conn_type == ConnType::Local || l.conn_type == ConnType::Local {
        return e.conn_type == l.conn_type;
    }
    let (Some(ea), Some(la)) = (&e.address, &l.address) else { return false };
    if ea == &HbaAddress::All || ea == la {
        return true;
    }
    if let (HbaAddress::Ip { addr: eaddr, mask: emask }, HbaAddress::Ip { addr: laddr, mask: lmask }) = (ea, la) {
        if eaddr.is_ipv6() == laddr.is_ipv6() {
            let (em, lm, en, ln) = match (eaddr, emask, laddr, lmask) {
                (IpAddr::V4(a), IpAddr::V4(m), IpAddr::V4(b), IpAddr::V4(n)) => {
                    (u32::from(*m) as u128, u32::from(*n) as u128, u32::from(*a) as u128, u32::from(*b) as u128)
                }
                (IpAddr::V6(a), IpAddr::V6(m), IpAddr::V6(b), IpAddr::V6(n)) => {
                    (u128::from(*m), u128::from(*n), u128::from(*a), u128::from(*b))
                }
                _ => return false,
            };
            // Every bit e looks at, l fixes to the same value.
            if em & lm == em && en & em == ln & em {
                return true;
            }
        }
    }
    match (class, ea) {
        (Some(ClientClass::RemoteIpv4), HbaAddress::Ip { addr: IpAddr::V4(_), mask }) => mask.is_unspecified(),
        (Some(ClientClass::RemoteIpv6), HbaAddress::Ip { addr: IpAddr::V6(_), mask }) => mask.is_unspecified(),
        (Some(ClientClass::Loopback), _) => LOOPBACK_REPS.iter().all(|r| {
            let l_has = match la {
                HbaAddress::Ip { addr, mask } => HbaAddress::ip_contains(*addr, *mask, *r),
                HbaAddress::Hostname(_) | HbaAddress::All | HbaAddress::SameHost | HbaAddress::SameNet => true,
            };
            !l_has || address_matches(ea, *r) == Tri::Yes
        }),
        _ => false,
    }
}

/// Whether connection type `e` matches every connection type `l` matches, for the class's
/// SSL state when one is given.
fn type_covers(e: ConnType, l: ConnType, ssl: Option<bool>) -> bool {
    use ConnType::*;
    if let Some(ssl) = ssl {
        if l == Local || e == Local {
            return e == l;
        }
        return e.accepts_tcp(ssl, false) || (!ssl && e.accepts_tcp(false, true) && l == HostGssEnc);
    }
    match (e, l) {
        (a, b) if a == b => true,
        (Host, Local) | (_, Local) | (Local, _) => false,
        (Host, _) => true,
        (HostNoSsl, HostGssEnc) => true,
        (HostNoGssEnc, HostSsl) => true,
        _ => false,
    }
}

fn same_token(a: &AuthToken, b: &AuthToken) -> bool {
    a.text == b.text && a.quoted == b.quoted
}

/// Database kinds: ordinary connections and physical replication connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Normal,
    Replication,
}

/// Whether a line's database field can match this kind at all.
pub fn db_can_match(field: &AuthField, kind: DbKind) -> bool {
    let unknown = !field.unresolved.is_empty();
    match kind {
        DbKind::Replication => unknown || field.tokens.iter().any(|t| t.is_keyword("replication")),
        DbKind::Normal => unknown || field.tokens.iter().any(|t| !t.is_keyword("replication")),
    }
}

fn db_covers(e: &AuthField, l: &AuthField, kind: DbKind) -> bool {
    match kind {
        DbKind::Replication => e.tokens.iter().any(|t| t.is_keyword("replication")),
        DbKind::Normal => {
            e.tokens.iter().any(|t| t.is_keyword("all"))
                || (l.unresolved.is_empty()
                    && l.tokens
                        .iter()
                        .filter(|t| !t.is_keyword("replication"))
                        .all(|t| e.tokens.iter().any(|x| same_token(x, t))))
        }
    }
}

fn user_covers(e: &AuthField, l: &AuthField) -> bool {
    e.tokens.iter().any(|t| t.is_keyword("all"))
        || (l.unresolved.is_empty() && l.tokens.iter().all(|t| e.tokens.iter().any(|x| same_token(x, t))))
}

/// Whether `e` takes every connection of `kind` that `l` could get (within a class and SSL
/// state when given).
pub fn covers(e: &HbaRecord, l: &HbaRecord, kind: DbKind, class: Option<(ClientClass, bool)>) -> bool {
    type_covers(e.conn_type, l.conn_type, class.map(|c| c.1))
        && address_covers(e, l, class.map(|c| c.0))
        && db_can_match(&e.databases, kind)
        && db_covers(&e.databases, &l.databases, kind)
        && user_covers(&e.users, &l.users)
}

/// Which earlier line shadows each entry, and which entries can accept each class of client:
/// the shadow search compares a line with every line above it, and half a dozen rules plus
/// the exposure matrix ask the same questions of a file, so each answer is worked out once.
/// Entries are not changed after reading, so an answer never goes stale.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    shadowed: std::sync::OnceLock<Vec<Option<usize>>>,
    exposure: [std::sync::OnceLock<Vec<usize>>; 8],
    users: std::sync::OnceLock<UserIndex>,
}

/// The records by user token. A line can only be taken by an earlier one whose user field is
/// `all` or names the line's first user (see `user_covers`), so the shadow search looks at
/// those alone instead of at every line above: on a pg_hba.conf of a thousand per-user lines
/// that is a handful of comparisons a line rather than hundreds.
#[derive(Clone, Debug, Default)]
struct UserIndex {
    /// Entry indices of records whose user field holds the keyword `all`, ascending.
    all: Vec<usize>,
    /// Entry indices by user token (text, quoted), ascending.
    by_token: std::collections::HashMap<(String, bool), Vec<usize>>,
}

impl UserIndex {
    fn of(file: &HbaFile) -> UserIndex {
        let mut index = UserIndex::default();
        for (i, e) in file.entries.iter().enumerate() {
            let HbaEntry::Record(r) = e else { continue };
            if r.users.tokens.iter().any(|t| t.is_keyword("all")) {
                index.all.push(i);
            }
            for t in &r.users.tokens {
                let list = index.by_token.entry((t.text.clone(), t.quoted)).or_default();
                // A token named twice on one line is listed once.
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        index
    }

    /// The records before `index` that could cover `l`'s users, ascending; every record when
    /// `l` names no user at all.
    fn candidates(&self, l: &HbaRecord, index: usize) -> Option<Vec<usize>> {
        let first = l.users.tokens.first()?;
        if !l.users.unresolved.is_empty() {
            return Some(self.all.iter().copied().take_while(|&i| i < index).collect());
        }
        let named = self.by_token.get(&(first.text.clone(), first.quoted)).map_or(&[][..], Vec::as_slice);
        let (mut a, mut b) = (self.all.iter().copied().peekable(), named.iter().copied().peekable());
        let mut out = Vec::new();
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&x), Some(&y)) if x == y => {
                    b.next();
                    a.next()
                }
                (Some(&x), Some(&y)) => if x < y { a.next() } else { b.next() },
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => None,
            };
            match next {
                Some(i) if i < index => out.push(i),
                _ => return Some(out),
            }
        }
    }
}

/// A memo is derived from the entries, so it takes no part in comparing files.
impl PartialEq for Memo {
    fn eq(&self, _: &Memo) -> bool {
        true
    }
}

impl Eq for Memo {}

impl Memo {
    /// [`shadowed_by`] for any client, remembered for every entry of `file`.
    pub(crate) fn shadowed(&self, file: &HbaFile, index: usize) -> Option<usize> {
        self.shadowed.get_or_init(|| (0..file.entries.len()).map(|i| shadowed_by(file, i, None)).collect())[index]
    }

    fn users(&self, file: &HbaFile) -> &UserIndex {
        self.users.get_or_init(|| UserIndex::of(file))
    }

    /// The entries `compute` picks for a client class with or without SSL, remembered.
    pub(crate) fn exposure(
        &self,
        class: ClientClass,
        ssl: bool,
        compute: impl FnOnce() -> Vec<usize>,
    ) -> &[usize] {
        self.exposure[class as usize * 2 + ssl as usize].get_or_init(compute)
    }
}

/// The earlier entry that takes every connection `l` (at `index`) could get, if any; Unknown
/// entries stop the search since their rules are not known.
pub fn shadowed_by(file: &HbaFile, index: usize, class: Option<(ClientClass, bool)>) -> Option<usize> {
    let HbaEntry::Record(l) = &file.entries[index] else { return None };
    let kinds: Vec<DbKind> =
        [DbKind::Normal, DbKind::Replication].into_iter().filter(|k| db_can_match(&l.databases, *k)).collect();
    if kinds.is_empty() {
        return None;
    }
    let candidates = file.memo.users(file).candidates(l, index);
    let covering = |kind: DbKind| {
        let covers_at = |i: usize| match &file.entries[i] {
            HbaEntry::Record(e) if covers(e, l, kind, class) => Some(i),
            _ => None,
        };
        match &candidates {
            Some(list) => list.iter().find_map(|&i| covers_at(i)),
            None => (0..index).find_map(covers_at),
        }
    };
    let mut by = None;
    for kind in kinds {
        let found = covering(kind)?;
        by = Some(by.map_or(found, |b: usize| b.max(found)));
    }
    by
}

// ---------------------------------------------------------------------------------------------
// Words for the answer.

/// The server's message for a connection no line matches (`ClientAuthentication` in auth.c).
pub fn no_entry_message(cx: &Connection, pg_version: u32) -> String {
    let host = match cx.source {
        Source::Local => "[local]".to_string(),
        Source::Ip(ip) => ip.to_string(),
    };
    let encryption = if pg_version >= 14 {
        if cx.ssl {
            "SSL encryption"
        } else if cx.gss {
            "GSS encryption"
        } else {
            "no encryption"
        }
    } else if cx.ssl {
        "SSL on"
    } else {
        "SSL off"
    };
    if cx.replication {
        format!("no pg_hba.conf entry for replication connection from host \"{host}\", user \"{}\", {encryption}", cx.user)
    } else {
        format!("no pg_hba.conf entry for host \"{host}\", user \"{}\", database \"{}\", {encryption}", cx.user, cx.database)
    }
}

/// The simulator's answer, shaped for a form that asks "who gets in?": a verdict, the line
/// that decides (with its file and 1-based number), its method, and the answer in words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    pub verdict: Verdict,
    /// The deciding line: the one that matches, or the one whose match the file cannot tell.
    pub line: Option<DecidingLine>,
    /// The deciding line's method (`reject` included); none for the implicit reject.
    pub method: Option<String>,
    /// What [`explain`] says.
    pub explanation: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A line with an authentication method matches: the client may log in with it.
    Accepted,
    /// A `reject` line matches, or no line does.
    Rejected,
    /// It turns on something the file cannot show (role membership, reverse DNS, ...).
    Depends,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecidingLine {
    pub file: String,
    pub line: usize,
    pub text: String,
}

impl Connection {
    /// Whether a form's address field names a Unix socket (`local`) rather than an IP address.
    pub fn names_socket(address: &str) -> bool {
        address.trim().eq_ignore_ascii_case("local")
    }

    /// A connection from a form's fields: `address` is an IP address or `local` (a Unix
    /// socket). Errors name the field and say what it takes.
    pub fn from_fields(address: &str, database: &str, user: &str, ssl: bool, replication: bool) -> Result<Connection, String> {
        let address = address.trim();
        let source = if Connection::names_socket(address) {
            Source::Local
        } else {
            match address.parse::<IpAddr>() {
                Ok(ip) => Source::Ip(ip),
                Err(_) if address.is_empty() => return Err("address: give an IP address, or `local` for a Unix socket".into()),
                Err(_) => return Err(format!("address: \"{address}\" is not an IP address (nor `local`); host names are resolved by the client, give the address the server sees")),
            }
        };
        if ssl && source == Source::Local {
            return Err("ssl: a Unix-socket connection never uses SSL".into());
        }
        let database = database.trim();
        if database.is_empty() && !replication {
            return Err("database: give the database the client asks for".into());
        }
        let user = user.trim();
        if user.is_empty() {
            return Err("user: give the role the client connects as".into());
        }
        Ok(Connection { source, database: database.to_string(), user: user.to_string(), ssl, gss: false, replication })
    }
}

/// Runs the simulator and shapes its answer (see [`Answer`]).
pub fn answer(inputs: &crate::source::Inputs, file: &HbaFile, cx: &Connection, pg_version: u32) -> Answer {
    let outcome = simulate(file, cx, pg_version);
    let explanation = explain(inputs, file, cx, &outcome, pg_version);
    let deciding = |entry: usize| {
        let (fid, span) = entry_span(file, entry);
        let src = inputs.file(fid);
        DecidingLine {
            file: src.name.clone(),
            line: src.line_col(span.start, crate::source::ColumnUnit::Utf8).line,
            text: super::short_text(src.slice(span)).trim().to_string(),
        }
    };
    match &outcome {
        Outcome::Match { entry, method } => Answer {
            verdict: if *method == AuthMethod::Reject { Verdict::Rejected } else { Verdict::Accepted },
            line: Some(deciding(*entry)),
            method: Some(method.as_str().to_string()),
            explanation,
        },
        Outcome::ImplicitReject => Answer { verdict: Verdict::Rejected, line: None, method: None, explanation },
        Outcome::Depends { entry, .. } => {
            let method = match &file.entries[*entry] {
                HbaEntry::Record(r) => Some(r.method.as_str().to_string()),
                _ => None,
            };
            Answer { verdict: Verdict::Depends, line: Some(deciding(*entry)), method, explanation }
        }
    }
}

fn entry_span(file: &HbaFile, entry: usize) -> (crate::source::FileId, crate::source::Span) {
    match &file.entries[entry] {
        HbaEntry::Record(r) => (r.file, r.span),
        HbaEntry::Invalid { file, span, .. } => (*file, *span),
        HbaEntry::Unknown { location, .. } => (location.file, location.span),
    }
}

/// The answer in words: the matching line and its method, the implicit reject, or what the
/// answer depends on and what each case gives.
pub fn explain(inputs: &crate::source::Inputs, file: &HbaFile, cx: &Connection, outcome: &Outcome, pg_version: u32) -> String {
    // ("line N" with the file name when it is not the root, the line's text)
    let line_of = |entry: usize| -> (String, String) {
        let (fid, span) = entry_span(file, entry);
        let src = inputs.file(fid);
        let n = src.line_col(span.start, crate::source::ColumnUnit::Utf8).line;
        let text = super::short_text(src.slice(span));
        let prefix = if fid == file.root { String::new() } else { format!("{} ", src.name) };
        (format!("{prefix}line {n}"), text.trim().to_string())
    };
    fn indent(s: &str) -> String {
        s.lines().collect::<Vec<_>>().join("\n    ")
    }
    match outcome {
        Outcome::Match { entry, method } => {
            let (label, text) = line_of(*entry);
            let mut s = format!("{label}: {text}\nmethod: {}", method.as_str());
            if *method == AuthMethod::Reject {
                let m = no_entry_message(cx, pg_version).replacen("no pg_hba.conf entry for", "pg_hba.conf rejects connection for", 1);
                s.push_str(&format!(" (the server answers: {m})"));
            }
            s
        }
        Outcome::ImplicitReject => format!("no match: rejected (the server answers: {})", no_entry_message(cx, pg_version)),
        Outcome::Depends { entry, requires, if_yes, if_no } => {
            let groups: Vec<String> = requires
                .iter()
                .map(|g| g.iter().map(|c| c.describe(cx)).collect::<Vec<_>>().join(", or "))
                .collect();
            let is_include = matches!(file.entries[*entry], HbaEntry::Unknown { .. });
            let yes = if is_include {
                "a line there decides (not given, so unknown)".to_string()
            } else {
                explain(inputs, file, cx, if_yes, pg_version)
            };
            let no = explain(inputs, file, cx, if_no, pg_version);
            let (label, text) = line_of(*entry);
            format!(
                "The answer depends on what the file cannot show: {label} ({text}) matches only if {}.\n  if so: {}\n  if not: {}",
                groups.join("; and "),
                indent(&yes),
                indent(&no)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::InputKind;
    use crate::hba::record::{read_hba, ReadOptions};
    use crate::source::{Inputs, SourceFile};

    fn file(text: &str) -> HbaFile {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
        read_hba(&inputs, 0, ReadOptions::new(16))
    }

    /// The shadow search without the user index: every earlier line, in order.
    fn shadowed_by_scanning(file: &HbaFile, index: usize, class: Option<(ClientClass, bool)>) -> Option<usize> {
        let HbaEntry::Record(l) = &file.entries[index] else { return None };
        let kinds: Vec<DbKind> =
            [DbKind::Normal, DbKind::Replication].into_iter().filter(|k| db_can_match(&l.databases, *k)).collect();
        if kinds.is_empty() {
            return None;
        }
        let mut by = None;
        for kind in kinds {
            let found = file.entries[..index].iter().enumerate().find_map(|(i, e)| match e {
                HbaEntry::Record(e) if covers(e, l, kind, class) => Some(i),
                _ => None,
            })?;
            by = Some(by.map_or(found, |b: usize| b.max(found)));
        }
        by
    }

    #[test]
    fn the_user_index_finds_what_scanning_every_line_finds() {
        let mut rng = fastrand::Rng::with_seed(6);
        let types = ["local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"];
        let dbs = ["all", "app", "app,reports", "replication", "sameuser", "\"all\"", "@dbs"];
        let users = ["all", "alice", "bob", "alice,bob", "+admins", "\"alice\"", "@users", "/^a", "bob,alice,alice"];
        let addrs = ["0.0.0.0/0", "10.0.0.0/8", "10.1.2.3/32", "::/0", "::1/128", "127.0.0.1/32", "samehost", "all", "db.example.com"];
        let methods = ["trust", "reject", "scram-sha-256", "md5", "cert", "peer"];
        let classes = [None, Some((ClientClass::RemoteIpv4, true)), Some((ClientClass::RemoteIpv6, false)), Some((ClientClass::Loopback, true)), Some((ClientClass::UnixSocket, false))];
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..rng.usize(1..30) {
                let t = types[rng.usize(..types.len())];
                let (db, user) = (dbs[rng.usize(..dbs.len())], users[rng.usize(..users.len())]);
                let method = methods[rng.usize(..methods.len())];
                if t == "local" {
                    text.push_str(&format!("{t} {db} {user} {method}\n"));
                } else {
                    text.push_str(&format!("{t} {db} {user} {} {method}\n", addrs[rng.usize(..addrs.len())]));
                }
            }
            let f = file(&text);
            for i in 0..f.entries.len() {
                for class in classes {
                    assert_eq!(shadowed_by(&f, i, class), shadowed_by_scanning(&f, i, class), "line {i} of\n{text}");
                }
            }
        }
    }

    fn tcp(ip: &str, db: &str, user: &str, ssl: bool) -> Connection {
        Connection { source: Source::Ip(ip.parse().unwrap()), database: db.into(), user: user.into(), ssl, gss: false, replication: false }
    }

    fn inputs_of(text: &str) -> (Inputs, HbaFile) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
        let f = read_hba(&inputs, 0, ReadOptions::new(16));
        (inputs, f)
    }

    #[test]
    fn answer_names_the_deciding_line_and_verdict() {
        let (inputs, f) = inputs_of("# c\nhostnossl all all 0.0.0.0/0 reject\nhostssl all +admins 0.0.0.0/0 cert\nhostssl all all 0.0.0.0/0 scram-sha-256\n");
        let plain = answer(&inputs, &f, &Connection::from_fields("203.0.113.9", "app", "alice", false, false).unwrap(), 16);
        assert_eq!(plain.verdict, Verdict::Rejected);
        assert_eq!(plain.line.as_ref().map(|l| (l.file.as_str(), l.line)), Some(("pg_hba.conf", 2)));
        assert_eq!(plain.method.as_deref(), Some("reject"));
        let ssl = answer(&inputs, &f, &Connection::from_fields("203.0.113.9", "app", "alice", true, false).unwrap(), 16);
        assert_eq!(ssl.verdict, Verdict::Depends, "membership of +admins is not in the file");
        assert_eq!(ssl.line.as_ref().map(|l| l.line), Some(3));
        assert!(ssl.explanation.contains("member of role \"admins\""), "{}", ssl.explanation);
        let v6 = answer(&inputs, &f, &Connection::from_fields("2001:db8::1", "app", "alice", true, false).unwrap(), 16);
        assert_eq!((v6.verdict, v6.line, v6.method), (Verdict::Rejected, None, None));
        assert!(v6.explanation.contains("no pg_hba.conf entry for host \"2001:db8::1\""), "{}", v6.explanation);
        let local = answer(&inputs, &f, &Connection::from_fields("local", "app", "alice", false, false).unwrap(), 16);
        assert_eq!(local.verdict, Verdict::Rejected);
    }

    #[test]
    fn form_fields_are_checked_with_the_field_named() {
        let err = |a: &str, d: &str, u: &str, ssl: bool| Connection::from_fields(a, d, u, ssl, false).unwrap_err();
        assert!(err("", "app", "u", false).starts_with("address:"));
        assert!(err("db.example.com", "app", "u", false).contains("not an IP address"));
        assert!(err("local", "app", "u", true).starts_with("ssl:"));
        assert!(err("10.0.0.1", " ", "u", false).starts_with("database:"));
        assert!(err("10.0.0.1", "app", "", false).starts_with("user:"));
        let c = Connection::from_fields(" LOCAL ", "", "rep", false, true).unwrap();
        assert_eq!((c.source, c.replication), (Source::Local, true));
    }

    #[test]
    fn first_match_wins_and_types_filter_on_ssl() {
        let f = file("hostnossl all all 0.0.0.0/0 reject\nhost all all 0.0.0.0/0 scram-sha-256\n");
        assert_eq!(simulate(&f, &tcp("10.1.1.1", "app", "alice", false), 16), Outcome::Match { entry: 0, method: AuthMethod::Reject });
        assert_eq!(simulate(&f, &tcp("10.1.1.1", "app", "alice", true), 16), Outcome::Match { entry: 1, method: AuthMethod::ScramSha256 });
        assert_eq!(simulate(&f, &tcp("::1", "app", "alice", true), 16), Outcome::ImplicitReject);
    }

    #[test]
    fn replication_matches_only_the_keyword() {
        let f = file("host all all all trust\nhost replication all all md5\n");
        let mut c = tcp("10.0.0.1", "x", "rep", false);
        c.replication = true;
        assert_eq!(simulate(&f, &c, 16), Outcome::Match { entry: 1, method: AuthMethod::Md5 });
    }

    #[test]
    fn role_membership_and_dns_are_dependencies() {
        let f = file("host all +admins all trust\nhost all all db.example.com md5\n");
        let out = simulate(&f, &tcp("10.0.0.1", "x", "bob", false), 16);
        let Outcome::Depends { entry: 0, requires, if_yes, if_no } = out else { panic!("{out:?}") };
        assert_eq!(requires, vec![vec![Condition::RoleMember { role: "admins".into() }]]);
        assert_eq!(*if_yes, Outcome::Match { entry: 0, method: AuthMethod::Trust });
        assert!(matches!(*if_no, Outcome::Depends { entry: 1, .. }));
        // The role itself is a member of itself.
        assert_eq!(simulate(&f, &tcp("10.0.0.1", "x", "admins", false), 16), Outcome::Match { entry: 0, method: AuthMethod::Trust });
    }

    #[test]
    fn regexes_are_evaluated_from_16() {
        let f = file("host \"/^db\\d{2,4}$\" all all trust\n");
        assert_eq!(simulate(&f, &tcp("10.0.0.1", "db123", "u", false), 16), Outcome::Match { entry: 0, method: AuthMethod::Trust });
        assert_eq!(simulate(&f, &tcp("10.0.0.1", "db1", "u", false), 16), Outcome::ImplicitReject);
    }

    #[test]
    fn coverage() {
        let f = file("host all all 10.0.0.0/8 md5\nhostssl app alice 10.1.0.0/16 trust\nhost all all 11.0.0.0/8 md5\n");
        assert_eq!(shadowed_by(&f, 1, None), Some(0));
        assert_eq!(shadowed_by(&f, 2, None), None);
    }
}
