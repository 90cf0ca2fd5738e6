//! How a download leaves the server: the database is read as fast as it hands the rows
//! over, into a temporary file, and the browser is sent that file at its own pace.
//!
//! Why a file rather than memory: a national CSV is 134 MB and an XLSX 42 MB, too much
//! to hold for every slow browser, while a file costs only disk (and the page cache,
//! which the kernel gives back). Why not stream straight from the database as before:
//! the export connection was then held for as long as the browser took, so a few
//! browsers that stopped reading held every one of them. Now the connection (and its
//! place in [`crate::db::ExportPool`], which still bounds how many exports read the
//! database at once) is given back the moment the last row is in the file; the browser
//! reads the file from behind the writer, so the first bytes still leave at once.
//!
//! The file is unnamed (`O_TMPFILE` where the system has it), so it disappears when
//! the download ends however it ends, a crash included. One file holds at most
//! [`SPOOL_CAP_BYTES`]; beyond it the download fails rather than fill the disk.
//!
//! A browser that takes nothing for the stall limit (30 s by default) while there is
//! something to send is cut off: the server's own copy of the connection's socket
//! (kept by [`keep_socket`] when the connection opens) is shut down, which ends the
//! response, the temporary file and the person's place among their two downloads.
//! actix-web has no timeout on writes of its own, and a response body that nobody
//! polls cannot end itself, hence the watchdog beside it.

use std::any::Any;
use std::fs::File;
use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::os::fd::AsFd;
use std::os::unix::fs::FileExt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::Extensions;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, web};
use futures_util::Stream;
use tokio::sync::Notify;

use super::running::ExportTicket;
use crate::db::ExportLease;
use crate::error::AppError;

/// How much of a download is written to the file, and sent, at a time.
const CHUNK_BYTES: usize = 64 * 1024;
/// The largest file one download may spool (a national CSV is about 134 MB).
pub const SPOOL_CAP_BYTES: u64 = 1024 * 1024 * 1024;

/// The server's own handle on a connection's socket (a duplicate of its descriptor),
/// so that a stalled download can be cut off; see [`keep_socket`].
pub struct ConnectionSocket(Arc<TcpStream>);

/// Run when a connection opens (`HttpServer::on_connect`): keeps a duplicate of its
/// socket in the connection's data. It costs one descriptor per open connection and
/// is closed with the connection.
pub fn keep_socket(connection: &dyn Any, data: &mut Extensions) {
    let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else {
        return;
    };
    match stream.as_fd().try_clone_to_owned() {
        Ok(descriptor) => {
            data.insert(ConnectionSocket(Arc::new(TcpStream::from(descriptor))));
        }
        Err(error) => tracing::warn!(%error, "no handle kept on a new connection's socket"),
    }
}

/// What the database side is doing.
const WRITING: u8 = 0;
const DONE: u8 = 1;
const FAILED: u8 = 2;

/// What the writer, the response and the watchdog share.
struct Progress {
    /// Bytes in the file so far.
    spooled: AtomicU64,
    /// Bytes handed to the response so far.
    sent: AtomicU64,
    state: AtomicU8,
    /// Woken when `spooled` or `state` changes.
    written: Notify,
    /// How many times the response has asked for more: it only asks when the browser
    /// has taken what it was given before.
    asked: AtomicU64,
    /// The response is gone (sent in full, cut off, or the browser left): the writer
    /// stops and the watchdog too.
    gone: AtomicBool,
}

impl Progress {
    fn set_state(&self, state: u8) {
        self.state.store(state, Ordering::SeqCst);
        self.written.notify_one();
    }
}

/// Starts a download: `read` runs on a blocking thread with the leased export
/// connection and writes into the spool what it can as the rows arrive; the lease is
/// given back as soon as it ends, and `finish` then completes the file from what `read`
/// returned (packing a workbook is CPU work that needs no connection). The stream
/// returned sends the file; the ticket is given back when the stream ends or is
/// dropped. A failure half-way (a full disk, the cap) is logged and breaks the
/// connection, so the person gets a failed download rather than a file that silently
/// ends early.
pub fn spooled_download<R, F, T>(
    request: &HttpRequest,
    stall_limit: Duration,
    ticket: ExportTicket,
    lease: ExportLease,
    read: R,
    finish: F,
) -> Result<impl Stream<Item = Result<Bytes, io::Error>> + 'static, AppError>
where
    R: FnOnce(&mut crate::db::DbConnection, &mut SpoolWriter) -> io::Result<T> + Send + 'static,
    F: FnOnce(T, &mut SpoolWriter) -> io::Result<()> + Send + 'static,
{
    let file = tempfile::tempfile().map_err(|error| AppError::Internal(Box::new(error)))?;
    let writer_file = file
        .try_clone()
        .map_err(|error| AppError::Internal(Box::new(error)))?;
    let progress = Arc::new(Progress {
        spooled: AtomicU64::new(0),
        sent: AtomicU64::new(0),
        state: AtomicU8::new(WRITING),
        written: Notify::new(),
        asked: AtomicU64::new(0),
        gone: AtomicBool::new(false),
    });
    let writer_progress = Arc::clone(&progress);
    actix_web::rt::task::spawn_blocking(move || {
        let mut out = SpoolWriter {
            file: writer_file,
            buffer: Vec::with_capacity(CHUNK_BYTES),
            progress: Arc::clone(&writer_progress),
        };
        let read = lease
            .connect()
            .map_err(io::Error::other)
            .and_then(|mut conn| read(&mut conn, &mut out));
        drop(lease);
        let result = read
            .and_then(|read| finish(read, &mut out))
            .and_then(|()| out.flush());
        match result {
            Ok(()) => writer_progress.set_state(DONE),
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                writer_progress.set_state(FAILED)
            }
            Err(error) => {
                tracing::error!(%error, "export failed half-way");
                writer_progress.set_state(FAILED);
            }
        }
    });
    if let Some(socket) = request.conn_data::<ConnectionSocket>() {
        actix_web::rt::spawn(watch(
            Arc::clone(&progress),
            Arc::clone(&socket.0),
            stall_limit,
        ));
    }
    let reader = Reader {
        file: Arc::new(file),
        progress: Arc::clone(&progress),
        offset: 0,
        ended: false,
    };
    Ok(Watched {
        inner: Box::pin(futures_util::stream::unfold(reader, next_chunk)),
        progress,
        ticket: Some(ticket),
    })
}

