//! A throwaway PostgreSQL server for tests: `initdb` into a temporary
//! folder, `pg_ctl` on a free loopback port, password (SCRAM) logins over
//! TCP like a real station. Tests stop and start it to play a server that
//! goes away mid-shift. Debian's `postgresql` package provides the binaries
//! (`scripts/setup.sh test` installs it).
//!
//! PostgreSQL refuses to run as root; as root (CI) the cluster belongs to
//! the `postgres` user that package creates, and is run through `runuser`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

pub struct TempPg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_root: bool,
}

/// The superuser's password in every throwaway cluster.
pub const SUPER_PASSWORD: &str = "pgtest-super";

fn newest_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed (/usr/lib/postgresql): run scripts/setup.sh test")
        .filter_map(|e| {
            let e = e.ok()?;
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .expect("no initdb under /usr/lib/postgresql/*/bin")
        .1
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl TempPg {
    /// Creates and starts a cluster with a database `station`.
    pub fn start() -> TempPg {
        TempPg::create(false)
    }

    /// As [`TempPg::start`], serving TLS only (plain TCP logins are
    /// rejected) with a certificate for 127.0.0.1 signed by a CA of its own,
    /// in [`TempPg::ca_file`].
    pub fn start_tls() -> TempPg {
        TempPg::create(true)
    }

    /// The CA that signed a TLS cluster's certificate (PEM).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn create(tls: bool) -> TempPg {
        let as_root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let dir = tempfile::Builder::new()
            .prefix("jiejing-pg-")
            .tempdir()
            .expect("temp dir");
        let pg = TempPg {
            dir,
            bin: newest_bin(),
            port: free_port(),
            as_root,
        };
        let pw = pg.dir.path().join("pw");
        std::fs::write(&pw, SUPER_PASSWORD).expect("write the password file");
        if as_root {
            for p in [pg.dir.path(), pw.as_path()] {
                let ok = Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(p)
                    .status();
                assert!(
                    ok.is_ok_and(|s| s.success()),
                    "chown {} to postgres",
                    p.display()
                );
            }
        }
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--pwfile",
                pw.to_str().unwrap(),
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        // Test speed: no fsync (the OS keeps what the server wrote when the
        // tests stop it). Commits stay synchronous: a server stopped at once
        // must keep every transaction it acknowledged, as a real one does.
        let conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nfsync = off\n",
            pg.port,
            pg.dir.path().display()
        );
        let conf_path = data.join("postgresql.conf");
        let mut all = std::fs::read_to_string(&conf_path).expect("postgresql.conf");
        all.push_str(&conf);
        if tls {
            pg.make_certificates(&data);
            all.push_str("ssl = on\nssl_cert_file = 'server.pem'\nssl_key_file = 'server.key'\n");
            let hba = data.join("pg_hba.conf");
            let rules = std::fs::read_to_string(&hba).expect("pg_hba.conf");
            std::fs::write(&hba, format!("hostnossl all all 0.0.0.0/0 reject\n{rules}"))
                .expect("write pg_hba.conf");
        }
        std::fs::write(&conf_path, all).expect("write postgresql.conf");
        pg.start_again();
        pg.psql("CREATE DATABASE station");
        pg
    }

    /// A CA and a server certificate for 127.0.0.1 it signed, by the
    /// `openssl` tool; the key goes where the server wants it (0600, its own).
    fn make_certificates(&self, data: &std::path::Path) {
        let dir = self.dir.path();
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .expect("openssl");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Jiejing test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ]);
        std::fs::write(dir.join("san.ext"), "subjectAltName = IP:127.0.0.1\n").expect("san.ext");
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        ]);
        for f in ["server.pem", "server.key"] {
            std::fs::copy(dir.join(f), data.join(f)).expect("copy the certificate");
            if self.as_root {
                let ok = Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(data.join(f))
                    .status();
                assert!(ok.is_ok_and(|s| s.success()), "chown {f}");
            }
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            data.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .expect("chmod");
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) -> String {
        let exe = self.bin.join(tool);
        let out = if self.as_root {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .current_dir("/")
                .output()
        } else {
            Command::new(&exe).args(args).output()
        }
        .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The station database as the superuser, over TCP with a password.
    pub fn url(&self) -> String {
        self.url_as("postgres", SUPER_PASSWORD)
    }

    pub fn url_as(&self, user: &str, password: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/station",
            self.port
        )
    }

    /// Runs SQL as the superuser on the `station` database (or the
    /// maintenance one before it exists); returns the unaligned output.
    pub fn psql(&self, sql: &str) -> String {
        let db = if sql.starts_with("CREATE DATABASE") {
            "postgres"
        } else {
            "station"
        };
        let port = self.port.to_string();
        let host = self.dir.path().to_str().unwrap().to_string();
        self.run(
            "psql",
            &[
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                &host,
                "-p",
                &port,
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ],
        )
        .trim()
        .to_string()
    }

    /// Stops the server at once, dropping every connection (a server that
    /// goes away mid-shift).
    pub fn stop(&self) {
        let data = self.data();
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// Starts it (again) and waits until it accepts connections.
    pub fn start_again(&self) {
        let data = self.data();
        let log = self.dir.path().join("log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
    }
}

impl Drop for TempPg {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let args = ["-D", data.to_str().unwrap_or(""), "-m", "immediate", "stop"];
        // Best effort: the server may already be stopped by the test.
        let _ = if self.as_root {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .output()
        } else {
            Command::new(&exe).args(args).output()
        };
    }
}
