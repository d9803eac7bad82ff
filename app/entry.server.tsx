import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce";
import { ServerHtmlContext } from "./components/ServerHtml";
import "./i18n/dictionaries.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * React 18.3's streaming renderer flushes its whole 2048-byte buffer when a
 * multi-byte character (å, ä, ö) does not fit at its end, so up to 3 unwritten
 * NUL bytes leak into the page (facebook/react#26228, fixed only after 18.3).
 */
const VIEW_SIZE = 2048;
const withoutNulPadding = (chunk: Buffer) => {
  let end = chunk.length;
  if (end === VIEW_SIZE) while (end > VIEW_SIZE - 3 && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
};

/**
 * The whole page is rendered into memory and sent as one body. No loader defers
 * data, so streaming the shell first gains nothing, and one buffer instead of a
 * few dozen 2 KiB chunks through Node stream → web stream → Node stream costs
 * less CPU on every page (bench:pages: 0.8–0.9× per page together with the full
 * route manifest, measured side by side with the build before both).
 */
const collect = (done: (body: Buffer<ArrayBuffer>) => void) => {
  const chunks: Buffer[] = [];
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(withoutNulPadding(chunk));
      callback();
    },
    final(callback) {
      done(Buffer.concat(chunks));
      callback();
    },
  });
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // eslint-disable-next-line prefer-const -- the callbacks below run after it is set
    let timer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerHtmlContext.Provider value={loadContext.serverHtml}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </ServerHtmlContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          clearTimeout(timer);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          pipe(collect((body) => resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }))));
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    timer = setTimeout(abort, ABORT_DELAY);
  });
}
