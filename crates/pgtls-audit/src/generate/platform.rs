//! The sets for managed platforms, where TLS is switched on through the provider's parameters
//! and the server certificate comes from the provider, and for CloudNativePG with cert-manager.

use super::{clients, GeneratedFile, Platform, Request, SERVER_CERT_DAYS, TLS12_CIPHERS};

/// The root file clients need on each cloud, and where it comes from.
fn cloud_root(platform: Platform) -> (&'static str, &'static str) {
    match platform {
        Platform::Rds => (
            "global-bundle.pem",
            "the RDS certificate bundle for all regions, `global-bundle.pem`, from the AWS \
             documentation page \"Using SSL/TLS to encrypt a connection to a DB instance\"",
        ),
        Platform::CloudSql => (
            "server-ca.pem",
            "the instance's server CA: `gcloud sql instances describe INSTANCE \
             --format='value(serverCaCert.cert)' > server-ca.pem`",
        ),
        _ => (
            "azure-root-cas.pem",
            "the roots Azure Database for PostgreSQL certificates chain to (DigiCert Global Root G2 \
             and Microsoft RSA Root Certificate Authority 2017, concatenated into one PEM file), \
             from the Azure documentation page on TLS for flexible server",
        ),
    }
}

fn parameters(req: &Request) -> String {
    match req.platform {
        Platform::Rds => format!(
            "#!/bin/sh\n\
             # RDS for PostgreSQL {v}: require TLS 1.2+ and SCRAM through the DB parameter group.\n\
             # rds.force_ssl=1 rejects every connection without SSL (the default is 0 before\n\
             # RDS for PostgreSQL 15). These parameters are dynamic: no reboot.\n\
             set -eu\n\
             GROUP=${{1:?usage: $0 PARAMETER_GROUP INSTANCE}}\n\
             INSTANCE=${{2:?usage: $0 PARAMETER_GROUP INSTANCE}}\n\
             aws rds modify-db-parameter-group --db-parameter-group-name \"$GROUP\" --parameters \\\n\
             \x20 \"ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate\" \\\n\
             \x20 \"ParameterName=ssl_min_protocol_version,ParameterValue=TLSv1.2,ApplyMethod=immediate\" \\\n\
             \x20 \"ParameterName=ssl_ciphers,ParameterValue='{c}',ApplyMethod=immediate\" \\\n\
             \x20 \"ParameterName=password_encryption,ParameterValue=scram-sha-256,ApplyMethod=immediate\"\n\
             # A current CA (rds-ca-2019 expired in August 2024). Changing it restarts the instance\n\
             # unless the engine supports rotation without restart; plan a window.\n\
             aws rds modify-db-instance --db-instance-identifier \"$INSTANCE\" \\\n\
             \x20 --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately\n",
            v = req.pg_version,
            c = TLS12_CIPHERS.replace(':', "\\:")
        ),
        Platform::CloudSql => "#!/bin/sh\n\
             # Cloud SQL for PostgreSQL: accept only encrypted connections, and let Google's CA\n\
             # service issue a server certificate whose names clients can verify.\n\
             set -eu\n\
             INSTANCE=${1:?usage: $0 INSTANCE}\n\
             gcloud sql instances patch \"$INSTANCE\" --ssl-mode=ENCRYPTED_ONLY \\\n\
             \x20 --server-ca-mode=GOOGLE_MANAGED_CAS_CA\n\
             gcloud sql instances patch \"$INSTANCE\" \\\n\
             \x20 --database-flags=password_encryption=scram-sha-256\n\
             gcloud sql instances describe \"$INSTANCE\" --format='value(serverCaCert.cert)' > server-ca.pem\n\
             # Authorized networks: list the client networks, never 0.0.0.0/0.\n"
            .to_string(),
        _ => "#!/bin/sh\n\
             # Azure Database for PostgreSQL flexible server: require TLS 1.2+ for every connection.\n\
             set -eu\n\
             GROUP=${1:?usage: $0 RESOURCE_GROUP SERVER}\n\
             SERVER=${2:?usage: $0 RESOURCE_GROUP SERVER}\n\
             az postgres flexible-server parameter set -g \"$GROUP\" -s \"$SERVER\" \\\n\
             \x20 --name require_secure_transport --value on\n\
             az postgres flexible-server parameter set -g \"$GROUP\" -s \"$SERVER\" \\\n\
             \x20 --name ssl_min_protocol_version --value TLSv1.2\n\
             az postgres flexible-server parameter set -g \"$GROUP\" -s \"$SERVER\" \\\n\
             \x20 --name password_encryption --value scram-sha-256\n"
            .to_string(),
    }
}

pub fn cloud_files(req: &Request) -> Vec<GeneratedFile> {
    let (root, source) = cloud_root(req.platform);
    let name = match req.platform {
        Platform::Rds => "RDS for PostgreSQL",
        Platform::CloudSql => "Cloud SQL for PostgreSQL",
        _ => "Azure Database for PostgreSQL flexible server",
    };
    let readme = format!(
        "# Verified TLS on {name}\n\n\
         The provider runs the server and issues its certificate; what is yours is to require TLS,\n\
         give clients the provider's root, and connect with verify-full.\n\n\
         1. `set-parameters.sh` sets the parameters that require TLS 1.2+ and SCRAM. They apply\n\
         \x20  without a restart.\n\
         2. Get the root certificate clients need, `{root}`: {source}.\n\
         3. Use the strings in `clients.txt` (each at sslmode=verify-full with `{root}`) and connect\n\
         \x20  with the provider's DNS name for the instance, which is in the certificate.\n\
         4. Mark the provider's CA expiry in your calendar and move clients to the new root before\n\
         \x20  it; `pgtls check HOST:5432 --root {root} --format openmetrics` monitors the server\n\
         \x20  certificate's expiry.\n"
    );
    vec![
        GeneratedFile::text("README.md", readme),
        GeneratedFile::script("set-parameters.sh", parameters(req)),
        GeneratedFile::text("clients.txt", clients::clients_txt(req, root)),
    ]
}

