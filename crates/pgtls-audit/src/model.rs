//! The model: what the inputs say, area by area, built once per audit. Rules read only this.

use crate::checklist::Evidence;
use crate::options::AuditOptions;
use crate::source::Inputs;
use crate::{cert, conf, conn, hba, live, platform};

/// Every area's model. Areas are built in dependency order: the server configuration first,
/// because certificate roles and cipher checks follow from its settings.
#[derive(Debug, Default)]
pub struct Model {
    pub conf: conf::ConfModel,
    pub hba: hba::HbaModel,
    pub clients: conn::ClientModel,
    pub certs: cert::CertModel,
    pub live: live::LiveModel,
    /// Facts only a platform has; set by [`crate::audit`] after expanding platform inputs.
    pub platform: platform::PlatformModel,
}

impl Model {
    pub fn build(inputs: &Inputs, options: &AuditOptions) -> Model {
        let conf = conf::ConfModel::build(inputs, options);
        let hba = hba::HbaModel::build(inputs, options);
        let clients = conn::ClientModel::build(inputs, options);
        let live = live::LiveModel::build(inputs, options);
        let certs = cert::CertModel::build(inputs, options, &conf, &clients, &live);
        Model { conf, hba, clients, certs, live, platform: platform::PlatformModel::default() }
    }

    /// The checklist items the inputs let the audit judge.
    pub fn evidence(&self) -> Evidence {
        let mut evidence = Evidence::new();
        self.conf.evidence(&mut evidence);
        self.hba.evidence(&mut evidence);
        self.clients.evidence(&mut evidence);
        self.certs.evidence(&mut evidence);
        self.live.evidence(&mut evidence);
        self.platform.evidence(&mut evidence);
        evidence
    }
}
