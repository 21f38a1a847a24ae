//! The "Generate" view's form: what the user types, turned into the engine's generator request.

use pgtls_audit::generate::{self, Driver, GeneratedFile, Platform, Request, RequestError, RequestField};

/// The form as typed: host names and addresses are free text, one or more a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateForm {
    pub pg_version: u32,
    /// DNS names, separated by commas, spaces or new lines.
    pub hosts: String,
    /// IP addresses, separated the same way.
    pub ips: String,
    pub drivers: Vec<Driver>,
    pub platform: Platform,
}

impl Default for GenerateForm {
    fn default() -> Self {
        GenerateForm {
            pg_version: pgtls_audit::options::DEFAULT_PG_VERSION,
            hosts: String::new(),
            ips: String::new(),
            drivers: vec![Driver::Libpq],
            platform: Platform::SelfManaged,
        }
    }
}

/// The items of a list field: separated by commas or white space, empty items dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// One change of the form, applied by the reducer to the form as it is then (so that quick
/// successive edits never overwrite each other).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormEdit {
    PgVersion(u32),
    Hosts(String),
    Ips(String),
    Driver(Driver, bool),
    Platform(Platform),
}

/// The generated set, or every problem with the request.
pub type Generated = Result<Vec<GeneratedFile>, Vec<RequestError>>;

impl GenerateForm {
    pub fn request(&self) -> Request {
        let mut req = Request::new(self.pg_version, self.platform);
        req.hosts = split_list(&self.hosts);
        req.ips = split_list(&self.ips);
        // The engine's order, whatever order the boxes were ticked in.
        req.drivers = Driver::ALL.into_iter().filter(|d| self.drivers.contains(d)).collect();
        req
    }

    pub fn generate(&self) -> Generated {
        let req = self.request();
        let errors = generate::request_errors(&req);
        if !errors.is_empty() {
            return Err(errors);
        }
        generate::generate(&req).map_err(|e| vec![e])
    }

    pub fn apply(&mut self, edit: FormEdit) {
        match edit {
            FormEdit::PgVersion(v) => self.pg_version = v,
            FormEdit::Hosts(text) => self.hosts = text,
            FormEdit::Ips(text) => self.ips = text,
            FormEdit::Driver(driver, on) => self.toggle_driver(driver, on),
            FormEdit::Platform(platform) => self.platform = platform,
        }
    }

    /// Adds or removes a driver.
    pub fn toggle_driver(&mut self, driver: Driver, on: bool) {
        self.drivers.retain(|d| *d != driver);
        if on {
            self.drivers.push(driver);
        }
    }
}

/// The form field a problem is shown at: a missing name or address is said at the host names.
pub fn field_id(field: RequestField) -> &'static str {
    match field {
        RequestField::PgVersion => "gen-pg-version",
        RequestField::Names | RequestField::Hosts => "gen-hosts",
        RequestField::Ips => "gen-ips",
        RequestField::Drivers => "gen-drivers",
        // The page does not ask for these; the generator's defaults always pass.
        RequestField::Database | RequestField::User => "gen-form",
    }
}

/// A problem as the page says it beside its field: the value first, when there is one.
pub fn field_message(error: &RequestError) -> String {
    match &error.value {
        Some(value) => format!("{value}: {}", error.message),
        None => error.message.clone(),
    }
}

/// What the user can pick as the platform, with the words the form shows.
pub fn platform_label(platform: Platform) -> &'static str {
    match platform {
        Platform::SelfManaged => "Self-managed server",
        Platform::Rds => "Amazon RDS / Aurora",
        Platform::CloudSql => "Google Cloud SQL",
        Platform::Azure => "Azure Database for PostgreSQL",
        Platform::Cnpg => "CloudNativePG (Kubernetes)",
    }
}

pub fn driver_label(driver: Driver) -> &'static str {
    match driver {
        Driver::Libpq => "libpq (psql, psycopg, Ruby pg, …)",
        Driver::Jdbc => "JDBC (pgjdbc)",
        Driver::Npgsql => "Npgsql (.NET)",
        Driver::Pgx => "Go pgx / lib/pq",
        Driver::Node => "node-postgres",
        Driver::Sqlalchemy => "SQLAlchemy (psycopg 2)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_white_space() {
        assert_eq!(split_list(" db.example.com, db2.example.com\nreplica.example.com  "), vec![
            "db.example.com",
            "db2.example.com",
            "replica.example.com"
        ]);
        assert!(split_list(" , \n").is_empty());
    }

    #[test]
    fn the_form_generates_what_the_engine_generates() {
        let mut form = GenerateForm::default();
        for edit in [
            FormEdit::Hosts("db.example.com".into()),
            FormEdit::Ips("10.0.0.5".into()),
            FormEdit::Driver(Driver::Jdbc, true),
            FormEdit::Driver(Driver::Libpq, false),
            FormEdit::Driver(Driver::Libpq, true),
            FormEdit::Platform(Platform::Cnpg),
            FormEdit::Platform(Platform::SelfManaged),
        ] {
            form.apply(edit);
        }
        let mut req = Request::new(form.pg_version, Platform::SelfManaged);
        req.hosts = vec!["db.example.com".into()];
        req.ips = vec!["10.0.0.5".into()];
        req.drivers = vec![Driver::Libpq, Driver::Jdbc];
        assert_eq!(form.request(), req);
        assert_eq!(form.generate().unwrap(), generate::generate(&req).unwrap());
    }

    #[test]
    fn every_problem_is_placed_at_its_field() {
        let form = GenerateForm { hosts: "bad_host".into(), ips: "300.1.1.1".into(), drivers: vec![], ..Default::default() };
        let errors = form.generate().unwrap_err();
        let placed: Vec<(&str, String)> = errors.iter().map(|e| (field_id(e.field), field_message(e))).collect();
        assert_eq!(placed.len(), 3, "{placed:?}");
        assert_eq!(placed[0].0, "gen-hosts");
        assert!(placed[0].1.starts_with("bad_host: is not a DNS name"), "{placed:?}");
        assert_eq!(placed[1], ("gen-ips", "300.1.1.1: is not an IPv4 or IPv6 address".to_string()));
        assert_eq!(placed[2], ("gen-drivers", "name at least one client driver".to_string()));
        let empty = GenerateForm::default().generate().unwrap_err();
        assert_eq!(field_id(empty[0].field), "gen-hosts");
    }
}