/// The writing end of a download: gathers bytes into chunks and appends them to the
/// spool file.
pub struct SpoolWriter {
    file: File,
    buffer: Vec<u8>,
    progress: Arc<Progress>,
}

impl Write for SpoolWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.progress.gone.load(Ordering::SeqCst) {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the download was cancelled",
            ));
        }
        let spooled = self.progress.spooled.load(Ordering::SeqCst);
        if spooled + self.buffer.len() as u64 > SPOOL_CAP_BYTES {
            return Err(io::Error::other(format!(
                "the export is larger than {} MB",
                SPOOL_CAP_BYTES / (1024 * 1024)
            )));
        }
        self.file.write_all(&self.buffer)?;
        self.progress
            .spooled
            .fetch_add(self.buffer.len() as u64, Ordering::SeqCst);
        self.buffer.clear();
        self.progress.written.notify_one();
        Ok(())
    }
}

/// The reading end: follows the writer through the file.
struct Reader {
    file: Arc<File>,
    progress: Arc<Progress>,
    offset: u64,
    /// The failure has been reported; nothing follows.
    ended: bool,
}

/// The next chunk of the file, waiting for the writer when the reader has caught up.
async fn next_chunk(mut reader: Reader) -> Option<(Result<Bytes, io::Error>, Reader)> {
    loop {
        if reader.ended {
            return None;
        }
        let spooled = reader.progress.spooled.load(Ordering::SeqCst);
        if reader.offset < spooled {
            let length = (spooled - reader.offset).min(CHUNK_BYTES as u64) as usize;
            let (file, offset) = (Arc::clone(&reader.file), reader.offset);
            let read = web::block(move || {
                let mut chunk = vec![0; length];
                file.read_exact_at(&mut chunk, offset).map(|()| chunk)
            })
            .await;
            return match read {
                Ok(Ok(chunk)) => {
                    reader.offset += length as u64;
                    reader.progress.sent.store(reader.offset, Ordering::SeqCst);
                    Some((Ok(Bytes::from(chunk)), reader))
                }
                Ok(Err(error)) => {
                    tracing::error!(%error, "the spooled export could not be read back");
                    reader.ended = true;
                    Some((Err(error), reader))
                }
                Err(error) => {
                    reader.ended = true;
                    Some((Err(io::Error::other(error.to_string())), reader))
                }
            };
        }
        match reader.progress.state.load(Ordering::SeqCst) {
            DONE => return None,
            FAILED => {
                reader.ended = true;
                return Some((Err(io::Error::other("the export failed half-way")), reader));
            }
            _ => reader.progress.written.notified().await,
        }
    }
}

/// The response body: counts how often it is asked for more (for the watchdog), gives
/// the person's place back as soon as the file is sent, and tells the writer and the
/// watchdog when it is dropped.
struct Watched<S> {
    inner: Pin<Box<S>>,
    progress: Arc<Progress>,
    ticket: Option<ExportTicket>,
}

impl<S: Stream> Stream for Watched<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        this.progress.asked.fetch_add(1, Ordering::SeqCst);
        let next = this.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None) = next {
            this.ticket = None;
        }
        next
    }
}

impl<S> Drop for Watched<S> {
    fn drop(&mut self) {
        self.progress.gone.store(true, Ordering::SeqCst);
    }
}

/// Cuts the connection off once the browser has taken nothing for `stall_limit` while
/// something was waiting for it. Time spent waiting for the database does not count.
async fn watch(progress: Arc<Progress>, socket: Arc<TcpStream>, stall_limit: Duration) {
    let tick = (stall_limit / 20).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut asked = progress.asked.load(Ordering::SeqCst);
    let mut stalled = Duration::ZERO;
    loop {
        actix_web::rt::time::sleep(tick).await;
        if progress.gone.load(Ordering::SeqCst) {
            return;
        }
        let asked_now = progress.asked.load(Ordering::SeqCst);
        let waiting_for_browser = progress.sent.load(Ordering::SeqCst)
            < progress.spooled.load(Ordering::SeqCst)
            || progress.state.load(Ordering::SeqCst) == FAILED;
        if asked_now != asked || !waiting_for_browser {
            asked = asked_now;
            stalled = Duration::ZERO;
            continue;
        }
        stalled += tick;
        if stalled >= stall_limit {
            tracing::warn!(
                sent = progress.sent.load(Ordering::SeqCst),
                "download cut off: the browser took nothing for {} s",
                stall_limit.as_secs_f32()
            );
            progress.gone.store(true, Ordering::SeqCst);
            if let Err(error) = socket.shutdown(Shutdown::Both) {
                tracing::warn!(%error, "the stalled download's connection could not be shut");
            }
            return;
        }
    }
}
