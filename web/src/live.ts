// The live feed: WatchEvents through the gateway (gRPC-Web server stream). A dropped stream is
// resumed from the last event's cursor, so nothing is lost while reconnecting.
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "./api.js";
import type { Event } from "./gen/homevisit/v1/event_pb.js";

export type LiveStatus = "conectando" | "en vivo" | "reconectando";

export function watchEvents(onEvent: (e: Event) => void, onStatus: (s: LiveStatus) => void, signal: AbortSignal): void {
  let cursor = "";
  const loop = async () => {
    while (!signal.aborted) {
      onStatus(cursor ? "reconectando" : "conectando");
      try {
        // homevisitd sends the stream's headers with its first event: the stream counts as
        // live from the call.
        const stream = api.events.watchEvents(cursor ? { start: { case: "afterCursor", value: cursor } } : {}, { signal });
        onStatus("en vivo");
        for await (const res of stream) {
          if (res.event) {
            cursor = res.event.cursor;
            onEvent(res.event);
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
