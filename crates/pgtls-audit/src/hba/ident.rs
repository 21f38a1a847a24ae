//! pg_ident.conf: `MAPNAME SYSTEM-USERNAME PG-USERNAME` lines (`parse_ident_line` in hba.c).
//! A system user name starting with `/` is a regular expression; from PostgreSQL 16 the
//! database user name may be one too, and `all` and `+group` work there as in pg_hba.conf.

use crate::source::{FileId, Inputs, Location};

use super::token::{AuthToken, Problem, ProblemKind, Tokenizer};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentMapping {
    pub map: AuthToken,
    pub system_user: AuthToken,
    pub pg_user: AuthToken,
    pub line_number: usize,
    pub location: Location,
}

impl IdentMapping {
    pub fn system_user_is_regex(&self) -> bool {
        self.system_user.text.starts_with('/')
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentFile {
    pub file: FileId,
    pub mappings: Vec<IdentMapping>,
    pub problems: Vec<Problem>,
}

impl IdentFile {
    pub fn maps(&self) -> impl Iterator<Item = &str> {
        self.mappings.iter().map(|m| m.map.text.as_str())
    }
}

pub fn read_ident(inputs: &Inputs, file: FileId, pg_version: u32) -> IdentFile {
    let mut out = IdentFile { file, ..Default::default() };
    read_into(inputs, file, pg_version, &mut vec![file], &mut out);
    out
}

fn read_into(inputs: &Inputs, file: FileId, pg_version: u32, stack: &mut Vec<FileId>, out: &mut IdentFile) {
    let lines = Tokenizer::new(inputs, pg_version).tokenize(file);
    for line in lines {
        // Include records, as in pg_hba.conf (PostgreSQL 16+).
        if pg_version >= 16 && line.error.is_none() && line.fields.len() == 2 {
            let directive = line.fields[0].tokens.first().map(|t| t.text.as_str());
            if let (Some(kind @ ("include" | "include_if_exists" | "include_dir")), Some(target)) =
                (directive, line.fields[1].tokens.first())
            {
                match inputs.find_by_reference(&target.text).filter(|_| kind != "include_dir") {
                    Some(f) if stack.contains(&f) || stack.len() > super::token::MAX_DEPTH => out.problems.push(Problem {
                        kind: ProblemKind::Refused,
                        location: target.location,
                        message: format!("could not open file \"{}\": maximum nesting depth exceeded", target.text),
                    }),
                    Some(f) => {
                        stack.push(f);
                        read_into(inputs, f, pg_version, stack, out);
                        stack.pop();
                    }
                    None => out.problems.push(Problem {
                        kind: ProblemKind::NotGiven,
                        location: target.location,
                        message: format!("included \"{}\" was not given: the user name maps in it are unknown to the audit", target.text),
                    }),
                }
                continue;
            }
        }
        out.problems.extend(line.notes.iter().cloned());
        if let Some(e) = &line.error {
            out.problems.push(e.clone());
            continue;
        }
        if line.fields.is_empty() {
            continue;
        }
        let at_end = Location::new(line.file, crate::source::Span::at(line.span.end));
        let mut tokens = Vec::new();
        let mut failed = false;
        for i in 0..3 {
            let Some(field) = line.fields.get(i) else {
                out.problems.push(Problem {
                    kind: ProblemKind::Refused,
                    location: at_end,
                    message: "missing entry at end of line".into(),
                });
                failed = true;
                break;
            };
            if field.tokens.len() != 1 {
                out.problems.push(Problem {
                    kind: ProblemKind::Refused,
                    location: Location::new(line.file, field.span),
                    message: "multiple values in ident field".into(),
                });
                failed = true;
                break;
            }
            tokens.push(field.tokens[0].clone());
        }
        if failed {
            continue;
        }
        let mut tokens = tokens.into_iter();
        let (map, system_user, pg_user) = (tokens.next().unwrap(), tokens.next().unwrap(), tokens.next().unwrap());
        for t in [&system_user, &pg_user] {
            if t.text.starts_with('/') && (pg_version >= 16 || std::ptr::eq(t, &system_user)) {
                if let Err(e) = regex_lite::Regex::new(&t.text[1..]) {
                    // The regex crate is stricter than PostgreSQL's ARE engine in a few places
                    // (back-references), so this is logged, not counted as a refusal.
                    out.problems.push(Problem {
                        kind: ProblemKind::Logged,
                        location: t.location,
                        message: format!("regular expression \"{}\" could not be checked: {}", &t.text[1..], first_line(&e.to_string())),
                    });
                }
            }
        }
        out.mappings.push(IdentMapping { map, system_user, pg_user, line_number: line.line_number, location: line.location() });
    }
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::InputKind;
    use crate::source::SourceFile;

    #[test]
    fn mappings_and_errors() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text(
            "pg_ident.conf",
            InputKind::PgIdent,
            "# map sys pg\nomicron bryanh bryanh\nomicron /^(.*)@example\\.com$ \\1\nbad a\nbad a,b c\n",
        ));
        let f = read_ident(&inputs, 0, 16);
        assert_eq!(f.mappings.len(), 2);
        assert!(f.mappings[1].system_user_is_regex());
        let messages: Vec<_> = f.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, vec!["missing entry at end of line", "multiple values in ident field"]);
    }

    #[test]
    fn includes_from_16() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_ident.conf", InputKind::PgIdent, "include maps.conf\nm a b\n"));
        inputs.push(SourceFile::from_text("maps.conf", InputKind::Unknown, "web www-data app\n"));
        let f = read_ident(&inputs, 0, 16);
        assert_eq!(f.maps().collect::<Vec<_>>(), vec!["web", "m"]);
        assert!(f.problems.is_empty());
        let f15 = read_ident(&inputs, 0, 15);
        assert_eq!(f15.problems[0].message, "missing entry at end of line");
    }
}
