// TLS listeners (tls-port): certificates from tls-cert-file/tls-key-file, client certificates
// checked against tls-ca-cert-file as tls-auth-clients asks. Mirrors Redis's tls.c.
// Deno.listenTls (Deno 2.9.6) has no option to request or verify client certificates, so this
// uses node:tls from Deno's Node compatibility layer, which has, and adapts its sockets to the
// Deno.Conn interface the rest of the server reads and writes.
import tls from "node:tls";
import type { Config } from "./config.ts";
import { utf8 } from "./config.ts";

/** Stop reading from a socket whose unread input is past this (the client reads in batches). */
const READ_HIGH_WATER = 1024 * 1024;

export interface TlsListener {
  readonly port: number;
  close(): void;
}

/** A TLS setting that cannot work; the message is Redis's log line (tlsConfigure). */
export class TlsConfigError extends Error {}

/** The options of a TLS server from the tls-* configuration (files are read now). */
export function tlsServerOptions(config: Config): tls.TlsOptions {
  const read = (name: string) => {
    try {
      return Deno.readTextFileSync(utf8(config.str(name)));
    } catch (err) {
      throw new TlsConfigError(`Failed to load ${name} '${config.str(name)}': ${err}`);
    }
  };
  if (config.str("tls-cert-file") === "") throw new TlsConfigError("No tls-cert-file configured!");
  if (config.str("tls-key-file") === "") throw new TlsConfigError("No tls-key-file configured!");
  const auth = config.str("tls-auth-clients");
  const options: tls.TlsOptions = {
    cert: read("tls-cert-file"),
    key: read("tls-key-file"),
    requestCert: auth !== "no",
    rejectUnauthorized: auth === "yes",
  };
  if (config.str("tls-key-file-pass") !== "") options.passphrase = config.str("tls-key-file-pass");
  const ca = caCertificates(config);
  if (ca !== "") options.ca = ca;
  else if (auth !== "no" || config.bool("tls-replication") || config.bool("tls-cluster")) {
    throw new TlsConfigError(
      "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, " +
        "tls-replication or tls-auth-clients are enabled!",
    );
  }
  const protocols = config.str("tls-protocols").toLowerCase().split(/\s+/).filter((p) => p);
  if (protocols.length > 0) {
    const known = ["tlsv1.2", "tlsv1.3"];
    for (const p of protocols) {
      if (!known.includes(p)) {
        throw new TlsConfigError(
          "Invalid tls-protocols specified. Use a combination of 'TLSv1.2' and 'TLSv1.3'.",
        );
      }
    }
    options.minVersion = protocols.includes("tlsv1.2") ? "TLSv1.2" : "TLSv1.3";
    options.maxVersion = protocols.includes("tlsv1.3") ? "TLSv1.3" : "TLSv1.2";
  }
  return options;
}

/** tls-ca-cert-file, plus every certificate file in tls-ca-cert-dir. */
function caCertificates(config: Config): string {
  let ca = "";
  const file = config.str("tls-ca-cert-file");
  const dir = config.str("tls-ca-cert-dir");
  try {
    if (file !== "") ca += Deno.readTextFileSync(utf8(file));
    if (dir !== "") {
      for (const entry of Deno.readDirSync(utf8(dir))) {
        if (!entry.isFile) continue;
        const text = Deno.readTextFileSync(`${utf8(dir)}/${entry.name}`);
        if (text.includes("BEGIN CERTIFICATE")) ca += "\n" + text;
      }
    }
  } catch (err) {
    throw new TlsConfigError(`Failed to configure CA certificate(s) file/directory: ${err}`);
  }
  return ca;
}

/**
 * Opens a TLS listener; each connection that completes its handshake (and, with
 * tls-auth-clients optional, presents either no certificate or a valid one) goes to `accept`.
 */
export function listenTls(
  config: Config,
  options: tls.TlsOptions,
  hostname: string,
  port: number,
  accept: (conn: Deno.Conn) => void,
  log: (message: string) => void,
): Promise<TlsListener> {
  const optional = config.str("tls-auth-clients") === "optional";
  const server = tls.createServer(options, (socket) => {
    if (optional && !socket.authorized && hasPeerCertificate(socket)) {
      socket.destroy();
      return;
    }
    const keepalive = config.num("tcp-keepalive");
    socket.setNoDelay(true);
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    accept(new TlsConn(socket));
  });
  server.on(
    "tlsClientError",
    (err: Error) => log(`Error accepting a client connection: ${err.message}`),
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : port,
        close: () => server.close(),
      });
    });
  });
}

function hasPeerCertificate(socket: tls.TLSSocket): boolean {
  const cert = socket.getPeerCertificate();
  return cert !== null && cert !== undefined && Object.keys(cert).length > 0;
}

/** A node:tls socket seen as a Deno.Conn: buffered reads, writes that wait for drain. */
class TlsConn implements Deno.Conn<Deno.NetAddr> {
  readonly localAddr: Deno.NetAddr;
  readonly remoteAddr: Deno.NetAddr;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(private readonly socket: tls.TLSSocket) {
    this.localAddr = {
      transport: "tcp",
      hostname: socket.localAddress ?? "",
      port: socket.localPort ?? 0,
    };
    this.remoteAddr = {
      transport: "tcp",
      hostname: socket.remoteAddress ?? "",
      port: socket.remotePort ?? 0,
    };
    socket.on("data", (data: Uint8Array) => {
      this.chunks.push(data);
      this.buffered += data.length;
      if (this.buffered > READ_HIGH_WATER) socket.pause();
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.chunks.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((resolve) => this.wake = resolve);
    }
    const chunk = this.chunks[0]!;
    const n = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, n));
    if (n === chunk.length) this.chunks.shift();
    else this.chunks[0] = chunk.subarray(n);
    this.buffered -= n;
    if (this.buffered <= READ_HIGH_WATER && this.socket.isPaused()) this.socket.resume();
    return n;
  }

  write(p: Uint8Array): Promise<number> {
    if (this.ended || this.socket.destroyed) return Promise.reject(new Deno.errors.BrokenPipe());
    // The caller reuses its buffer once the promise resolves; node may hold on to the bytes.
    const copy = p.slice();
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new Deno.errors.BrokenPipe());
      if (this.socket.write(copy)) {
        resolve(p.length);
        return;
      }
      this.socket.once("close", onClose);
      this.socket.once("drain", () => {
        this.socket.off("close", onClose);
        resolve(p.length);
      });
    });
  }

  close(): void {
    this.ended = true;
    this.socket.destroy();
    this.notify();
  }

  closeWrite(): Promise<void> {
    return new Promise((resolve) => this.socket.end(resolve));
  }

  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }

  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream({
      pull: async (controller) => {
        const buf = new Uint8Array(16384);
        const n = await this.read(buf);
        if (n === null) controller.close();
        else controller.enqueue(buf.subarray(0, n));
      },
    });
  }

  get writable(): WritableStream<Uint8Array> {
    return new WritableStream({
      write: async (chunk) => {
        await this.write(chunk);
      },
    });
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