fn yaml_list(items: &[String], indent: usize) -> String {
    items.iter().map(|i| format!("{}- {i}\n", " ".repeat(indent))).collect()
}

pub fn cnpg_files(req: &Request) -> Vec<GeneratedFile> {
    let cluster = "pg";
    let mut dns: Vec<String> = vec![
        format!("{cluster}-rw"),
        format!("{cluster}-rw.default.svc"),
        format!("{cluster}-rw.default.svc.cluster.local"),
        format!("{cluster}-r"),
        format!("{cluster}-ro"),
    ];
    dns.extend(req.hosts.iter().cloned());
    let ips: Vec<String> = req.ips.clone();
    let duration_h = SERVER_CERT_DAYS * 24;
    let mut cert_manager = format!(
        "# cert-manager: a private CA for the cluster, and a server certificate it renews\n\
         # automatically ({SERVER_CERT_DAYS} days, renewed 35 days before expiry).\n\
         apiVersion: cert-manager.io/v1\n\
         kind: Issuer\n\
         metadata:\n  name: {cluster}-selfsigned\n\
         spec:\n  selfSigned: {{}}\n\
         ---\n\
         apiVersion: cert-manager.io/v1\n\
         kind: Certificate\n\
         metadata:\n  name: {cluster}-ca\n\
         spec:\n  isCA: true\n  commonName: {cluster} private root CA\n  secretName: {cluster}-ca\n\
         \x20 duration: 87600h\n  renewBefore: 2160h\n\
         \x20 privateKey:\n    algorithm: ECDSA\n    size: 256\n\
         \x20 issuerRef:\n    name: {cluster}-selfsigned\n    kind: Issuer\n\
         ---\n\
         apiVersion: cert-manager.io/v1\n\
         kind: Issuer\n\
         metadata:\n  name: {cluster}-ca\n\
         spec:\n  ca:\n    secretName: {cluster}-ca\n\
         ---\n\
         apiVersion: cert-manager.io/v1\n\
         kind: Certificate\n\
         metadata:\n  name: {cluster}-server\n\
         spec:\n  secretName: {cluster}-server-tls\n  usages:\n    - server auth\n\
         \x20 duration: {duration_h}h\n  renewBefore: 840h\n\
         \x20 privateKey:\n    algorithm: ECDSA\n    size: 256\n    rotationPolicy: Always\n\
         \x20 dnsNames:\n{dns}",
        dns = yaml_list(&dns, 4)
    );
    if !ips.is_empty() {
        cert_manager.push_str(&format!("  ipAddresses:\n{}", yaml_list(&ips, 4)));
    }
    cert_manager.push_str(&format!("  issuerRef:\n    name: {cluster}-ca\n    kind: Issuer\n"));

    let cluster_yaml = format!(
        "# CloudNativePG: TLS 1.2+, SSL required for every TCP connection, SCRAM passwords, and the\n\
         # server certificate from cert-manager (the operator reloads it when the Secret changes).\n\
         apiVersion: postgresql.cnpg.io/v1\n\
         kind: Cluster\n\
         metadata:\n  name: {cluster}\n\
         spec:\n  instances: 3\n  imageName: ghcr.io/cloudnative-pg/postgresql:{v}\n\
         \x20 storage:\n    size: 10Gi\n\
         \x20 postgresql:\n    parameters:\n      ssl_min_protocol_version: TLSv1.2\n\
         \x20     ssl_ciphers: \"{TLS12_CIPHERS}\"\n      password_encryption: scram-sha-256\n\
         \x20   pg_hba:\n\
         \x20     - hostnossl all all 0.0.0.0/0 reject\n\
         \x20     - hostnossl all all ::/0 reject\n\
         \x20     - hostssl all all 0.0.0.0/0 scram-sha-256\n\
         \x20     - hostssl all all ::/0 scram-sha-256\n\
         \x20 certificates:\n    serverTLSSecret: {cluster}-server-tls\n    serverCASecret: {cluster}-server-tls\n",
        v = req.pg_version
    );
    let readme = format!(
        "# Verified TLS on CloudNativePG\n\n\
         1. Install cert-manager, then `kubectl apply -f cert-manager.yaml`: a private CA and a\n\
         \x20  server certificate ({SERVER_CERT_DAYS} days) that cert-manager renews by itself.\n\
         2. `kubectl apply -f cluster.yaml`: the cluster uses that certificate, requires SSL for\n\
         \x20  every TCP connection of both address families, and takes SCRAM passwords only.\n\
         3. Give clients the CA: `kubectl get secret {cluster}-ca -o jsonpath='{{.data.ca\\.crt}}' | base64 -d > root.crt`,\n\
         \x20  and use the strings in `clients.txt` (verify-full with `root.crt`).\n\
         4. Monitor expiry all the same: `pgtls check HOST:5432 --root root.crt --format openmetrics`.\n"
    );
    vec![
        GeneratedFile::text("README.md", readme),
        GeneratedFile::text("cert-manager.yaml", cert_manager),
        GeneratedFile::text("cluster.yaml", cluster_yaml),
        GeneratedFile::text("clients.txt", clients::clients_txt(req, "root.crt")),
    ]
}
