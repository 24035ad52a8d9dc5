// The live feed: WatchEvents through the gateway (gRPC-Web server stream). A dropped stream is
// resumed from the last event's cursor, so nothing is lost while reconnecting.
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "./api.js";
import type { Event } from "./gen/homevisit/v1/event_pb.js";

export type LiveStatus = "conectando" | "en vivo" | "reconectando";

// A new watch starts "now", but homevisitd only answers with its first event, so the page cannot
// tell when the stream is in place: `onSubscribed` (the page reloading what it shows) runs a
// moment after each fresh subscription, so a change made while it was being set up is not lost.
// Resumed streams need no reload: the cursor replays what was missed.
const SETTLE_MS = 500;

export function watchEvents(
  onEvent: (e: Event) => void,
  onStatus: (s: LiveStatus) => void,
  signal: AbortSignal,
  onSubscribed: () => Promise<void> = async () => {},
): void {
  let cursor = "";
  const loop = async () => {
    while (!signal.aborted) {
      onStatus(cursor ? "reconectando" : "conectando");
      try {
        const resumed = !!cursor;
        const stream = api.events.watchEvents(resumed ? { start: { case: "afterCursor", value: cursor } } : {}, { signal });
        const iterator = stream[Symbol.asyncIterator]();
        const first = iterator.next(); // sends the request
        const attempt = { ended: false };
        void (async () => {
          if (!resumed) {
            await new Promise((r) => setTimeout(r, SETTLE_MS));
            await onSubscribed();
          }
          if (!signal.aborted && !attempt.ended) onStatus("en vivo");
        })();
        first.catch(() => (attempt.ended = true));
        for (let res = await first; !res.done; res = await iterator.next()) {
          if (res.value.event) {
            cursor = res.value.event.cursor;
            onEvent(res.value.event);
          }
        }
      } catch (e) {
        if (signal.aborted) return;
        const err = ConnectError.from(e);
        if (err.code === Code.Unauthenticated || err.code === Code.PermissionDenied) {
          onStatus("reconectando");
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void loop();
}
