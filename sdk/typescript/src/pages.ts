// Every List RPC takes pageSize/pageToken and answers with one repeated field and a
// nextPageToken that is empty on the last page. allPages follows it so that callers
// `for await` over the items; HomevisitClient's all* methods are allPages over each List RPC.

/**
 * Yields every item of every page: `list` is called with a copy of `request` (so the caller's
 * object is not changed) whose `pageToken` starts as the request's own and then takes each
 * `nextPageToken` in turn, until one is empty; `items` picks a page's repeated field. Each page is
 * one call, so a client method gives each its own deadline and retries. A failed page rejects the
 * iteration where it stands (items of earlier pages were already yielded); breaking out of the
 * loop reads no further page.
 */
export async function* allPages<Req extends { pageToken?: string }, Page extends { nextPageToken: string }, Item>(
  list: (request: Req) => Promise<Page>,
  request: Req,
  items: (page: Page) => Iterable<Item>,
): AsyncGenerator<Item, void, undefined> {
  let pageToken = request.pageToken ?? "";
  do {
    const page = await list({ ...request, pageToken });
    yield* items(page);
    pageToken = page.nextPageToken;
  } while (pageToken);
}
