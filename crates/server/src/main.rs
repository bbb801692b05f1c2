//! `sync-errors-server`: the reference backend. See `--help`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use sync_errors_server::{AppState, Clock, auth, demo, router, shutdown_signal, store};

/// Serves the Sync Errors API, the sign-in form and the built app.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Args,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Prints the Argon2id hash of a password, for `password_hash` in the auth file. The
    /// password is read from the terminal without echo, or from standard input (its first
    /// line) when that is not a terminal; never from the command line.
    HashPassword,
    /// Ingests JSON Lines (one error a line) from FILE, or standard input for `-`, in
    /// batches of 1,000: into a running server (--url, --token) or straight into a
    /// database (--db). Prints each rejected line with its number, then a summary.
    Ingest {
        /// The JSON Lines file, or `-` for standard input.
        file: PathBuf,
        /// A running server's API base, e.g. http://127.0.0.1:8080/api.
        #[arg(long, conflicts_with = "db", required_unless_present = "db")]
        url: Option<String>,
        /// An ingest token (better from the environment: a command line is visible to
        /// other users of the machine).
        #[arg(long, env = "SYNC_ERRORS_INGEST_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Write straight into this database instead: a SQLite file, or a PostgreSQL URL.
        #[arg(long)]
        db: Option<String>,
    },
}

#[derive(clap::Args, Debug)]
struct Args {
    /// The store: a PostgreSQL URL (`postgres://user@host/db`: several servers may share
    /// it), or else a SQLite database file (created when missing).
    #[arg(long, env = "SYNC_ERRORS_DB", default_value = "sync-errors.db")]
    db: String,
    /// The address to listen on.
    #[arg(long, env = "SYNC_ERRORS_ADDR", default_value = "127.0.0.1")]
    addr: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    port: u16,
    /// The built app to serve (Trunk's `dist/`); absent: the API and sign-in only.
    #[arg(long, env = "SYNC_ERRORS_DIST")]
    dist: Option<PathBuf>,
    /// The accounts and bearer tokens (JSON; see config/demo-auth.json).
    #[arg(
        long,
        env = "SYNC_ERRORS_AUTH",
        default_value = "config/demo-auth.json"
    )]
    auth: PathBuf,
    /// Fill the database with N demo errors, unless it already holds a recent demo of N.
    /// Refuses to touch a database that holds anything but demo data.
    #[arg(long, env = "DEMO_ROWS")]
    demo_rows: Option<u64>,
    /// Run with a fixed clock (RFC 3339), for reproducible tests and screenshots.
    #[arg(long, env = "SYNC_ERRORS_NOW", value_parser = parse_now)]
    now: Option<chrono::DateTime<chrono::Utc>>,
    /// Mark the session cookie `Secure` (set it when a TLS proxy fronts the server).
    #[arg(long, env = "SYNC_ERRORS_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Who may frame this server's pages: the CSP `frame-ancestors` sources, e.g.
    /// "'self' https://console.example.com" or "'none'".
    #[arg(long, env = "SYNC_ERRORS_FRAME_ANCESTORS", default_value = "'self'", value_parser = parse_frame_ancestors)]
    frame_ancestors: sync_errors_server::security::Policy,
    /// Connections in the pool (SQLite: read connections; PostgreSQL: all of them).
    #[arg(long, default_value_t = 8)]
    readers: u32,
}

fn parse_frame_ancestors(s: &str) -> Result<sync_errors_server::security::Policy, String> {
    sync_errors_server::security::Policy::new(s)
}

fn parse_now(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    sync_errors_api::parse_time(s).ok_or_else(|| format!("`{s}` is not an RFC 3339 time"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::HashPassword) => return hash_password(),
        Some(Command::Ingest {
            file,
            url,
            token,
            db,
        }) => {
            // A thread without the async runtime: the command is synchronous, and a
            // PostgreSQL target runs a small runtime of its own.
            return std::thread::spawn(move || ingest_file(&file, url, token, db))
                .join()
                .map_err(|_| anyhow::anyhow!("the ingest command panicked"))?;
        }
        None => {}
    }
    let args = cli.serve;
    let clock = Clock { fixed: args.now };
    let auth = auth::AuthConfig::load_checked(&args.auth, args.demo_rows.is_some())?;
    let postgres = store::is_postgres(&args.db);
    if let Some(rows) = args.demo_rows
        && !postgres
    {
        let path = PathBuf::from(&args.db);
        tokio::task::spawn_blocking(move || demo::prepare(&path, rows, clock)).await??;
    }
    let store = store::open_store(&args.db, args.readers).await?;
    if let Some(rows) = args.demo_rows
        && postgres
    {
        demo::prepare_store(&*store, rows, clock).await?;
    }
    tracing::info!("store: {}", store.kind());
    if let Some(dist) = &args.dist
        && !dist.join("index.html").is_file()
    {
        anyhow::bail!(
            "{} has no index.html: build the app first (make build)",
            dist.display()
        );
    }
    let state = Arc::new(AppState {
        store,
        auth: auth::Auth::new(auth),
        clock,
        secure_cookies: args.secure_cookies,
        dist: args.dist.clone(),
        security: args.frame_ancestors.clone(),
    });
    sync_errors_server::spawn_retention(state.clone(), sync_errors_server::RETENTION_EVERY);
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.addr, args.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", args.addr, args.port))?;
    let local = listener.local_addr()?;
    tracing::info!("listening on http://{local}/");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// `hash-password`: one password in, its PHC string out.
fn hash_password() -> anyhow::Result<()> {
    use std::io::{BufRead, IsTerminal};
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if password.is_empty() {
        anyhow::bail!("an empty password");
    }
    println!("{}", auth::hash_password(&password)?);
    Ok(())
}

/// `ingest FILE`: every line accepted, unchanged or reported; exits with 1 when any line
/// was rejected, 2 when the ingestion stopped.
fn ingest_file(
    file: &std::path::Path,
    url: Option<String>,
    token: Option<String>,
    db: Option<String>,
) -> anyhow::Result<()> {
    use sync_errors_server::ingest_cli::{Target, run, summary_line};
    let target = match (url, db) {
        (Some(url), None) => Target::Http {
            url,
            token: token.context("--url needs --token (or SYNC_ERRORS_INGEST_TOKEN)")?,
        },
        (None, Some(db)) if store::is_postgres(&db) => Target::Postgres(db),
        (None, Some(db)) => Target::Db(PathBuf::from(db)),
        _ => anyhow::bail!("give either --url or --db"),
    };
    let started = std::time::Instant::now();
    let summary = match run(file, &target, &mut std::io::stderr()) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    };
    println!(
        "{}",
        summary_line(&summary, started.elapsed().as_secs_f64())
    );
    if !summary.rejected.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
